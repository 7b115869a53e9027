package dev.segmenter.engine.kernels.vector;

import dev.segmenter.engine.kernels.BlendWeights;
import dev.segmenter.engine.kernels.ScalarBlendKernel;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector blend: bytes widened to ints then floats, {@code a * wa + b * wb + 0.5f} in the same order of float
 * operations as {@link ScalarBlendKernel} (no fused multiply-add), truncated and narrowed back. Before JDK 25
 * the truncation uses the 2^23 trick (float-to-int vector conversion is not intrinsic on JDK 17): adding 2^23
 * rounds a value in [0, 2^22) to the nearest integer {@code n}; {@code n - 1} where {@code n} exceeds the value
 * gives the truncation, whose bits plus 2^23 are the integer plus the bits of 2^23. Alpha in [0, 1] keeps values in
 * [0.5, 255.5], so no clamp is needed.
 */
public final class VectorBlendKernel extends ScalarBlendKernel {

  private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
  private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
  private static final VectorSpecies<Byte> BQ = VectorSupport.quarterBytes(F);
  /** At 128 bits BQ holds 2 * lanes bytes: loads read ahead (kept inside the range) and stores go lane by lane. */
  private static final boolean WIDE_BYTES = BQ.length() > F.length();

  private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, F.vectorShape());
  private static final VectorSpecies<Byte> BH =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 2));

  private static final float MAGIC = 8388608f; // 2^23
  /** Float-to-int vector conversion compiles to one instruction on JDK 25 (measured); on JDK 17 it boxes. */
  private static final boolean F2I_INTRINSIC = Runtime.version().feature() >= 25;

  VectorBlendKernel() {}

  @Override
  protected void doBlend(byte[] a, byte[] b, float alpha, int from, int to, byte[] out) {
    blend(a, from, b, from, out, from, to - from, alpha);
  }

  /**
   * {@code out[outPos + i] = blend(a[aPos + i], b[bPos + i])} for {@code 0 <= i < n}; arguments checked. Runs on
   * 16-bit lanes when {@link BlendWeights} finds integer weights that give the same bytes, else on floats.
   */
  static void blend(
      byte[] a, int aPos, byte[] b, int bPos, byte[] out, int outPos, int n, float alpha) {
    int w = BlendWeights.of(alpha);
    if (w != BlendWeights.NONE) {
      blendFixed(a, aPos, b, bPos, out, outPos, n, w, 1f - alpha, alpha);
    } else {
      blend(a, aPos, b, bPos, out, outPos, n, 1f - alpha, alpha);
    }
  }

  /**
   * {@code (a * (256 - w) + b * w + 128) >> 8} on shorts: the sum stays below 2^16, so wrapping 16-bit arithmetic
   * and a logical shift give it exactly.
   */
  private static void blendFixed(
      byte[] a,
      int aPos,
      byte[] b,
      int bPos,
      byte[] out,
      int outPos,
      int n,
      int w,
      float wa,
      float wb) {
    int lanes = S.length();
    ShortVector vwa = ShortVector.broadcast(S, (short) (256 - w));
    ShortVector vwb = ShortVector.broadcast(S, (short) w);
    ShortVector round = ShortVector.broadcast(S, (short) 128);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += lanes) {
      ShortVector sa = widenShorts(a, aPos + i);
      ShortVector sb = widenShorts(b, bPos + i);
      ShortVector r = sa.mul(vwa).add(sb.mul(vwb)).add(round).lanewise(VectorOperators.LSHR, 8);
      ((ByteVector) r.convertShape(VectorOperators.S2B, BH, 0)).intoArray(out, outPos + i);
    }
    for (; i < n; i++) {
      out[outPos + i] = ScalarBlendKernel.blendAt(a[aPos + i], b[bPos + i], wa, wb);
    }
  }

  private static ShortVector widenShorts(byte[] a, int pos) {
    return ((ShortVector) ByteVector.fromArray(BH, a, pos).convertShape(VectorOperators.B2S, S, 0))
        .and((short) 0xFF);
  }

  /** {@code out[outPos + i] = blend(a[aPos + i], b[bPos + i])} for {@code 0 <= i < n}; arguments checked. */
  static void blend(
      byte[] a, int aPos, byte[] b, int bPos, byte[] out, int outPos, int n, float wa, float wb) {
    int lanes = F.length();
    FloatVector va = FloatVector.broadcast(F, wa);
    FloatVector vb = FloatVector.broadcast(F, wb);
    FloatVector half = FloatVector.broadcast(F, 0.5f);
    FloatVector magic = FloatVector.broadcast(F, MAGIC);
    FloatVector one = FloatVector.broadcast(F, 1f);
    IntVector magicBits = IntVector.broadcast(I, Float.floatToRawIntBits(MAGIC));
    int bound = F.loopBound(Math.max(0, n - (BQ.length() - lanes)));
    int i = 0;
    for (; i < bound; i += lanes) {
      FloatVector fa = widen(a, aPos + i);
      FloatVector fb = widen(b, bPos + i);
      FloatVector r = fa.mul(va).add(fb.mul(vb)).add(half);
      IntVector ri;
      if (F2I_INTRINSIC) {
        ri = (IntVector) r.convertShape(VectorOperators.F2I, I, 0);
      } else {
        FloatVector near = r.add(magic).sub(magic);
        FloatVector t = near.blend(near.sub(one), near.compare(VectorOperators.GT, r));
        ri = t.add(magic).reinterpretAsInts().sub(magicBits);
      }
      if (WIDE_BYTES) {
        // a full store would overwrite bytes of a or b (out may alias them) before they are read
        for (int j = 0; j < lanes; j++) {
          out[outPos + i + j] = (byte) ri.lane(j);
        }
      } else {
        ((ByteVector) ri.convertShape(VectorOperators.I2B, BQ, 0)).intoArray(out, outPos + i);
      }
    }
    for (; i < n; i++) {
      out[outPos + i] = ScalarBlendKernel.blendAt(a[aPos + i], b[bPos + i], wa, wb);
    }
  }

  private static FloatVector widen(byte[] a, int pos) {
    IntVector v = ((IntVector)
            ByteVector.fromArray(BQ, a, pos).convertShape(VectorOperators.B2I, I, 0))
        .and(0xFF);
    return (FloatVector) v.convertShape(VectorOperators.I2F, F, 0);
  }
}
