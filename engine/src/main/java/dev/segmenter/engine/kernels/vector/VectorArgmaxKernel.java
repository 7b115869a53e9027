package dev.segmenter.engine.kernels.vector;

import dev.segmenter.engine.kernels.KernelScratch;
import dev.segmenter.engine.kernels.ScalarArgmaxKernel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector argmax.
 *
 * <p>Planar: blocks of {@link #PASS_BLOCK} pixels; within a block the classes are walked in as few groups of at
 * most {@link #GROUP} planes as cover them (21 classes: 11 + 10), one pass over the block per group. A pass
 * keeps each vector of pixels' running maximum and id in registers while it reads its group's planes (at most
 * {@code GROUP} concurrent sequential streams, which the hardware prefetchers still follow); between passes they
 * wait in per-thread scratch (2 x 128 KB: L2). The last pass narrows the ids straight into the output. The same
 * code reads Java arrays and native-order buffers (a runtime's output memory). Why these numbers: a probe on
 * AVX-512 (docs/KERNELS.md) found the argmax out of cache 1.2-1.6x a plain read with up to 13 planes at once but
 * 2.2x with 21; the earlier scheme here (4 planes per pass over 1024-pixel blocks, maxima in L1) ran 2.38x the
 * read at 2048x1024 x 21. Native scores (a direct buffer: a runtime's output) are read in place by the same
 * loop with the JDK's own vector load from native memory ({@link NativeFloats}); where the JDK has none (20-21)
 * they are staged block by block into cache, see {@link #STAGE_BLOCK}.
 *
 * <p>Interleaved: gathers {@code lanes} pixels' scores of one class at a time (about 2x the scalar loop).
 *
 * <p>Ids live in float lanes as int bit patterns ({@link #idBits}): blends move bits, so one float mask serves
 * both vectors, and the ids come out with a free reinterpret instead of a float-to-int conversion (not intrinsic
 * on JDK 17: it boxes). Results are identical to {@link ScalarArgmaxKernel}: the same strict {@code >} comparison
 * from -Infinity; lanes whose maximum stays -Infinity (all NaN or -Infinity: rare) are redone by the scalar rule.
 */
public final class VectorArgmaxKernel extends ScalarArgmaxKernel {

  private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
  private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
  private static final VectorSpecies<Short> S =
      VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
  /** Bytes of one vector of ids: a quarter of the float width, or 64 bits (the smallest shape) at 128. */
  private static final VectorSpecies<Byte> B = VectorSupport.quarterBytes(F);
  /**
   * Most class planes read in one pass over a block (see the class comment). Tunable for measurement only,
   * with {@code -Dsegmenter.argmax.group}.
   */
  static final int GROUP = Math.max(1, Integer.getInteger("segmenter.argmax.group", 11));
  /**
   * Pixels per staged block of native scores, where {@link NativeFloats} finds no vector load from native memory
   * (JDK 20-21, or {@code -Dsegmenter.argmax.stage=true}): 21 classes x 4096 pixels x 4 bytes = 344 KB, within L2.
   * Each block of each class plane is bulk-copied into a per-thread array, then read by the array code. The whole
   * tensor is never copied, and it still goes through memory once, but the copy costs: 1.5-1.6x the read-only
   * pass at 2048x1024 x 21 against 1.0-1.1x for the loads in place (docs/KERNELS.md).
   */
  static final int STAGE_BLOCK = 4096;

  /** Pixels per block of the planar argmax; {@code -Dsegmenter.argmax.block} for measurement only. */
  static final int PASS_BLOCK = Math.max(64, Integer.getInteger("segmenter.argmax.block", 32768));

  VectorArgmaxKernel() {}

  @Override
  protected void doArgmaxPlanar(
      float[] scores, int offset, int classes, int pixels, int from, int to, byte[] out) {
    planar(scores, offset, classes, pixels, from, to, out, null);
  }

  @Override
  protected void doArgmaxPlanar(
      float[] scores, int offset, int classes, int pixels, int from, int to, short[] out) {
    planar(scores, offset, classes, pixels, from, to, null, out);
  }

  @Override
  protected void doArgmaxInterleaved(
      float[] scores, int offset, int classes, int from, int to, byte[] out) {
    interleaved(scores, offset, classes, from, to, out, null);
  }

  @Override
  protected void doArgmaxInterleaved(
      float[] scores, int offset, int classes, int from, int to, short[] out) {
    interleaved(scores, offset, classes, from, to, null, out);
  }

  @Override
  protected void doArgmaxPlanar(
      ByteBuffer scores, int offset, int classes, int pixels, int from, int to, byte[] out) {
    planar(scores, offset, classes, pixels, from, to, out, null);
  }

  @Override
  protected void doArgmaxPlanar(
      ByteBuffer scores, int offset, int classes, int pixels, int from, int to, short[] out) {
    planar(scores, offset, classes, pixels, from, to, null, out);
  }

  /** Classes per pass: the groups of at most {@link #GROUP} planes, made as even as possible. */
  private static int perPass(int classes) {
    int passes = (classes + GROUP - 1) / GROUP;
    return (classes + passes - 1) / passes;
  }

  /** Arguments already checked; exactly one of {@code outB}, {@code outS} is non-null. */
  static void planar(
      float[] s, int offset, int classes, int pixels, int from, int to, byte[] outB, short[] outS) {
    int lanes = F.length();
    int group = perPass(classes);
    float[] max = null;
    float[] idx = null;
    if (group < classes) {
      KernelScratch k = KernelScratch.get();
      max = k.argmaxMax = KernelScratch.ensure(k.argmaxMax, PASS_BLOCK);
      idx = k.argmaxIdx = KernelScratch.ensure(k.argmaxIdx, PASS_BLOCK);
    }
    FloatVector negInf = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
    for (int b = from; b < to; b += PASS_BLOCK) {
      int n = Math.min(PASS_BLOCK, to - b);
      int bound = F.loopBound(n);
      for (int c0 = 0; c0 < classes; c0 += group) {
        int c1 = Math.min(classes, c0 + group);
        boolean first = c0 == 0;
        boolean last = c1 == classes;
        for (int i = 0; i < bound; i += lanes) {
          int p = offset + b + i;
          FloatVector m = first ? negInf : FloatVector.fromArray(F, max, i);
          FloatVector id = first ? FloatVector.zero(F) : FloatVector.fromArray(F, idx, i);
          for (int c = c0; c < c1; c++) {
            FloatVector v = FloatVector.fromArray(F, s, p + c * pixels);
            VectorMask<Float> gt = v.compare(VectorOperators.GT, m);
            m = m.blend(v, gt);
            id = id.blend(tag(c), gt);
          }
          if (last) {
            storeIds(id, outB, outS, b + i);
            if (m.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY).anyTrue()) {
              scalarPlanar(s, offset, classes, pixels, b + i, b + i + lanes, outB, outS);
            }
          } else {
            m.intoArray(max, i);
            id.intoArray(idx, i);
          }
        }
      }
      scalarPlanar(s, offset, classes, pixels, b + bound, b + n, outB, outS);
    }
  }

  /**
   * {@link #planar(float[], int, int, int, int, int, byte[], short[])} over floats in a native-order buffer:
   * native scores block by block into a per-thread array ({@code classes} planes of at most {@link #STAGE_BLOCK}
   * pixels), each block then read by the array code with an offset that maps its pixels back to theirs.
   */
  static void planar(
      ByteBuffer s,
      int offset,
      int classes,
      int pixels,
      int from,
      int to,
      byte[] outB,
      short[] outS) {
    if (NativeFloats.AVAILABLE) {
      direct(s, offset, classes, pixels, from, to, outB, outS);
      return;
    }
    KernelScratch k = KernelScratch.get();
    float[] stage = k.argmaxStage =
        KernelScratch.ensure(k.argmaxStage, classes * Math.min(STAGE_BLOCK, pixels));
    ByteBuffer all = s.duplicate();
    all.clear();
    FloatBuffer f = all.order(ByteOrder.nativeOrder()).asFloatBuffer();
    for (int b = from; b < to; b += STAGE_BLOCK) {
      int n = Math.min(STAGE_BLOCK, to - b);
      for (int c = 0; c < classes; c++) {
        f.get(offset + c * pixels + b, stage, c * n, n);
      }
      planar(
          stage, -b, classes, n, b, b + n, outB,
          outS); // pixel p of this block is at stage[c * n + p - b]
    }
  }

  /**
   * The planar pass of {@link #planar(float[], int, int, int, int, int, byte[], short[])} with its loads straight
   * from native memory ({@link NativeFloats}): the same blocks, groups and scratch, no copy of the scores.
   */
  private static void direct(
      ByteBuffer s,
      int offset,
      int classes,
      int pixels,
      int from,
      int to,
      byte[] outB,
      short[] outS) {
    ByteBuffer whole = s.duplicate();
    whole.clear();
    Object src = NativeFloats.source(whole);
    int lanes = F.length();
    int group = perPass(classes);
    float[] max = null;
    float[] idx = null;
    if (group < classes) {
      KernelScratch k = KernelScratch.get();
      max = k.argmaxMax = KernelScratch.ensure(k.argmaxMax, PASS_BLOCK);
      idx = k.argmaxIdx = KernelScratch.ensure(k.argmaxIdx, PASS_BLOCK);
    }
    long plane = (long) pixels * Float.BYTES;
    FloatVector negInf = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
    for (int b = from; b < to; b += PASS_BLOCK) {
      int n = Math.min(PASS_BLOCK, to - b);
      int bound = F.loopBound(n);
      for (int c0 = 0; c0 < classes; c0 += group) {
        int c1 = Math.min(classes, c0 + group);
        boolean first = c0 == 0;
        boolean last = c1 == classes;
        for (int i = 0; i < bound; i += lanes) {
          long at = ((long) offset + b + i) * Float.BYTES + c0 * plane;
          FloatVector m = first ? negInf : FloatVector.fromArray(F, max, i);
          FloatVector id = first ? FloatVector.zero(F) : FloatVector.fromArray(F, idx, i);
          for (int c = c0; c < c1; c++, at += plane) {
            FloatVector v = NativeFloats.load(src, at);
            VectorMask<Float> gt = v.compare(VectorOperators.GT, m);
            m = m.blend(v, gt);
            id = id.blend(tag(c), gt);
          }
          if (last) {
            storeIds(id, outB, outS, b + i);
            if (m.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY).anyTrue()) {
              scalarPlanar(s, offset, classes, pixels, b + i, b + i + lanes, outB, outS);
            }
          } else {
            m.intoArray(max, i);
            id.intoArray(idx, i);
          }
        }
      }
      scalarPlanar(s, offset, classes, pixels, b + bound, b + n, outB, outS);
    }
  }

  /** {@link #scalarPlanar(float[], int, int, int, int, int, byte[], short[])} over a native-order buffer. */
  private static void scalarPlanar(
      ByteBuffer s,
      int offset,
      int classes,
      int pixels,
      int from,
      int to,
      byte[] outB,
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

  /**
   * The scalar rule, for the tail and for lanes whose maximum is -Infinity (all scores NaN or -Infinity, where
   * the first -Infinity after leading NaNs must win: rare).
   */
  private static void scalarPlanar(
      float[] s, int offset, int classes, int pixels, int from, int to, byte[] outB, short[] outS) {
    for (int q = from; q < to; q++) {
      int id = ScalarArgmaxKernel.planarAt(s, offset, classes, pixels, q);
      if (outB != null) {
        outB[q] = (byte) id;
      } else {
        outS[q] = (short) id;
      }
    }
  }

  /**
   * What the blends carry for class {@code c}: its id's bits ({@link #idBits}). Broadcast as ints (a float
   * broadcast would canonicalise bits that read as NaN), in one vector expression, not two joined, which JDK 17
   * would box.
   */
  private static FloatVector tag(int c) {
    return IntVector.broadcast(I, c).reinterpretAsFloats();
  }

  /** Class id {@code c} as the float with the same bits, for id vectors that share float masks. */
  static float idBits(int c) {
    return Float.intBitsToFloat(c);
  }

  /** Narrows ids held as {@link #idBits} to bytes or shorts. */
  static void storeIds(FloatVector id, byte[] outB, short[] outS, int pos) {
    storeIds(id.reinterpretAsInts(), outB, outS, pos);
  }

  /** Narrows int ids to bytes or shorts. */
  static void storeIds(IntVector ii, byte[] outB, short[] outS, int pos) {
    if (outB != null && B.length() > ii.length()) {
      // 128-bit vectors: a byte vector holds twice the lanes, and a full store would write past
      // these pixels
      for (int j = 0; j < ii.length(); j++) {
        outB[pos + j] = (byte) ii.lane(j);
      }
    } else if (outB != null) {
      ((ByteVector) ii.convertShape(VectorOperators.I2B, B, 0)).intoArray(outB, pos);
    } else {
      ((ShortVector) ii.convertShape(VectorOperators.I2S, S, 0)).intoArray(outS, pos);
    }
  }

  private static void interleaved(
      float[] s, int offset, int classes, int from, int to, byte[] outB, short[] outS) {
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
