package dev.segmenter.engine.kernels.vector;

import dev.segmenter.engine.kernels.KernelScratch;
import dev.segmenter.engine.kernels.ScalarResizeKernel;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector resize. Nearest on byte ids: each destination segment of one vector whose source indices span less than
 * a vector is one load of the source window plus one byte rearrange (upscaling is always like this); other segments
 * and short ids take the scalar path; destination rows that sample the same source row as the previous one are
 * copied. Bilinear: the x coordinates and weights are tabulated once per call (same tables and float operation
 * order as {@link ScalarResizeKernel}, so results are identical) and source values gathered. Known issue:
 * on JDK 17 {@code bilinearArgmax} allocates one boxed vector (96 B) per group of lanes pixels (none on JDK 25).
 */
public final class VectorResizeKernel extends ScalarResizeKernel {

  private static final VectorSpecies<Float> F = VectorSupport.FLOATS;
  private static final VectorSpecies<Byte> BF = VectorSpecies.of(byte.class, F.vectorShape());

  VectorResizeKernel() {}

  @Override
  protected void doNearest(
      byte[] src,
      int srcW,
      int srcH,
      byte[] dst,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo) {
    KernelScratch k = KernelScratch.get();
    int lanes = BF.length();
    int[] xt = k.x0 = KernelScratch.ensure(k.x0, dstW);
    ScalarResizeKernel.nearestTable(xt, dstW, scaleX, offsetX, srcW);
    int segments = dstW / lanes;
    int[] lo = k.segLo = KernelScratch.ensure(k.segLo, segments);
    byte[] rel = k.segRel = KernelScratch.ensure(k.segRel, segments * lanes);
    for (int g = 0; g < segments; g++) {
      int min = Integer.MAX_VALUE;
      int max = Integer.MIN_VALUE;
      for (int j = g * lanes; j < (g + 1) * lanes; j++) {
        min = Math.min(min, xt[j]);
        max = Math.max(max, xt[j]);
      }
      boolean fits = max - min < lanes;
      lo[g] = fits ? min : -1;
      for (int j = g * lanes; j < (g + 1) * lanes; j++) {
        rel[j] = (byte) (fits ? xt[j] - min : 0);
      }
    }
    int prev = -1;
    for (int dy = rowFrom; dy < rowTo; dy++) {
      int sy = ScalarResizeKernel.nearestIndex(dy, scaleY, offsetY, srcH);
      int o = dy * dstW;
      if (sy == prev) {
        System.arraycopy(dst, o - dstW, dst, o, dstW);
        continue;
      }
      prev = sy;
      int r = sy * srcW;
      int dx = 0;
      for (int g = 0; g < segments; g++, dx += lanes) {
        int l = lo[g];
        if (l >= 0 && r + l + lanes <= src.length) {
          ByteVector window = ByteVector.fromArray(BF, src, r + l);
          ByteVector.fromArray(BF, rel, dx).selectFrom(window).intoArray(dst, o + dx);
        } else {
          for (int j = dx; j < dx + lanes; j++) {
            dst[o + j] = src[r + xt[j]];
          }
        }
      }
      for (; dx < dstW; dx++) {
        dst[o + dx] = src[r + xt[dx]];
      }
    }
  }

  @Override
  protected void doBilinearArgmax(
      float[] src,
      int offset,
      int classes,
      int srcW,
      int srcH,
      byte[] dst,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo) {
    bilinearArgmax(
        src, offset, classes, srcW, srcH, dst, null, dstW, scaleX, offsetX, scaleY, offsetY,
        rowFrom, rowTo);
  }

  @Override
  protected void doBilinearArgmax(
      float[] src,
      int offset,
      int classes,
      int srcW,
      int srcH,
      short[] dst,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo) {
    bilinearArgmax(
        src, offset, classes, srcW, srcH, null, dst, dstW, scaleX, offsetX, scaleY, offsetY,
        rowFrom, rowTo);
  }

