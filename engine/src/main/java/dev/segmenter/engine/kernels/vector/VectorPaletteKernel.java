package dev.segmenter.engine.kernels.vector;

import dev.segmenter.engine.kernels.KernelScratch;
import dev.segmenter.engine.kernels.ScalarPaletteKernel;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector palette lookup: ids are widened to ints and clamped in blocks, colors gathered from an int table; for
 * 3-byte output each gathered vector of packed {@code 0x00RRGGBB}-style ints is compacted to 3 bytes per pixel by
 * one byte rearrange. Results equal {@code ScalarPaletteKernel}'s.
 */
public final class VectorPaletteKernel extends ScalarPaletteKernel {

  private static final VectorSpecies<Integer> I =
      VectorSpecies.of(int.class, VectorSupport.FLOATS.vectorShape());
  private static final VectorSpecies<Byte> BQ = VectorSupport.quarterBytes(VectorSupport.FLOATS);
  private static final VectorSpecies<Short> SH =
      VectorSpecies.of(short.class, VectorShape.forBitSize(I.vectorBitSize() / 2));
  private static final VectorSpecies<Byte> BF = VectorSpecies.of(byte.class, I.vectorShape());
  /** Byte lane k < 3 * lanes takes byte (k / 3) * 4 + k % 3 of the packed ints. */
  private static final int[] COMPACT = compactIndices();
  /** A constant shuffle (not a vector): made once, as one made per call is an allocation on JDK 17. */
  static final VectorShuffle<Byte> COMPACT_SHUFFLE = VectorShuffle.fromArray(BF, COMPACT, 0);

  static final int BLOCK = 1024;

  VectorPaletteKernel() {}

  private static int[] compactIndices() {
    int[] a = new int[BF.length()];
    for (int k = 0; k < a.length; k++) {
      a[k] = k < 3 * I.length() ? (k / 3) * 4 + k % 3 : 0;
    }
    return a;
  }

  @Override
  protected void doLookup3(byte[] ids, int from, int to, byte[] lut3, byte[] out) {
    int entries = lut3.length / 3;
    KernelScratch k = KernelScratch.get();
    int[] packed = packed(k, lut3, Math.min(entries, 256));
    lookup3(ids, null, from, to, packed, Math.min(entries, 256) - 1, out, 3 * from, k);
  }

  @Override
  protected void doLookup3(short[] ids, int from, int to, byte[] lut3, byte[] out) {
    int entries = lut3.length / 3;
    KernelScratch k = KernelScratch.get();
    int[] packed = packed(k, lut3, Math.min(entries, 65536));
    lookup3(null, ids, from, to, packed, Math.min(entries, 65536) - 1, out, 3 * from, k);
  }

  @Override
  protected void doLookupArgb(byte[] ids, int from, int to, int[] lutArgb, int[] out) {
    lookupInts(ids, null, from, to, lutArgb, out, KernelScratch.get());
  }

  @Override
  protected void doLookupArgb(short[] ids, int from, int to, int[] lutArgb, int[] out) {
    lookupInts(null, ids, from, to, lutArgb, out, KernelScratch.get());
  }

  /** Packs {@code lut3} into {@code n} ints {@code b0 | b1 << 8 | b2 << 16} in per-thread scratch. */
  static int[] packed(KernelScratch k, byte[] lut3, int n) {
    int[] t = k.lutPacked = KernelScratch.ensure(k.lutPacked, n);
    for (int i = 0; i < n; i++) {
      t[i] = (lut3[3 * i] & 0xFF) | (lut3[3 * i + 1] & 0xFF) << 8 | (lut3[3 * i + 2] & 0xFF) << 16;
    }
    return t;
  }

  /** Widens and clamps {@code ids[from..from+n)} into {@code wide[0..n)}. */
  private static void widen(byte[] idsB, short[] idsS, int from, int n, int last, int[] wide) {
    int lanes = I.length();
    int bound = I.loopBound(n);
    int i = 0;
    if (idsB != null) {
      // at 128 bits a load reads BQ.length() = 2 * lanes bytes of which the first lanes are used
      int byteBound = I.loopBound(Math.max(0, n - (BQ.length() - lanes)));
      for (; i < byteBound; i += lanes) {
        ((IntVector)
                ByteVector.fromArray(BQ, idsB, from + i).convertShape(VectorOperators.B2I, I, 0))
            .and(0xFF)
            .min(last)
            .intoArray(wide, i);
      }
      for (; i < n; i++) {
        wide[i] = Math.min(idsB[from + i] & 0xFF, last);
      }
    } else {
      for (; i < bound; i += lanes) {
        ((IntVector)
                ShortVector.fromArray(SH, idsS, from + i).convertShape(VectorOperators.S2I, I, 0))
            .and(0xFFFF)
            .min(last)
            .intoArray(wide, i);
      }
      for (; i < n; i++) {
        wide[i] = Math.min(idsS[from + i] & 0xFFFF, last);
      }
    }
  }

  /**
   * Colors of {@code ids[from..to)} from a packed table into {@code out} starting at byte {@code outPos};
   * writes nothing outside {@code out[outPos .. outPos + 3 * (to - from))}.
   */
  private static void lookup3(
      byte[] idsB,
      short[] idsS,
      int from,
      int to,
      int[] packed,
      int last,
      byte[] out,
      int outPos,
      KernelScratch k) {
    int lanes = I.length();
    int[] wide = k.idsWide = KernelScratch.ensure(k.idsWide, BLOCK);
    VectorShuffle<Byte> compact = COMPACT_SHUFFLE;
    // a full vector store writes 4 * lanes bytes of which 3 * lanes are valid: stop while it still
    // fits
    int spill = (lanes + 2) / 3;
    for (int b = from; b < to; b += BLOCK) {
      int n = Math.min(BLOCK, to - b);
      widen(idsB, idsS, b, n, last, wide);
      int o = outPos + 3 * (b - from);
      int i = 0;
      int bound = Math.min(n - lanes, to - b - lanes - spill);
      for (; i <= bound; i += lanes) {
        IntVector colors = IntVector.fromArray(I, packed, 0, wide, i);
        colors.reinterpretAsBytes().rearrange(compact).intoArray(out, o + 3 * i);
      }
      for (; i < n; i++) {
        int c = packed[wide[i]];
        int j = o + 3 * i;
        out[j] = (byte) c;
        out[j + 1] = (byte) (c >>> 8);
        out[j + 2] = (byte) (c >>> 16);
      }
    }
  }

  private static void lookupInts(
      byte[] idsB, short[] idsS, int from, int to, int[] lut, int[] out, KernelScratch k) {
    int lanes = I.length();
    int last = Math.min(lut.length, idsB != null ? 256 : 65536) - 1;
    int[] wide = k.idsWide = KernelScratch.ensure(k.idsWide, BLOCK);
    for (int b = from; b < to; b += BLOCK) {
      int n = Math.min(BLOCK, to - b);
      widen(idsB, idsS, b, n, last, wide);
      int bound = I.loopBound(n);
      int i = 0;
      for (; i < bound; i += lanes) {
        IntVector.fromArray(I, lut, 0, wide, i).intoArray(out, b + i);
      }
      for (; i < n; i++) {
        out[b + i] = lut[wide[i]];
      }
    }
  }
}
