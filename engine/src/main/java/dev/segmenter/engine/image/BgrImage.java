package dev.segmenter.engine.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.util.Objects;

/**
 * An 8-bit, 3-channel image, interleaved in OpenCV's B, G, R order, row-major, no padding:
 * pixel (x, y) channel c is {@code data[(y * width + x) * 3 + c]}.
 *
 * <p>{@link #data()} is a view of the backing array (no copy). {@link #toBufferedImage()} copies.
 */
public record BgrImage(int width, int height, byte[] data) {

  public BgrImage {
    Objects.requireNonNull(data, "data");
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "image size " + width + "x" + height + " must be positive");
    }
    if ((long) width * height * 3 != data.length) {
      throw new IllegalArgumentException("a " + width + "x" + height + " BGR image needs "
          + (long) width * height * 3 + " bytes, got " + data.length);
    }
  }

  /** A black image. */
  public static BgrImage allocate(int width, int height) {
    return new BgrImage(
        width, height, new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)]);
  }

  public int pixels() {
    return width * height;
  }

  /**
   * Converts any BufferedImage to BGR bytes: TYPE_3BYTE_BGR is wrapped without copying; other types
   * (gray, 16-bit, indexed, with alpha) are converted; transparent pixels are composited over black.
   */
  public static BgrImage from(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
        && image.getRaster().getDataBuffer() instanceof DataBufferByte db
        && db.getNumBanks() == 1
        && db.getData().length == image.getWidth() * image.getHeight() * 3
        && image.getRaster().getParent() == null) {
      return new BgrImage(image.getWidth(), image.getHeight(), db.getData());
    }
    if (image.getType() == BufferedImage.TYPE_CUSTOM
        && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      return fromCustomGray(image);
    }
    if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK
        && image.getRaster().getNumBands() == 4) {
      return fromCmyk(image);
    }
    BufferedImage bgr =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    java.awt.Graphics2D g = bgr.createGraphics();
    try {
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return new BgrImage(
        bgr.getWidth(),
        bgr.getHeight(),
        ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData());
  }

  /**
   * CMYK (JPEGs from print workflows, TIFFs with separated photometry): Java2D would convert through a print
   * profile and hand out washed-out colors (a mean error of 70 levels on a test scene); take the plain conversion
   * {@code R = (1 - C)(1 - K)} that OpenCV's {@code imread} (through libjpeg and libtiff) and browsers use.
   */
  private static BgrImage fromCmyk(BufferedImage image) {
    Raster raster = image.getRaster();
    int w = image.getWidth();
    int h = image.getHeight();
    int[] max = new int[4];
    for (int b = 0; b < 4; b++) {
      max[b] = (1 << image.getColorModel().getComponentSize(b)) - 1;
    }
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    int[] px = new int[4 * w];
    for (int y = 0; y < h; y++) {
      raster.getPixels(0, y, w, 1, px);
      for (int x = 0; x < w; x++) {
        double k = 1 - px[4 * x + 3] / (double) max[3];
        int o = (y * w + x) * 3;
        for (int c = 0; c < 3; c++) { // C, M, Y -> R, G, B -> stored as B, G, R
          double v = (1 - px[4 * x + c] / (double) max[c]) * k;
          out[o + 2 - c] = (byte) Math.round(v * 255);
        }
      }
    }
    return new BgrImage(w, h, out);
  }

  /**
   * Gray images that Java2D has no fast loop for (gray + alpha, as PNG decodes them) would be drawn through
   * the linear-gray color space and come out brightened (77 becomes 149); take their samples as they are,
   * like OpenCV, scaled to 8 bits and composited over black.
   */
  private static BgrImage fromCustomGray(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    int w = image.getWidth();
    int h = image.getHeight();
    double grayMax = (1L << cm.getComponentSize(0)) - 1;
    boolean alpha = cm.hasAlpha() && !cm.isAlphaPremultiplied() && raster.getNumBands() > 1;
    double alphaMax = alpha ? (1L << cm.getComponentSize(1)) - 1 : 1;
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    int[] gray = new int[w];
    int[] a = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, gray);
      if (alpha) {
        raster.getSamples(0, y, w, 1, 1, a);
      }
      for (int x = 0; x < w; x++) {
        double v = gray[x] * 255.0 / grayMax;
        if (alpha) {
          v = v * a[x] / alphaMax;
        }
        byte b = (byte) Math.max(0, Math.min(255, Math.round(v)));
        int i = 3 * (y * w + x);
        out[i] = b;
        out[i + 1] = b;
        out[i + 2] = b;
      }
    }
    return new BgrImage(w, h, out);
  }

  /** A TYPE_3BYTE_BGR BufferedImage holding a copy of this image's bytes. */
  public BufferedImage toBufferedImage() {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] target = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    System.arraycopy(data, 0, target, 0, data.length);
    return out;
  }
}
