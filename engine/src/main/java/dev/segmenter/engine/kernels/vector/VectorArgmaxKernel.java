package dev.segmenter.engine.kernels.vector;

import dev.segmenter.engine.kernels.ArgmaxKernel;
import dev.segmenter.engine.kernels.KernelChecks;
import dev.segmenter.engine.kernels.KernelScratch;
import dev.segmenter.engine.kernels.ScalarArgmaxKernel;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector argmax. Planar: one pass over the tensor, two vectors of pixels at a time (128 bytes of each class
 * plane with AVX-512), classes inner, running maxima and ids in registers; only the ids are stored, narrowed to
 * bytes or shorts. (Measured on the 2-core AMD EPYC dev machine: this beat classes-outer blocks of 512-2048
 * pixels with maxima and ids in L1 scratch, whose extra loads and stores cost more than the strided reads.) Ids live
 * in float lanes as int bit patterns ({@link #idBits}): blends move bits, so one float mask serves both vectors
 * and the ids come out with a free reinterpret instead of a float-to-int conversion (not intrinsic on JDK 17). Interleaved: gathers {@code lanes} pixels' scores of one class at a time.
 * Results are identical to {@link ScalarArgmaxKernel}: the same strict {@code >} comparison from -Infinity;
 * lanes whose maximum stays -Infinity (all NaN or -Infinity: rare) are redone by the scalar rule.
 */
public final class VectorArgmaxKernel implements ArgmaxKernel {

  private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
  private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
  private static final VectorSpecies<Short> S =
      VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
  private static final VectorSpecies<Byte> B =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 4));
  /** Pixels per block of the fused kernel: its ids and colors stay in L1. */
  static final int BLOCK = 1024;

  VectorArgmaxKernel() {
  }

  @Override
  public void argmaxPlanar(float[] scores, int offset, int classes, int pixels, int from, int to, byte[] out) {
    KernelChecks.planar(scores, offset, classes, pixels, from, to, out.length, 256);
    planar(scores, offset, classes, pixels, from, to, out, null);
  }

  @Override
  public void argmaxPlanar(float[] scores, int offset, int classes, int pixels, int from, int to, short[] out) {
    KernelChecks.planar(scores, offset, classes, pixels, from, to, out.length, 65536);
    planar(scores, offset, classes, pixels, from, to, null, out);
  }

  @Override
  public void argmaxInterleaved(float[] scores, int offset, int classes, int from, int to, byte[] out) {
    KernelChecks.interleaved(scores, offset, classes, from, to, out.length, 256);
    interleaved(scores, offset, classes, from, to, out, null);
  }

  @Override
  public void argmaxInterleaved(float[] scores, int offset, int classes, int from, int to, short[] out) {
    KernelChecks.interleaved(scores, offset, classes, from, to, out.length, 65536);
    interleaved(scores, offset, classes, from, to, null, out);
  }

  /** Arguments already checked; exactly one of {@code outB}, {@code outS} is non-null. */
  static void planar(float[] s, int offset, int classes, int pixels, int from, int to, byte[] outB, short[] outS) {
    int lanes = F.length();
    int p = from;
    // vectors are created where they are used (not hoisted into locals before the loops): a vector that flows
    // into a loop phi from outside may be boxed once per call
    for (; p <= to - 2 * lanes; p += 2 * lanes) {
      FloatVector negInf = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
      FloatVector m0 = negInf;
      FloatVector m1 = negInf;
      FloatVector id0 = FloatVector.zero(F);
      FloatVector id1 = id0;
      int cb = offset + p;
      for (int c = 0; c < classes; c++, cb += pixels) {
        FloatVector cv = FloatVector.broadcast(F, idBits(c));
        FloatVector v0 = FloatVector.fromArray(F, s, cb);
        FloatVector v1 = FloatVector.fromArray(F, s, cb + lanes);
        VectorMask<Float> gt0 = v0.compare(VectorOperators.GT, m0);
        VectorMask<Float> gt1 = v1.compare(VectorOperators.GT, m1);
        m0 = m0.blend(v0, gt0);
        m1 = m1.blend(v1, gt1);
        id0 = id0.blend(cv, gt0);
        id1 = id1.blend(cv, gt1);
      }
      storeIds(id0, outB, outS, p);
      storeIds(id1, outB, outS, p + lanes);
      if (m0.compare(VectorOperators.EQ, negInf).or(m1.compare(VectorOperators.EQ, negInf)).anyTrue()) {
        scalarPlanar(s, offset, classes, pixels, p, p + 2 * lanes, outB, outS);
      }
    }
    for (; p <= to - lanes; p += lanes) {
      FloatVector negInf = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
      FloatVector m = negInf;
      FloatVector id = FloatVector.zero(F);
      int cb = offset + p;
      for (int c = 0; c < classes; c++, cb += pixels) {
        FloatVector v = FloatVector.fromArray(F, s, cb);
        VectorMask<Float> gt = v.compare(VectorOperators.GT, m);
        m = m.blend(v, gt);
        id = id.blend(FloatVector.broadcast(F, idBits(c)), gt);
      }
      storeIds(id, outB, outS, p);
      if (m.compare(VectorOperators.EQ, negInf).anyTrue()) {
        scalarPlanar(s, offset, classes, pixels, p, p + lanes, outB, outS);
      }
    }
    scalarPlanar(s, offset, classes, pixels, p, to, outB, outS);
  }

  /**
   * The scalar rule, for the tail and for lanes whose maximum is -Infinity (all scores NaN or -Infinity, where
   * the first -Infinity after leading NaNs must win: rare).
   */
  private static void scalarPlanar(float[] s, int offset, int classes, int pixels, int from, int to, byte[] outB,
      short[] outS) {
    for (int q = from; q < to; q++) {
      int id = ScalarArgmaxKernel.planarAt(s, offset, classes, pixels, q);
      if (outB != null) {
        outB[q] = (byte) id;
      } else {
        outS[q] = (short) id;
      }
    }
  }

  /** Class id {@code c} as the float with the same bits, for id vectors that share float masks. */
  static float idBits(int c) {
    return Float.intBitsToFloat(c);
  }

  /** Narrows ids held as {@link #idBits} to bytes or shorts. */
  static void storeIds(FloatVector id, byte[] outB, short[] outS, int pos) {
    IntVector ii = id.reinterpretAsInts();
    if (outB != null) {
      ((ByteVector) ii.convertShape(VectorOperators.I2B, B, 0)).intoArray(outB, pos);
    } else {
      ((ShortVector) ii.convertShape(VectorOperators.I2S, S, 0)).intoArray(outS, pos);
    }
  }

  private static void interleaved(float[] s, int offset, int classes, int from, int to, byte[] outB,
      short[] outS) {
    int lanes = F.length();
    KernelScratch k = KernelScratch.get();
    if (k.gatherMapClasses != classes) {
      int[] map = k.gatherMap = KernelScratch.ensure(k.gatherMap, lanes);
      for (int j = 0; j < lanes; j++) {
        map[j] = j * classes;
      }
      k.gatherMapClasses = classes;
    }
    int[] map = k.gatherMap;
    int bound = from + F.loopBound(to - from);
    int p = from;
    for (; p < bound; p += lanes) {
      int base = offset + p * classes;
      FloatVector negInf = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
      FloatVector m = negInf;
      FloatVector id = FloatVector.zero(F);
      for (int c = 0; c < classes; c++) {
        FloatVector v = FloatVector.fromArray(F, s, base + c, map, 0);
        VectorMask<Float> gt = v.compare(VectorOperators.GT, m);
        m = m.blend(v, gt);
        id = id.blend(FloatVector.broadcast(F, idBits(c)), gt);
      }
      storeIds(id, outB, outS, p);
      if (m.compare(VectorOperators.EQ, negInf).anyTrue()) {
        for (int q = p; q < p + lanes; q++) {
          int one = ScalarArgmaxKernel.interleavedAt(s, offset, classes, q);
          if (outB != null) {
            outB[q] = (byte) one;
          } else {
            outS[q] = (short) one;
          }
        }
      }
    }
    for (; p < to; p++) {
      int id = ScalarArgmaxKernel.interleavedAt(s, offset, classes, p);
      if (outB != null) {
        outB[p] = (byte) id;
      } else {
        outS[p] = (short) id;
      }
    }
  }
}
