package dev.segmenter.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlendKernelTest {

  private static final BlendKernel SCALAR = Kernels.scalar().blend();
  private static final BlendKernel VECTOR = Kernels.vector().blend();
  private static final float[] ALPHAS = {
    0f, 1f, 0.5f, 0.25f, 0.3f, 0.4f, 0.6f, 0.7f, 1f / 3, 0.999f, 1e-7f
  };

  @Test
  void vectorEqualsScalarEqualsFormula() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    for (float alpha : ALPHAS) {
      for (int n : KernelTestData.SIZES) {
        byte[] a = KernelTestData.bytes(r, n);
        byte[] b = KernelTestData.bytes(r, n);
        int from = r.nextInt(3) == 0 ? r.nextInt(n) : 0;
        String what = "seed=" + seed + " alpha=" + alpha + " n=" + n;
        byte[] expected = new byte[n];
        SCALAR.blend(a, b, alpha, from, n, expected);
        for (int i = from; i < n; i++) {
          int want = (int) ((a[i] & 0xFF) * (1f - alpha) + (b[i] & 0xFF) * alpha + 0.5f);
          assertEquals(want, expected[i] & 0xFF, what + " i=" + i);
          double exact = (a[i] & 0xFF) * (1.0 - alpha) + (b[i] & 0xFF) * (double) alpha;
          assertTrue(Math.abs(want - exact) <= 0.5001, what + " i=" + i);
        }
        byte[] actual = new byte[n];
        VECTOR.blend(a, b, alpha, from, n, actual);
        assertArrayEquals(expected, actual, what);
      }
    }
  }

  @Test
  void everyPairOfBytesAtManyAlphas() {
    byte[] a = new byte[65536];
    byte[] b = new byte[65536];
    for (int i = 0; i < 65536; i++) {
      a[i] = (byte) (i >> 8);
      b[i] = (byte) i;
    }
    SplittableRandom r = new SplittableRandom(KernelTestData.seed());
    for (int k = 0; k < 60; k++) {
      float alpha = k < ALPHAS.length ? ALPHAS[k] : r.nextFloat();
      byte[] expected = new byte[65536];
      byte[] actual = new byte[65536];
      SCALAR.blend(a, b, alpha, 0, 65536, expected);
      VECTOR.blend(a, b, alpha, 0, 65536, actual);
      assertArrayEquals(expected, actual, "alpha=" + alpha);
    }
  }

  @Test
  void inPlaceAndBadAlpha() {
    byte[] a = {10, 20, (byte) 200};
    byte[] b = {30, 40, (byte) 255};
    VECTOR.blend(a, b, 0.5f, 0, 3, a);
    assertArrayEquals(new byte[] {20, 30, (byte) 228}, a);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SCALAR.blend(a, b, 1.5f, 0, 3, a));
    assertEquals("alpha must be in [0, 1], got 1.5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> VECTOR.blend(a, b, Float.NaN, 0, 3, a));
  }
}
