package dev.segmenter.cli;

import dev.segmenter.engine.SegmenterException;
import dev.segmenter.engine.image.ImageDecoder;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.render.Background;
import dev.segmenter.palettes.Palette;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How outputs are drawn: offered by the commands that draw ({@code segment}, {@code demo}), not by {@code eval} or {@code bench}. */
final class RenderOptions {
  @Option(
      names = "--alpha",
      paramLabel = "A",
      converter = Settings.AlphaConverter.class,
      description = "Overlay opacity of the colors, 0..1 (default 0.5).")
  Float alpha; // read through Settings, which knows where the value came from

  @Option(
      names = "--void-color",
      paramLabel = "R,G,B",
      converter = VoidColorConverter.class,
      description = "Color of ids the palette has no color for (void/ignore), e.g. 255,255,255.")
  Integer voidColor;

  /** {@code --void-color R,G,B}: the color as 0xRRGGBB. */
  static final class VoidColorConverter implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      String[] parts = value.split("[,\\s]+");
      int rgb = 0;
      try {
        if (parts.length != 3) {
          throw new NumberFormatException();
        }
        for (String part : parts) {
          int v = Integer.parseInt(part.trim());
          if (v < 0 || v > 255) {
            throw new NumberFormatException();
          }
          rgb = rgb << 8 | v;
        }
      } catch (NumberFormatException e) {
        throw new Settings.BadValue(
            "--void-color " + value + ": expected R,G,B with each 0..255, e.g. 255,255,255");
      }
      return rgb;
    }
  }

  @Option(
      names = "--transparent",
      paramLabel = "CLASS",
      description =
          "Write NAME.color.png with this class (name or id) transparent, e.g. background.")
  String transparent;

  @Option(
      names = "--legend-all",
      description = "List every class in the legend and report, also those absent from the image.")
  boolean legendAll;

  @Option(
      names = "--background",
      paramLabel = "COLOR|IMAGE|blur[:RADIUS]",
      description =
          "Write NAME.background.png: the kept classes (--keep) over a color (#RRGGBB, R,G,B or white, black, "
              + "green, blue, gray, red), an image file scaled to cover, or the blurred original (radius in pixels, default 15).")
  String background;

  @Option(
      names = "--hard-edges",
      description = "Cut-out and background use the class map (alpha 0 or 255) instead of "
          + "the soft alpha from the probabilities.")
  boolean hardEdges;

  /** The outputs to write: the setting's, plus {@code background} when --background is given. */
  Output.Requests outputs(Settings s) {
    return background != null ? s.outputs().with(Output.BACKGROUND) : s.outputs();
  }

  /** The background for NAME.background.png: --background, else a blur of the image. */
  Background background(long maxPixels) {
    try {
      return background == null
          ? Background.blur(Background.DEFAULT_BLUR_RADIUS)
          : Background.parse(background, new ImageDecoder(maxPixels));
    } catch (SegmenterException e) {
      throw new UsageException("--background " + background + ": " + e.getMessage());
    }
  }

  /** Soft outputs need the network's probabilities. */
  boolean needsScores(Settings s) {
    for (Output.Request o : outputs(s)) {
      if (o.kind().needsScores(hardEdges)) {
        return true;
      }
    }
    return false;
  }

  /** The palette with {@code --void-color} applied. */
  Palette palette(Palette p) {
    return voidColor == null ? p : p.withVoid(voidColor);
  }

  /** The class id --transparent names, or -1. */
  int transparentId(Palette palette, ModelCard card) {
    return transparent == null ? -1 : ClassIds.of(transparent, palette, card.classCount());
  }
}
