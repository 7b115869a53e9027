package dev.segmenter.engine.render;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.image.BgrImage;
import java.util.Random;

/** Random class maps and images for property tests. */
final class RandomMaps {
  private RandomMaps() {}

  /** Ids in {@code 0..maxId}; wide maps hold 16-bit ids. */
  static ClassMap map(Random rnd, int w, int h, int maxId, boolean wide) {
    int n = w * h;
    if (wide) {
      short[] ids = new short[n];
      for (int i = 0; i < n; i++) {
        ids[i] = (short) rnd.nextInt(maxId + 1);
      }
      return ClassMap.ofShorts(w, h, ids);
    }
    byte[] ids = new byte[n];
    for (int i = 0; i < n; i++) {
      ids[i] = (byte) rnd.nextInt(Math.min(maxId, 255) + 1);
    }
    return ClassMap.ofBytes(w, h, ids);
  }

  static BgrImage image(Random rnd, int w, int h) {
    byte[] data = new byte[w * h * 3];
    rnd.nextBytes(data);
    return new BgrImage(w, h, data);
  }
}
