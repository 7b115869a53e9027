package dev.segmenter.engine.pipeline;

import dev.segmenter.engine.ConfigException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sliding-window tile as users write it: {@code WxH} in image pixels, or {@code auto} (tile at the network's input
 * size only the images too large to go through whole). The one parser for the model card's {@code tile} field,
 * {@code Segmenter.Builder.tile(TileSize)} and the command line's {@code --tile}.
 *
 * @param width tile width in image pixels, 0 for {@link #AUTO}
 * @param height tile height in image pixels, 0 for {@link #AUTO}
 */
public record TileSize(int width, int height) {

  /** Tile only the images above the pixel limit, at the network's input size. */
  public static final TileSize AUTO = new TileSize(0, 0);

  /** What {@link #parse} accepts, for messages. */
  public static final String ACCEPTED = "WxH in image pixels (e.g. 512x256) or auto";

  private static final Pattern WXH = Pattern.compile("([1-9]\\d{0,5})[xX]([1-9]\\d{0,5})");

  public TileSize {
    if (width < 0 || height < 0 || (width == 0) != (height == 0)) {
      throw new ConfigException(
          "tile " + width + "x" + height + " is not accepted; accepted: " + ACCEPTED);
    }
  }

  /** Whether this is {@link #AUTO}. */
  public boolean auto() {
    return width == 0;
  }

  /**
   * Parses {@code WxH} (each side 1 to 999999 pixels) or {@code auto}, any case, surrounding blanks ignored.
   *
   * @throws ConfigException naming the text and what is accepted
   */
  public static TileSize parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.toLowerCase(Locale.ROOT).equals("auto")) {
      return AUTO;
    }
    Matcher m = WXH.matcher(t);
    if (!m.matches()) {
      throw new ConfigException("'" + t + "' is not accepted; accepted: " + ACCEPTED);
    }
    return new TileSize(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /** {@code auto} or {@code WxH}: what {@link #parse} reads back. */
  @Override
  public String toString() {
    return auto() ? "auto" : width + "x" + height;
  }
}
