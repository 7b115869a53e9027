package dev.segmenter.engine.kernels.vector;

import dev.segmenter.engine.kernels.ScalarCompositeKernel;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector composite on 16-bit lanes: a step covers {@code lanes} pixels, i.e. three vectors of {@code lanes} BGR
 * bytes; the pixels' alphas are loaded once and spread to the three vectors by fixed shuffles (byte {@code j} of
 * the step takes alpha {@code j / 3}). {@code fg * a + bg * (255 - a) + 128} stays below 2^16, so wrapping 16-bit
 * arithmetic with logical shifts gives {@link CompositeKernel}'s rounding exactly; the tail is scalar.
 */
public final class VectorCompositeKernel extends ScalarCompositeKernel {

  private static final VectorSpecies<Short> S =
      VectorSpecies.of(short.class, VectorSupport.FLOATS.vectorShape());
  private static final VectorSpecies<Byte> BH =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(S.vectorBitSize() / 2));
  /** Lane {@code l} of vector {@code k} of a step reads alpha {@code (k * lanes + l) / 3}. */
  private static final int[][] SPREAD = spread(S.length());

  VectorCompositeKernel() {}

  private static int[][] spread(int lanes) {
    int[][] idx = new int[3][lanes];
    for (int k = 0; k < 3; k++) {
      for (int l = 0; l < lanes; l++) {
        idx[k][l] = (k * lanes + l) / 3;
      }
    }
    return idx;
  }

  @Override
  protected void doComposite(byte[] fg, byte[] bg, byte[] alpha, int from, int to, byte[] out) {
    int lanes = S.length();
    VectorShuffle<Short> s0 = VectorShuffle.fromArray(S, SPREAD[0], 0);
    VectorShuffle<Short> s1 = VectorShuffle.fromArray(S, SPREAD[1], 0);
    VectorShuffle<Short> s2 = VectorShuffle.fromArray(S, SPREAD[2], 0);
    ShortVector full = ShortVector.broadcast(S, (short) 255);
    int p = from;
    int bound = from + S.loopBound(to - from);
    for (; p < bound; p += lanes) {
      ShortVector a = widen(alpha, p);
      ShortVector ia = full.sub(a);
      int i = 3 * p;
      step(fg, bg, out, i, a.rearrange(s0), ia.rearrange(s0));
      step(fg, bg, out, i + lanes, a.rearrange(s1), ia.rearrange(s1));
      step(fg, bg, out, i + 2 * lanes, a.rearrange(s2), ia.rearrange(s2));
    }
    for (; p < to; p++) {
      int a = alpha[p] & 0xFF;
      int i = 3 * p;
      out[i] = ScalarCompositeKernel.compositeAt(fg[i], bg[i], a);
      out[i + 1] = ScalarCompositeKernel.compositeAt(fg[i + 1], bg[i + 1], a);
      out[i + 2] = ScalarCompositeKernel.compositeAt(fg[i + 2], bg[i + 2], a);
    }
  }

  private static void step(byte[] fg, byte[] bg, byte[] out, int i, ShortVector a, ShortVector ia) {
    ShortVector t = widen(fg, i).mul(a).add(widen(bg, i).mul(ia)).add((short) 128);
    ShortVector r = t.add(t.lanewise(VectorOperators.LSHR, 8)).lanewise(VectorOperators.LSHR, 8);
    ((ByteVector) r.convertShape(VectorOperators.S2B, BH, 0)).intoArray(out, i);
  }

  private static ShortVector widen(byte[] a, int pos) {
    return ((ShortVector) ByteVector.fromArray(BH, a, pos).convertShape(VectorOperators.B2S, S, 0))
        .and((short) 0xFF);
  }
}
