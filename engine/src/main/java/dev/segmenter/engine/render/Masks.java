package dev.segmenter.engine.render;

import dev.segmenter.engine.ClassMap;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** Binary masks of classes: 255 where a pixel's class is one of the given ids, 0 elsewhere. */
public final class Masks {
  private Masks() {}

  /** The mask as row-major gray bytes (0 or 255), the class map's size. */
  public static byte[] bytes(ClassMap map, int... ids) {
    boolean[] in = select(map, ids);
    int n = map.pixels();
    byte[] out = new byte[n];
    byte[] b = map.bytes();
    if (b != null) {
      for (int p = 0; p < n; p++) {
        out[p] = in[b[p] & 0xFF] ? (byte) 255 : 0;
      }
    } else {
      short[] s = map.shorts();
      for (int p = 0; p < n; p++) {
        out[p] = in[s[p] & 0xFFFF] ? (byte) 255 : 0;
      }
    }
    return out;
  }

  /** The mask as an 8-bit gray image (0 or 255). */
  public static BufferedImage image(ClassMap map, int... ids) {
    byte[] mask = bytes(map, ids);
    BufferedImage image =
        new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_BYTE_GRAY);
    System.arraycopy(
        mask, 0, ((DataBufferByte) image.getRaster().getDataBuffer()).getData(), 0, mask.length);
    return image;
  }

  /** A lookup of the selected ids, as wide as the map's id type. */
  static boolean[] select(ClassMap map, int... ids) {
    if (ids == null || ids.length == 0) {
      throw new IllegalArgumentException("no class ids given; name at least one class id");
    }
    boolean[] in = new boolean[map.isWide() ? 65536 : 256];
    for (int id : ids) {
      if (id < 0 || id > 65535) {
        throw new IllegalArgumentException(
            "class id " + id + " is out of range; accepted: 0 to 65535");
      }
      if (id < in.length) {
        in[id] = true;
      }
    }
    return in;
  }
}
