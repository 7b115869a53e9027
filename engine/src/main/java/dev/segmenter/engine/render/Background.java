package dev.segmenter.engine.render;

import dev.segmenter.engine.ConfigException;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.image.ImageDecoder;
import dev.segmenter.engine.image.LinearResize8u;
import dev.segmenter.engine.kernels.CompositeKernel;
import dev.segmenter.engine.kernels.Parallel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Background replacement: the kept classes of an image over a new background, composited with a per-pixel alpha
 * (soft from {@link SoftMasks#kept}, or hard). The background is a color, a picture scaled to cover the image
 * (aspect kept, centred, the overhang cropped), or the image itself blurred. Immutable and thread-safe; a
 * picture is decoded once and its resized copy is cached for the last image size.
 *
 * <pre>{@code
 * Background bg = Background.parse("blur:15", new ImageDecoder());
 * byte[] alpha = SoftMasks.alpha(SoftMasks.kept(r, kernels, 1));
 * BgrImage out = bg.render(r.image(), alpha, kernels.composite());
 * }</pre>
 */
public final class Background {
  /** Blur radius when {@code blur} has none. */
  public static final int DEFAULT_BLUR_RADIUS = 15;

  private static final int THREADS = Runtime.getRuntime().availableProcessors();

  private static final Map<String, Integer> NAMED = Map.of(
      "white", 0xFFFFFF, "black", 0x000000, "green", 0x00B140, "blue", 0x0047BB, "gray", 0x808080,
      "grey", 0x808080, "red", 0xFF0000);

  private enum Kind {
    COLOR,
    PICTURE,
    BLUR
  }

  private final Kind kind;
  private final int rgb;
  private final BgrImage picture;
  private final int radius;
  private final String spec;
  private volatile BgrImage fitted;

  private Background(Kind kind, int rgb, BgrImage picture, int radius, String spec) {
    this.kind = kind;
    this.rgb = rgb;
    this.picture = picture;
    this.radius = radius;
    this.spec = spec;
  }

  /** A solid color, {@code 0xRRGGBB}. */
  public static Background color(int rgb) {
    return new Background(
        Kind.COLOR, rgb & 0xFFFFFF, null, 0, String.format(Locale.ROOT, "#%06x", rgb & 0xFFFFFF));
  }

  /** A picture, scaled to cover each image (aspect kept, centred, cropped). */
  public static Background picture(BgrImage picture) {
    return new Background(
        Kind.PICTURE, 0, picture, 0, "picture " + picture.width() + "x" + picture.height());
  }

  /** The image itself, blurred: three box blurs of {@code radius} (close to a gaussian of sigma ~ radius). */
  public static Background blur(int radius) {
    if (radius < 1 || radius > 500) {
      throw new ConfigException("blur radius " + radius + " is outside 1..500 pixels");
    }
    return new Background(Kind.BLUR, 0, null, radius, "blur:" + radius);
  }

  /**
   * Parses {@code COLOR|IMAGE|blur[:RADIUS]}: a color as {@code #RRGGBB}, {@code R,G,B} or a name (white, black,
   * green, blue, gray, red); {@code blur} or {@code blur:RADIUS} (pixels, default {@value #DEFAULT_BLUR_RADIUS});
   * anything else is an image file, decoded now.
   *
   * @throws ConfigException naming the value and what is accepted
   */
  public static Background parse(String spec, ImageDecoder decoder) {
    String s = spec == null ? "" : spec.trim();
    String lower = s.toLowerCase(Locale.ROOT);
    String accepted = "; accepted: #RRGGBB, R,G,B, a color name ("
        + String.join(", ", NAMED.keySet().stream().sorted().toList())
        + "), blur, blur:RADIUS or an image file";
    if (s.isEmpty()) {
      throw new ConfigException("background is empty" + accepted);
    }
    if (lower.equals("blur")) {
      return blur(DEFAULT_BLUR_RADIUS);
    }
    if (lower.startsWith("blur:")) {
      try {
        return blur(Integer.parseInt(lower.substring(5).trim()));
      } catch (NumberFormatException e) {
        throw new ConfigException(
            "background '" + s + "': the blur radius must be a whole number of pixels 1..500");
      }
    }
    if (NAMED.containsKey(lower)) {
      return color(NAMED.get(lower));
    }
    if (lower.matches("#[0-9a-f]{6}")) {
      return color(Integer.parseInt(lower.substring(1), 16));
    }
    if (lower.matches("\\d{1,3}\\s*,\\s*\\d{1,3}\\s*,\\s*\\d{1,3}")) {
      String[] p = lower.split("\\s*,\\s*");
      int rgb = 0;
      for (String v : p) {
        int c = Integer.parseInt(v);
        if (c > 255) {
          throw new ConfigException("background '" + s + "': each of R,G,B must be 0..255");
        }
        rgb = rgb << 8 | c;
      }
      return color(rgb);
    }
    Path file = Path.of(s);
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          "background '" + s + "' is neither a color, blur, nor an existing image file" + accepted);
    }
    return picture(decoder.read(file));
  }

  /** The background at the image's size (BGR). */
  public BgrImage canvas(BgrImage image) {
    int w = image.width();
    int h = image.height();
    return switch (kind) {
      case COLOR -> {
        BgrImage c = BgrImage.allocate(w, h);
        byte[] d = c.data();
        byte b = (byte) rgb;
        byte g = (byte) (rgb >> 8);
        byte r = (byte) (rgb >> 16);
        for (int i = 0; i < d.length; i += 3) {
          d[i] = b;
          d[i + 1] = g;
          d[i + 2] = r;
        }
        yield c;
      }
      case PICTURE -> cover(w, h);
      case BLUR -> blurred(image, radius);
    };
  }

  /**
   * The image over this background: {@code out = image * a + background * (1 - a)} per pixel, exactly as
   * {@link CompositeKernel} rounds.
   *
   * @param alpha one byte per pixel (255 = the image's pixel)
   */
  public BgrImage render(BgrImage image, byte[] alpha, CompositeKernel kernel) {
    if (alpha.length != image.pixels()) {
      throw new IllegalArgumentException("alpha holds " + alpha.length + " values but the image is "
          + image.width() + "x" + image.height());
    }
    BgrImage bg = canvas(image);
    byte[] out = bg.data();
    int n = image.pixels();
    Parallel.forRange(
        n,
        THREADS,
        64 * 1024,
        (from, to) -> kernel.composite(image.data(), out, alpha, from, to, out));
    return bg;
  }

  @Override
  public String toString() {
    return spec;
  }

  private BgrImage cover(int w, int h) {
    BgrImage f = fitted;
    if (f != null && f.width() == w && f.height() == h) {
      return new BgrImage(w, h, f.data().clone());
    }
    double s = Math.max((double) w / picture.width(), (double) h / picture.height());
    int sw = Math.max(w, (int) Math.ceil(picture.width() * s));
    int sh = Math.max(h, (int) Math.ceil(picture.height() * s));
    byte[] scaled =
        LinearResize8u.resize(picture.data(), picture.width(), picture.height(), 3, sw, sh);
    int x0 = (sw - w) / 2;
    int y0 = (sh - h) / 2;
    byte[] d = new byte[3 * w * h];
    for (int y = 0; y < h; y++) {
      System.arraycopy(scaled, 3 * ((y + y0) * sw + x0), d, 3 * y * w, 3 * w);
    }
    fitted = new BgrImage(w, h, d);
    return new BgrImage(w, h, d.clone());
  }

  /** Three passes of a separable box blur (edges clamped): a cheap approximation of a gaussian. */
  static BgrImage blurred(BgrImage image, int radius) {
    int w = image.width();
    int h = image.height();
    byte[] a = image.data().clone();
    byte[] b = new byte[a.length];
    for (int pass = 0; pass < 3; pass++) {
      boxRows(a, b, w, h, radius);
      boxColumns(b, a, w, h, radius);
    }
    return new BgrImage(w, h, a);
  }

  private static void boxRows(byte[] src, byte[] dst, int w, int h, int r) {
    int div = 2 * r + 1;
    Parallel.forRange(h, THREADS, 16, (y0, y1) -> {
      for (int y = y0; y < y1; y++) {
        int row = 3 * y * w;
        for (int c = 0; c < 3; c++) {
          int sum = 0;
          for (int k = -r; k <= r; k++) {
            sum += src[row + 3 * clamp(k, w) + c] & 0xFF;
          }
          for (int x = 0; x < w; x++) {
            dst[row + 3 * x + c] = (byte) ((sum + r) / div);
            sum += (src[row + 3 * clamp(x + r + 1, w) + c] & 0xFF)
                - (src[row + 3 * clamp(x - r, w) + c] & 0xFF);
          }
        }
      }
    });
  }

  private static void boxColumns(byte[] src, byte[] dst, int w, int h, int r) {
    int div = 2 * r + 1;
    int stride = 3 * w;
    Parallel.forRange(stride, THREADS, 48, (i0, i1) -> {
      int[] sum = new int[i1 - i0];
      for (int k = -r; k <= r; k++) {
        int row = clamp(k, h) * stride;
        for (int i = i0; i < i1; i++) {
          sum[i - i0] += src[row + i] & 0xFF;
        }
      }
      for (int y = 0; y < h; y++) {
        int out = y * stride;
        int add = clamp(y + r + 1, h) * stride;
        int sub = clamp(y - r, h) * stride;
        for (int i = i0; i < i1; i++) {
          int s = sum[i - i0];
          dst[out + i] = (byte) ((s + r) / div);
          sum[i - i0] = s + (src[add + i] & 0xFF) - (src[sub + i] & 0xFF);
        }
      }
    });
  }

  private static int clamp(int i, int n) {
    return i < 0 ? 0 : i >= n ? n - 1 : i;
  }
}
