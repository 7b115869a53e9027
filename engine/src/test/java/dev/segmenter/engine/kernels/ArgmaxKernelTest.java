package dev.segmenter.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ArgmaxKernelTest {

  private static final ArgmaxKernel SCALAR = Kernels.scalar().argmax();
  private static final ArgmaxKernel VECTOR = Kernels.vector().argmax();
  private static final int[] CLASSES = {1, 2, 3, 5, 16, 19, 21, 33, 150, 256};

  /** Independent reference: the lowest index holding the maximum of the non-NaN scores, else 0. */
  static int naive(float[] s, int offset, int classes, int stride, int first) {
    float max = Float.NaN;
    for (int c = 0; c < classes; c++) {
      float v = s[offset + first + c * stride];
      if (!Float.isNaN(v)) {
        max = Float.isNaN(max) ? v : Math.max(max, v);
      }
    }
    for (int c = 0; c < classes; c++) {
      if (s[offset + first + c * stride] == max) {
        return c;
      }
    }
    return 0;
  }

  @Test
  void rulesOnHandPickedPixels() {
    float nan = Float.NaN;
    float inf = Float.POSITIVE_INFINITY;
    float[][] pixels = {
      {1, 3, 3},
      {nan, 1, 0},
      {nan, nan, nan},
      {-inf, -inf},
      {nan, -inf, -inf},
      {0f, -0f, 0f},
      {-0f, 0f},
      {5, inf, nan},
      {nan, -inf, 2}
    };
    int[] expected = {1, 1, 0, 0, 1, 0, 0, 1, 2};
    for (Kernels k : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      for (int i = 0; i < pixels.length; i++) {
        float[] s = pixels[i];
        byte[] out = new byte[1];
        k.argmax().argmaxInterleaved(s, 0, s.length, 0, 1, out);
        assertEquals(expected[i], out[0], k + " " + Arrays.toString(s));
        k.argmax().argmaxPlanar(s, 0, s.length, 1, 0, 1, out);
        assertEquals(expected[i], out[0], k + " planar " + Arrays.toString(s));
        k.argmax().argmaxPlanar(direct(s), 0, s.length, 1, 0, 1, out);
        assertEquals(expected[i], out[0], k + " native " + Arrays.toString(s));
      }
    }
  }

  @Test
  void planarVectorEqualsScalarEqualsNaive() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    for (int classes : CLASSES) {
      for (int pixels : KernelTestData.SIZES) {
        int kind = r.nextInt(KernelTestData.SCORE_KINDS);
        int offset = r.nextInt(3);
        float[] s = KernelTestData.scores(r, offset + classes * pixels + r.nextInt(2), kind);
        int from = r.nextInt(4) == 0 ? r.nextInt(pixels) : 0;
        int to = r.nextInt(4) == 0 ? from + r.nextInt(pixels - from + 1) : pixels;
        String what = "seed=" + seed + " classes=" + classes + " pixels=" + pixels + " kind=" + kind
            + " range=[" + from + "," + to + ") offset=" + offset;
        byte[] expected = filled(pixels);
        SCALAR.argmaxPlanar(s, offset, classes, pixels, from, to, expected);
        for (int p = 0; p < pixels; p++) {
          int want = p >= from && p < to ? naive(s, offset, classes, pixels, p) : 77;
          assertEquals(want, expected[p] & 0xFF, what + " p=" + p);
        }
        byte[] actual = filled(pixels);
        VECTOR.argmaxPlanar(s, offset, classes, pixels, from, to, actual);
        assertArrayEquals(expected, actual, what);
        short[] expectedS = new short[pixels];
        short[] actualS = new short[pixels];
        SCALAR.argmaxPlanar(s, offset, classes, pixels, from, to, expectedS);
        VECTOR.argmaxPlanar(s, offset, classes, pixels, from, to, actualS);
        assertArrayEquals(expectedS, actualS, what);
      }
    }
  }

  /** The floats in a direct native-order buffer, as a runtime's output memory holds them. */
  static ByteBuffer direct(float[] s) {
    ByteBuffer b = ByteBuffer.allocateDirect(s.length * Float.BYTES).order(ByteOrder.nativeOrder());
    b.asFloatBuffer().put(s);
    return b;
  }

  /** Native memory in, the array path's ids out: scalar and vector, byte and short ids, every size and kind. */
  @Test
  void planarFromNativeMemoryEqualsArrays() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    for (int classes : CLASSES) {
      for (int pixels : KernelTestData.SIZES) {
        int kind = r.nextInt(KernelTestData.SCORE_KINDS);
        int offset = r.nextInt(3);
        float[] s = KernelTestData.scores(r, offset + classes * pixels + r.nextInt(2), kind);
        ByteBuffer b = direct(s);
        b.position(r.nextInt(2)); // the position is ignored
        int from = r.nextInt(4) == 0 ? r.nextInt(pixels) : 0;
        int to = r.nextInt(4) == 0 ? from + r.nextInt(pixels - from + 1) : pixels;
        String what = "seed=" + seed + " classes=" + classes + " pixels=" + pixels + " kind=" + kind
            + " range=[" + from + "," + to + ") offset=" + offset;
        byte[] expected = filled(pixels);
        SCALAR.argmaxPlanar(s, offset, classes, pixels, from, to, expected);
        for (ArgmaxKernel k : new ArgmaxKernel[] {SCALAR, VECTOR}) {
          byte[] actual = filled(pixels);
          k.argmaxPlanar(b, offset, classes, pixels, from, to, actual);
          assertArrayEquals(expected, actual, k + " " + what);
          short[] expectedS = new short[pixels];
          short[] actualS = new short[pixels];
          SCALAR.argmaxPlanar(s, offset, classes, pixels, from, to, expectedS);
          k.argmaxPlanar(b, offset, classes, pixels, from, to, actualS);
          assertArrayEquals(expectedS, actualS, k + " " + what);
        }
      }
    }
  }

  /**
   * Sizes past the planar kernel's pixel blocks, with classes that take one, two and three passes over a block:
   * arrays and native memory against the naive reference.
   */
  @Test
  void planarBeyondOneBlockAndOnePass() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    for (int classes : new int[] {11, 12, 21, 23, 34}) {
      int pixels = 65536 + 1 + r.nextInt(40000);
      int kind = r.nextInt(KernelTestData.SCORE_KINDS);
      float[] s = KernelTestData.scores(r, classes * pixels, kind);
      int from = r.nextInt(100);
      int to = pixels - r.nextInt(100);
      String what = "seed=" + seed + " classes=" + classes + " pixels=" + pixels + " kind=" + kind;
      byte[] expected = filled(pixels);
      for (int p = from; p < to; p++) {
        expected[p] = (byte) naive(s, 0, classes, pixels, p);
      }
      byte[] actual = filled(pixels);
      VECTOR.argmaxPlanar(s, 0, classes, pixels, from, to, actual);
      assertArrayEquals(expected, actual, what);
      actual = filled(pixels);
      VECTOR.argmaxPlanar(direct(s), 0, classes, pixels, from, to, actual);
      assertArrayEquals(expected, actual, "native " + what);
    }
  }

  @Test
  void nativeMemoryMustBeNativeOrderAndLongEnough() {
    ByteBuffer wrongOrder = ByteBuffer.allocateDirect(40)
        .order(
            ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                ? ByteOrder.BIG_ENDIAN
                : ByteOrder.LITTLE_ENDIAN);
    for (ArgmaxKernel k : new ArgmaxKernel[] {SCALAR, VECTOR}) {
      IllegalArgumentException e = assertThrows(
          IllegalArgumentException.class,
          () -> k.argmaxPlanar(wrongOrder, 0, 2, 5, 0, 5, new byte[5]));
      assertEquals(true, e.getMessage().contains("native byte order"), e.getMessage());
      ByteBuffer shortBuffer = ByteBuffer.allocateDirect(36).order(ByteOrder.nativeOrder());
      assertThrows(
          IndexOutOfBoundsException.class,
          () -> k.argmaxPlanar(shortBuffer, 0, 2, 5, 0, 5, new byte[5]));
    }
  }

  @Test
  void interleavedVectorEqualsScalarEqualsNaive() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    for (int classes : CLASSES) {
      for (int pixels : KernelTestData.SIZES) {
        int kind = r.nextInt(KernelTestData.SCORE_KINDS);
        int offset = r.nextInt(3);
        float[] s = KernelTestData.scores(r, offset + classes * pixels, kind);
        int from = r.nextInt(4) == 0 ? r.nextInt(pixels) : 0;
        String what =
            "seed=" + seed + " classes=" + classes + " pixels=" + pixels + " kind=" + kind;
        byte[] expected = filled(pixels);
        SCALAR.argmaxInterleaved(s, offset, classes, from, pixels, expected);
        for (int p = from; p < pixels; p++) {
          assertEquals(
              naive(s, offset + p * classes, classes, 1, 0), expected[p] & 0xFF, what + " p=" + p);
        }
        byte[] actual = filled(pixels);
        VECTOR.argmaxInterleaved(s, offset, classes, from, pixels, actual);
        assertArrayEquals(expected, actual, what);
        short[] expectedS = new short[pixels];
        short[] actualS = new short[pixels];
        SCALAR.argmaxInterleaved(s, offset, classes, from, pixels, expectedS);
        VECTOR.argmaxInterleaved(s, offset, classes, from, pixels, actualS);
        assertArrayEquals(expectedS, actualS, what);
      }
    }
  }

  @Test
  void shortIdsBeyond256Classes() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    int classes = 300;
    int pixels = 333;
    float[] s = KernelTestData.scores(r, classes * pixels, 0);
    s[299 * pixels + 5] = 1e9f; // class 299 wins pixel 5
    short[] expected = new short[pixels];
    short[] actual = new short[pixels];
    SCALAR.argmaxPlanar(s, 0, classes, pixels, 0, pixels, expected);
    VECTOR.argmaxPlanar(s, 0, classes, pixels, 0, pixels, actual);
    assertEquals(299, expected[5], "seed=" + seed);
    assertArrayEquals(expected, actual, "seed=" + seed);
    assertThrows(
        IllegalArgumentException.class,
        () -> VECTOR.argmaxPlanar(s, 0, classes, pixels, 0, pixels, new byte[pixels]));
  }

  /** Thousands of small calls so that C2 compiles the vector loops before the last comparisons. */
  @Test
  void manySmallCallsAfterJit() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    for (int iter = 0; iter < 4000; iter++) {
      int classes = 1 + r.nextInt(24);
      int pixels = 1 + r.nextInt(100);
      float[] s = KernelTestData.scores(r, classes * pixels, r.nextInt(KernelTestData.SCORE_KINDS));
      byte[] expected = new byte[pixels];
      byte[] actual = new byte[pixels];
      SCALAR.argmaxPlanar(s, 0, classes, pixels, 0, pixels, expected);
      VECTOR.argmaxPlanar(s, 0, classes, pixels, 0, pixels, actual);
      assertArrayEquals(expected, actual, "seed=" + seed + " iter=" + iter);
      VECTOR.argmaxPlanar(direct(s), 0, classes, pixels, 0, pixels, actual);
      assertArrayEquals(expected, actual, "seed=" + seed + " native iter=" + iter);
      SCALAR.argmaxInterleaved(s, 0, classes, 0, pixels, expected);
      VECTOR.argmaxInterleaved(s, 0, classes, 0, pixels, actual);
      assertArrayEquals(expected, actual, "seed=" + seed + " interleaved iter=" + iter);
    }
  }

  @Test
  void rejectsBadArguments() {
    float[] s = new float[10];
    byte[] out = new byte[5];
    assertThrows(IndexOutOfBoundsException.class, () -> VECTOR.argmaxPlanar(s, 0, 3, 5, 0, 5, out));
    assertThrows(IllegalArgumentException.class, () -> SCALAR.argmaxPlanar(s, 0, 0, 5, 0, 5, out));
    assertThrows(IndexOutOfBoundsException.class, () -> SCALAR.argmaxPlanar(s, 0, 2, 5, 3, 6, out));
  }

  static byte[] filled(int n) {
    byte[] a = new byte[n];
    Arrays.fill(a, (byte) 77);
    return a;
  }
}
