package dev.segmenter.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CompositeKernelTest {

  private static final CompositeKernel SCALAR = Kernels.scalar().composite();
  private static final CompositeKernel VECTOR = Kernels.vector().composite();

  /** Independent reference: round(x / 255) in doubles. */
  private static int naive(int fg, int bg, int a) {
    return (int) Math.round((fg * (double) a + bg * (255.0 - a)) / 255.0);
  }

  @Test
  void integerRoundingIsRoundOfTheQuotientForEveryValue() {
    for (int x = 0; x <= 255 * 255; x++) {
      int t = x + 128;
      assertEquals(Math.round(x / 255.0), (t + (t >> 8)) >> 8, "x=" + x);
    }
  }

  @Test
  void vectorEqualsScalarEqualsNaive() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    for (int n : KernelTestData.SIZES) {
      for (int kind = 0; kind < 4; kind++) {
        byte[] fg = KernelTestData.bytes(r, 3 * n);
        byte[] bg = KernelTestData.bytes(r, 3 * n);
        byte[] alpha = switch (kind) {
          case 0 -> KernelTestData.bytes(r, n);
          case 1 -> filled(n, (byte) 0);
          case 2 -> filled(n, (byte) 255);
          default -> edges(r, n);
        };
        int from = r.nextInt(3) == 0 ? r.nextInt(n) : 0;
        String what = "seed=" + seed + " n=" + n + " kind=" + kind + " from=" + from;
        byte[] expected = new byte[3 * n];
        SCALAR.composite(fg, bg, alpha, from, n, expected);
        for (int i = 3 * from; i < 3 * n; i++) {
          assertEquals(
              naive(fg[i] & 0xFF, bg[i] & 0xFF, alpha[i / 3] & 0xFF),
              expected[i] & 0xFF,
              what + " i=" + i);
        }
        for (int i = 0; i < 3 * from; i++) {
          assertEquals(0, expected[i], what + ": wrote outside the range at " + i);
        }
        byte[] actual = new byte[3 * n];
        VECTOR.composite(fg, bg, alpha, from, n, actual);
        assertArrayEquals(expected, actual, what);
      }
    }
  }

  @Test
  void everyTripleOfForegroundBackgroundAndAlphaAtOnePixelPerCase() {
    int n = 256 * 256;
    byte[] fg = new byte[3 * n];
    byte[] bg = new byte[3 * n];
    byte[] expected = new byte[3 * n];
    byte[] actual = new byte[3 * n];
    byte[] alpha = new byte[n];
    for (int a = 0; a < 256; a += 5) {
      for (int p = 0; p < n; p++) {
        fg[3 * p] = (byte) (p >> 8);
        bg[3 * p] = (byte) p;
        fg[3 * p + 1] = (byte) p;
        bg[3 * p + 1] = (byte) (p >> 8);
        fg[3 * p + 2] = (byte) 255;
        bg[3 * p + 2] = 0;
        alpha[p] = (byte) a;
      }
      SCALAR.composite(fg, bg, alpha, 0, n, expected);
      VECTOR.composite(fg, bg, alpha, 0, n, actual);
      assertArrayEquals(expected, actual, "alpha=" + a);
      assertEquals(naive(200, 13, a), expected[3 * (200 * 256 + 13)] & 0xFF, "alpha=" + a);
    }
  }

  @Test
  void alphaEndsGiveTheInputsAndOutMayAliasAnInput() {
    byte[] fg = {10, 20, (byte) 200, 1, 2, 3};
    byte[] bg = {30, 40, (byte) 255, 4, 5, 6};
    byte[] alpha = {(byte) 255, 0};
    VECTOR.composite(fg, bg, alpha, 0, 2, fg);
    assertArrayEquals(new byte[] {10, 20, (byte) 200, 4, 5, 6}, fg);
    IndexOutOfBoundsException e = assertThrows(
        IndexOutOfBoundsException.class, () -> SCALAR.composite(fg, bg, new byte[1], 0, 2, fg));
    assertEquals("range [0, 2) is outside fg/bg/out pixels and alpha of length 1", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> VECTOR.composite(fg, bg, alpha, 0, 3, fg));
  }

  private static byte[] filled(int n, byte v) {
    byte[] a = new byte[n];
    Arrays.fill(a, v);
    return a;
  }

  /** Mostly 0 and 255 with soft values between, as a soft mask has. */
  private static byte[] edges(SplittableRandom r, int n) {
    byte[] a = new byte[n];
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(4);
      a[i] = (byte) (k == 0 ? 0 : k == 1 ? 255 : k == 2 ? 1 + r.nextInt(254) : 128);
    }
    return a;
  }
}
