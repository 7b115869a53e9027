package dev.segmenter.engine.kernels;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Random and boundary inputs shared by the kernel tests. */
final class KernelTestData {

  /** Sizes around every lane count in use (8, 16, 32, 64) and block sizes (1024). */
  static final int[] SIZES = {
    1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 100, 1023, 1024, 1025, 2049,
    3001
  };

  private KernelTestData() {}

  static long seed() {
    return Long.getLong("kernels.seed", System.nanoTime());
  }

  /** Scores of one of several kinds: gaussian, few distinct values (ties), specials, all equal, all NaN. */
  static float[] scores(SplittableRandom r, int n, int kind) {
    float[] a = new float[n];
    switch (kind) {
      case 0:
        for (int i = 0; i < n; i++) {
          a[i] = (float) (r.nextDouble() * 20 - 10);
        }
        break;
      case 1: // ties and signed zeros
        float[] few = {-1f, 0f, -0f, 1f, 2f};
        for (int i = 0; i < n; i++) {
          a[i] = few[r.nextInt(few.length)];
        }
        break;
      case 2: // specials sprinkled
        float[] special = {
          Float.NaN,
          Float.POSITIVE_INFINITY,
          Float.NEGATIVE_INFINITY,
          -0f,
          0f,
          Float.MAX_VALUE,
          -Float.MAX_VALUE,
          Float.MIN_VALUE
        };
        for (int i = 0; i < n; i++) {
          a[i] = r.nextInt(3) == 0 ? special[r.nextInt(special.length)] : (float) r.nextDouble();
        }
        break;
      case 3:
        Arrays.fill(a, 0.25f);
        break;
      case 4:
        Arrays.fill(a, Float.NaN);
        break;
      case 5:
        Arrays.fill(a, Float.NEGATIVE_INFINITY);
        break;
      default: // mostly NaN and -Inf with rare numbers
        for (int i = 0; i < n; i++) {
          int k = r.nextInt(10);
          a[i] = k < 4 ? Float.NaN : k < 8 ? Float.NEGATIVE_INFINITY : (float) r.nextInt(3);
        }
    }
    return a;
  }

  static final int SCORE_KINDS = 7;

  static byte[] bytes(SplittableRandom r, int n) {
    byte[] a = new byte[n];
    for (int i = 0; i < n; i++) {
      a[i] = (byte) r.nextInt(256);
    }
    return a;
  }

  static short[] shorts(SplittableRandom r, int n, int bound) {
    short[] a = new short[n];
    for (int i = 0; i < n; i++) {
      a[i] = (short) r.nextInt(bound);
    }
    return a;
  }
}
