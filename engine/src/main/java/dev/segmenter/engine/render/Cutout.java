package dev.segmenter.engine.render;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.image.BgrImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Background removal: the image's pixels whose class is one of the kept ids, fully opaque, and every other
 * pixel fully transparent (ARGB 0).
 */
public final class Cutout {
  private Cutout() {}

  /** Packed ARGB pixels, row-major. */
  public static int[] argb(BgrImage image, ClassMap map, int... keep) {
    if (image.width() != map.width() || image.height() != map.height()) {
      throw new IllegalArgumentException("the class map is " + map.width() + "x" + map.height()
          + " but the image is " + image.width() + "x" + image.height()
          + "; resize the class map to the image's size first");
    }
    boolean[] in = Masks.select(map, keep);
    byte[] bgr = image.data();
    int n = map.pixels();
    int[] out = new int[n];
    for (int p = 0; p < n; p++) {
      if (in[map.get(p)]) {
        out[p] = 0xFF000000
            | (bgr[3 * p + 2] & 0xFF) << 16
            | (bgr[3 * p + 1] & 0xFF) << 8
            | (bgr[3 * p] & 0xFF);
      }
    }
    return out;
  }

  /**
   * A TYPE_INT_ARGB image of the image's pixels with the given alpha (one byte per pixel, e.g. soft from
   * {@link SoftMasks#kept}); color channels are not premultiplied. Write it as PNG to keep the transparency.
   */
  public static BufferedImage image(BgrImage image, byte[] alpha) {
    if (alpha.length != image.pixels()) {
      throw new IllegalArgumentException("alpha holds " + alpha.length + " values but the image is "
          + image.width() + "x" + image.height());
    }
    BufferedImage out =
        new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_ARGB);
    int[] argb = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    byte[] bgr = image.data();
    for (int p = 0; p < argb.length; p++) {
      int a = alpha[p] & 0xFF;
      if (a != 0) {
        argb[p] = a << 24
            | (bgr[3 * p + 2] & 0xFF) << 16
            | (bgr[3 * p + 1] & 0xFF) << 8
            | (bgr[3 * p] & 0xFF);
      }
    }
    return out;
  }

  /** A TYPE_INT_ARGB image; write it as PNG to keep the transparency. */
  public static BufferedImage image(BgrImage image, ClassMap map, int... keep) {
    int[] argb = argb(image, map, keep);
    BufferedImage out =
        new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_ARGB);
    System.arraycopy(
        argb, 0, ((DataBufferInt) out.getRaster().getDataBuffer()).getData(), 0, argb.length);
    return out;
  }
}
