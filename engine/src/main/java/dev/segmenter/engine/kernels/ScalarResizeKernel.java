package dev.segmenter.engine.kernels;

/**
 * Plain-Java resize; the reference for the vector implementation. The coordinate helpers are shared with it,
 * so both sample exactly the same source pixels with the same weights.
 */
public class ScalarResizeKernel extends ResizeKernel {

  public static final ScalarResizeKernel INSTANCE = new ScalarResizeKernel();

  protected ScalarResizeKernel() {}

  /** Nearest source index of destination index {@code d}: {@code clamp(floor(s + 0.5))}, see {@link ResizeKernel}. */
  public static int nearestIndex(int d, double scale, double offset, int srcSize) {
    double s = (d + 0.5) * scale + offset - 0.5;
    int i = (int) Math.floor(s + 0.5);
    return Math.max(0, Math.min(srcSize - 1, i));
  }

  /** Fills {@code table[0..dstSize)} with {@link #nearestIndex}. */
  public static void nearestTable(
      int[] table, int dstSize, double scale, double offset, int srcSize) {
    for (int d = 0; d < dstSize; d++) {
      table[d] = nearestIndex(d, scale, offset, srcSize);
    }
  }

  /** Clamped source coordinate of destination index {@code d} for bilinear sampling. */
  public static double bilinearCoord(int d, double scale, double offset, int srcSize) {
    double s = (d + 0.5) * scale + offset - 0.5;
    return Math.max(0.0, Math.min(srcSize - 1.0, s));
  }

  /**
   * Bilinear tables along one axis: source indices {@code i0 <= i1} and weights {@code w1} of {@code i1},
   * {@code w0 = 1 - w1} of {@code i0} (both float).
   */
  public static void bilinearTable(
      int dstSize,
      double scale,
      double offset,
      int srcSize,
      int[] i0,
      int[] i1,
      float[] w0,
      float[] w1) {
    for (int d = 0; d < dstSize; d++) {
      double s = bilinearCoord(d, scale, offset, srcSize);
      int a = (int) s;
      float f = (float) (s - a);
      i0[d] = a;
      i1[d] = Math.min(a + 1, srcSize - 1);
      w1[d] = f;
      w0[d] = 1f - f;
    }
  }

