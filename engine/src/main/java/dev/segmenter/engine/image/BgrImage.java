package dev.segmenter.engine.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
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
      throw new IllegalArgumentException("image size " + width + "x" + height + " must be positive");
    }
    if ((long) width * height * 3 != data.length) {
      throw new IllegalArgumentException(
          "a " + width + "x" + height + " BGR image needs " + (long) width * height * 3 + " bytes, got " + data.length);
    }
  }

  /** A black image. */
  public static BgrImage allocate(int width, int height) {
    return new BgrImage(width, height, new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)]);
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
    BufferedImage bgr = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    java.awt.Graphics2D g = bgr.createGraphics();
    try {
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return new BgrImage(bgr.getWidth(), bgr.getHeight(), ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData());
  }

  /** A TYPE_3BYTE_BGR BufferedImage holding a copy of this image's bytes. */
  public BufferedImage toBufferedImage() {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] target = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    System.arraycopy(data, 0, target, 0, data.length);
    return out;
  }
}
