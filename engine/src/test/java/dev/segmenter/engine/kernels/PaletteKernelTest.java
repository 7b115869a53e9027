package dev.segmenter.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PaletteKernelTest {

  private static final PaletteKernel SCALAR = Kernels.scalar().palette();
  private static final PaletteKernel VECTOR = Kernels.vector().palette();
  private static final int[] ENTRIES = {1, 2, 19, 21, 150, 255, 256, 300};

  @Test
  void lookup3ByteIdsIncludingIdsBeyondTheTable() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    for (int entries : ENTRIES) {
      for (int n : KernelTestData.SIZES) {
        byte[] ids = KernelTestData.bytes(r, n);
        byte[] lut = KernelTestData.bytes(r, 3 * entries);
        int from = r.nextInt(3) == 0 ? r.nextInt(n) : 0;
        int to = r.nextInt(3) == 0 ? from + r.nextInt(n - from + 1) : n;
        String what =
            "seed=" + seed + " entries=" + entries + " n=" + n + " range=[" + from + "," + to + ")";
        byte[] expected = filled(3 * n);
        SCALAR.lookup3(ids, from, to, lut, expected);
        for (int p = 0; p < n; p++) {
          int id = Math.min(ids[p] & 0xFF, entries - 1);
          for (int k = 0; k < 3; k++) {
            byte want = p >= from && p < to ? lut[3 * id + k] : (byte) 0x5A;
            assertEquals(want, expected[3 * p + k], what + " p=" + p);
          }
        }
        byte[] actual = filled(3 * n);
        VECTOR.lookup3(ids, from, to, lut, actual);
        assertArrayEquals(expected, actual, what);
      }
    }
  }

  @Test
  void lookup3ShortIdsAndArgb() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    for (int entries : ENTRIES) {
      for (int n : KernelTestData.SIZES) {
        short[] ids = KernelTestData.shorts(r, n, r.nextBoolean() ? 65536 : entries + 5);
        byte[] bids = KernelTestData.bytes(r, n);
        byte[] lut = KernelTestData.bytes(r, 3 * entries);
        int[] argb = new int[entries];
        for (int i = 0; i < entries; i++) {
          argb[i] = r.nextInt();
        }
        String what = "seed=" + seed + " entries=" + entries + " n=" + n;
        byte[] expected = new byte[3 * n];
        byte[] actual = new byte[3 * n];
        SCALAR.lookup3(ids, 0, n, lut, expected);
        VECTOR.lookup3(ids, 0, n, lut, actual);
        assertArrayEquals(expected, actual, what);
        int last = Math.min(ids[n - 1] & 0xFFFF, entries - 1);
        assertEquals(lut[3 * last + 2], expected[3 * (n - 1) + 2], what);
        int[] expectedArgb = new int[n];
        int[] actualArgb = new int[n];
        SCALAR.lookupArgb(ids, 0, n, argb, expectedArgb);
        VECTOR.lookupArgb(ids, 0, n, argb, actualArgb);
        assertArrayEquals(expectedArgb, actualArgb, what);
        assertEquals(argb[last], expectedArgb[n - 1], what);
        SCALAR.lookupArgb(bids, 0, n, argb, expectedArgb);
        VECTOR.lookupArgb(bids, 0, n, argb, actualArgb);
        assertArrayEquals(expectedArgb, actualArgb, what);
        assertEquals(argb[Math.min(bids[0] & 0xFF, entries - 1)], expectedArgb[0], what);
      }
    }
  }

  @Test
  void manySmallCallsAfterJit() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    for (int iter = 0; iter < 5000; iter++) {
      int n = 1 + r.nextInt(200);
      int entries = 1 + r.nextInt(40);
      byte[] ids = KernelTestData.bytes(r, n);
      byte[] lut = KernelTestData.bytes(r, 3 * entries);
      byte[] expected = new byte[3 * n];
      byte[] actual = new byte[3 * n];
      SCALAR.lookup3(ids, 0, n, lut, expected);
      VECTOR.lookup3(ids, 0, n, lut, actual);
      assertArrayEquals(expected, actual, "seed=" + seed + " iter=" + iter);
    }
  }

  @Test
  void rejectsBadTables() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class,
        () -> VECTOR.lookup3(new byte[4], 0, 4, new byte[5], new byte[12]));
    assertEquals(
        "lut3 must hold 3 bytes per id (length a positive multiple of 3), got 5", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> SCALAR.lookupArgb(new byte[4], 0, 4, new int[0], new int[4]));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> VECTOR.lookup3(new byte[4], 0, 4, new byte[3], new byte[11]));
  }

  static byte[] filled(int n) {
    byte[] a = new byte[n];
    Arrays.fill(a, (byte) 0x5A);
    return a;
  }
}