  private static void bilinearArgmax(
      float[] src,
      int offset,
      int classes,
      int srcW,
      int srcH,
      byte[] dstB,
      short[] dstS,
      int dstW,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo) {
    KernelScratch k = KernelScratch.get();
    int[] x0 = k.x0 = KernelScratch.ensure(k.x0, dstW);
    int[] x1 = k.x1 = KernelScratch.ensure(k.x1, dstW);
    float[] gxs = k.gx = KernelScratch.ensure(k.gx, dstW);
    float[] fxs = k.fx = KernelScratch.ensure(k.fx, dstW);
    ScalarResizeKernel.bilinearTable(dstW, scaleX, offsetX, srcW, x0, x1, gxs, fxs);
    int plane = srcW * srcH;
    int lanes = F.length();
    int bound = F.loopBound(dstW);
    for (int dy = rowFrom; dy < rowTo; dy++) {
      double sy = ScalarResizeKernel.bilinearCoord(dy, scaleY, offsetY, srcH);
      int y0 = (int) sy;
      float fy = (float) (sy - y0);
      float gy = 1f - fy;
      int r0 = offset + y0 * srcW;
      int r1 = offset + Math.min(y0 + 1, srcH - 1) * srcW;
      int o = dy * dstW;
      int dx = 0;
      for (; dx < bound; dx += lanes) {
        FloatVector gx = FloatVector.fromArray(F, gxs, dx);
        FloatVector fx = FloatVector.fromArray(F, fxs, dx);
        FloatVector negInf = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        FloatVector m = negInf;
        FloatVector id = FloatVector.zero(F);
        for (int c = 0, cb = 0; c < classes; c++, cb += plane) {
          FloatVector v = lerp(src, r0 + cb, r1 + cb, x0, x1, dx, gx, fx, gy, fy);
          VectorMask<Float> gt = v.compare(VectorOperators.GT, m);
          m = m.blend(v, gt);
          id = id.blend(FloatVector.broadcast(F, VectorArgmaxKernel.idBits(c)), gt);
        }
        VectorArgmaxKernel.storeIds(id, dstB, dstS, o + dx);
        if (m.compare(VectorOperators.EQ, negInf).anyTrue()) {
          scalarArgmax(
              src,
              offset,
              classes,
              plane,
              r0,
              r1,
              x0,
              x1,
              gxs,
              fxs,
              gy,
              fy,
              dx,
              dx + lanes,
              dstB,
              dstS,
              o);
        }
      }
      scalarArgmax(
          src, offset, classes, plane, r0, r1, x0, x1, gxs, fxs, gy, fy, dx, dstW, dstB, dstS, o);
    }
  }

  private static void scalarArgmax(
      float[] src,
      int offset,
      int classes,
      int plane,
      int r0,
      int r1,
      int[] x0,
      int[] x1,
      float[] gxs,
      float[] fxs,
      float gy,
      float fy,
      int from,
      int to,
      byte[] dstB,
      short[] dstS,
      int o) {
    for (int dx = from; dx < to; dx++) {
      int id = ScalarResizeKernel.bilinearArgmaxAt(
          src,
          offset,
          classes,
          plane,
          r0 - offset,
          r1 - offset,
          x0[dx],
          x1[dx],
          gxs[dx],
          fxs[dx],
          gy,
          fy);
      if (dstB != null) {
        dstB[o + dx] = (byte) id;
      } else {
        dstS[o + dx] = (short) id;
      }
    }
  }

  private static FloatVector lerp(
      float[] src,
      int r0,
      int r1,
      int[] x0,
      int[] x1,
      int dx,
      FloatVector gx,
      FloatVector fx,
      float gy,
      float fy) {
    FloatVector a = FloatVector.fromArray(F, src, r0, x0, dx);
    FloatVector b = FloatVector.fromArray(F, src, r0, x1, dx);
    FloatVector c = FloatVector.fromArray(F, src, r1, x0, dx);
    FloatVector d = FloatVector.fromArray(F, src, r1, x1, dx);
    FloatVector top = a.mul(gx).add(b.mul(fx));
    FloatVector bottom = c.mul(gx).add(d.mul(fx));
    return top.mul(gy).add(bottom.mul(fy));
  }

  @Override
  protected void doBilinear(
      float[] src,
      int offset,
      int classes,
      int srcW,
      int srcH,
      float[] dst,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo) {
    KernelScratch k = KernelScratch.get();
    int[] x0 = k.x0 = KernelScratch.ensure(k.x0, dstW);
    int[] x1 = k.x1 = KernelScratch.ensure(k.x1, dstW);
    float[] gxs = k.gx = KernelScratch.ensure(k.gx, dstW);
    float[] fxs = k.fx = KernelScratch.ensure(k.fx, dstW);
    ScalarResizeKernel.bilinearTable(dstW, scaleX, offsetX, srcW, x0, x1, gxs, fxs);
    int plane = srcW * srcH;
    int dstPlane = dstW * dstH;
    int lanes = F.length();
    int bound = F.loopBound(dstW);
    for (int c = 0; c < classes; c++) {
      int base = offset + c * plane;
      for (int dy = rowFrom; dy < rowTo; dy++) {
        double sy = ScalarResizeKernel.bilinearCoord(dy, scaleY, offsetY, srcH);
        int y0 = (int) sy;
        float fy = (float) (sy - y0);
        float gy = 1f - fy;
        int r0 = base + y0 * srcW;
        int r1 = base + Math.min(y0 + 1, srcH - 1) * srcW;
        int o = c * dstPlane + dy * dstW;
        int dx = 0;
        for (; dx < bound; dx += lanes) {
          FloatVector gx = FloatVector.fromArray(F, gxs, dx);
          FloatVector fx = FloatVector.fromArray(F, fxs, dx);
          lerp(src, r0, r1, x0, x1, dx, gx, fx, gy, fy).intoArray(dst, o + dx);
        }
        for (; dx < dstW; dx++) {
          dst[o + dx] = ScalarResizeKernel.lerp2(
              src[r0 + x0[dx]],
              src[r0 + x1[dx]],
              src[r1 + x0[dx]],
              src[r1 + x1[dx]],
              gxs[dx],
              fxs[dx],
              gy,
              fy);
        }
      }
    }
  }
}