  /** The interpolation formula every implementation uses, in this exact order of float operations. */
  public static float lerp2(
      float a, float b, float c, float d, float gx, float fx, float gy, float fy) {
    float top = a * gx + b * fx;
    float bottom = c * gx + d * fx;
    return top * gy + bottom * fy;
  }

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
    KernelScratch s = KernelScratch.get();
    int[] xt = s.x0 = KernelScratch.ensure(s.x0, dstW);
    nearestTable(xt, dstW, scaleX, offsetX, srcW);
    int prev = -1;
    for (int dy = rowFrom; dy < rowTo; dy++) {
      int sy = nearestIndex(dy, scaleY, offsetY, srcH);
      int o = dy * dstW;
      if (sy == prev) {
        System.arraycopy(dst, o - dstW, dst, o, dstW);
        continue;
      }
      prev = sy;
      int r = sy * srcW;
      for (int dx = 0; dx < dstW; dx++) {
        dst[o + dx] = src[r + xt[dx]];
      }
    }
  }

  @Override
  protected void doNearest(
      short[] src,
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
    KernelScratch s = KernelScratch.get();
    int[] xt = s.x0 = KernelScratch.ensure(s.x0, dstW);
    nearestTable(xt, dstW, scaleX, offsetX, srcW);
    int prev = -1;
    for (int dy = rowFrom; dy < rowTo; dy++) {
      int sy = nearestIndex(dy, scaleY, offsetY, srcH);
      int o = dy * dstW;
      if (sy == prev) {
        System.arraycopy(dst, o - dstW, dst, o, dstW);
        continue;
      }
      prev = sy;
      int r = sy * srcW;
      for (int dx = 0; dx < dstW; dx++) {
        dst[o + dx] = src[r + xt[dx]];
      }
    }
  }

  /** Argmax over classes of the bilinearly interpolated planes at one destination pixel. */
  public static int bilinearArgmaxAt(
      float[] src,
      int offset,
      int classes,
      int plane,
      int r0,
      int r1,
      int x0,
      int x1,
      float gx,
      float fx,
      float gy,
      float fy) {
    float best = Float.NEGATIVE_INFINITY;
    int id = 0;
    boolean found = false;
    int base = offset;
    for (int c = 0; c < classes; c++, base += plane) {
      float v = lerp2(
          src[base + r0 + x0],
          src[base + r0 + x1],
          src[base + r1 + x0],
          src[base + r1 + x1],
          gx,
          fx,
          gy,
          fy);
      if (v > best) {
        best = v;
        id = c;
        found = true;
      } else if (!found && v == Float.NEGATIVE_INFINITY) {
        id = c;
        found = true;
      }
    }
    return id;
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
        src,
        offset,
        classes,
        srcW,
        srcH,
        dst,
        null,
        dst.length,
        dstW,
        dstH,
        scaleX,
        offsetX,
        scaleY,
        offsetY,
        rowFrom,
        rowTo);
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
        src,
        offset,
        classes,
        srcW,
        srcH,
        null,
        dst,
        dst.length,
        dstW,
        dstH,
        scaleX,
        offsetX,
        scaleY,
        offsetY,
        rowFrom,
        rowTo);
  }

  private static void bilinearArgmax(
      float[] src,
      int offset,
      int classes,
      int srcW,
      int srcH,
      byte[] dstB,
      short[] dstS,
      int dstLength,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo) {
    KernelScratch s = KernelScratch.get();
    int[] x0 = s.x0 = KernelScratch.ensure(s.x0, dstW);
    int[] x1 = s.x1 = KernelScratch.ensure(s.x1, dstW);
    float[] gxs = s.gx = KernelScratch.ensure(s.gx, dstW);
    float[] fxs = s.fx = KernelScratch.ensure(s.fx, dstW);
    bilinearTable(dstW, scaleX, offsetX, srcW, x0, x1, gxs, fxs);
    int plane = srcW * srcH;
    for (int dy = rowFrom; dy < rowTo; dy++) {
      double sy = bilinearCoord(dy, scaleY, offsetY, srcH);
      int y0 = (int) sy;
      float fy = (float) (sy - y0);
      float gy = 1f - fy;
      int r0 = y0 * srcW;
      int r1 = Math.min(y0 + 1, srcH - 1) * srcW;
      int o = dy * dstW;
      for (int dx = 0; dx < dstW; dx++) {
        int id = bilinearArgmaxAt(
            src, offset, classes, plane, r0, r1, x0[dx], x1[dx], gxs[dx], fxs[dx], gy, fy);
        if (dstB != null) {
          dstB[o + dx] = (byte) id;
        } else {
          dstS[o + dx] = (short) id;
        }
      }
    }
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
    KernelScratch s = KernelScratch.get();
    int[] x0 = s.x0 = KernelScratch.ensure(s.x0, dstW);
    int[] x1 = s.x1 = KernelScratch.ensure(s.x1, dstW);
    float[] gxs = s.gx = KernelScratch.ensure(s.gx, dstW);
    float[] fxs = s.fx = KernelScratch.ensure(s.fx, dstW);
    bilinearTable(dstW, scaleX, offsetX, srcW, x0, x1, gxs, fxs);
    int plane = srcW * srcH;
    int dstPlane = dstW * dstH;
    for (int c = 0; c < classes; c++) {
      int base = offset + c * plane;
      for (int dy = rowFrom; dy < rowTo; dy++) {
        double sy = bilinearCoord(dy, scaleY, offsetY, srcH);
        int y0 = (int) sy;
        float fy = (float) (sy - y0);
        float gy = 1f - fy;
        int r0 = base + y0 * srcW;
        int r1 = base + Math.min(y0 + 1, srcH - 1) * srcW;
        int o = c * dstPlane + dy * dstW;
        for (int dx = 0; dx < dstW; dx++) {
          dst[o + dx] = lerp2(
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
