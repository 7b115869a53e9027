package dev.segmenter.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResizeKernelTest {

  private static final ResizeKernel SCALAR = Kernels.scalar().resize();
  private static final ResizeKernel VECTOR = Kernels.vector().resize();

  /** A random geometry: natural scale most of the time, else random scale and offset (letterbox, crop). */
  private static double[] geometry(SplittableRandom r, int srcW, int srcH, int dstW, int dstH) {
    if (r.nextInt(3) > 0) {
      return new double[] {(double) srcW / dstW, 0, (double) srcH / dstH, 0};
    }
    return new double[] {
      0.05 + r.nextDouble() * 3,
      r.nextDouble() * 20 - 10,
      0.05 + r.nextDouble() * 3,
      r.nextDouble() * 20 - 10
    };
  }

  @Test
  void nearestVectorEqualsScalarEqualsFormula() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    for (int iter = 0; iter < 400; iter++) {
      int srcW = 1 + r.nextInt(iter < 200 ? 40 : 300);
      int srcH = 1 + r.nextInt(30);
      int dstW = 1 + r.nextInt(iter < 200 ? 90 : 700);
      int dstH = 1 + r.nextInt(40);
      double[] g = geometry(r, srcW, srcH, dstW, dstH);
      int rowFrom = r.nextInt(dstH);
      int rowTo = rowFrom + r.nextInt(dstH - rowFrom + 1);
      String what = "seed=" + seed + " iter=" + iter + " " + srcW + "x" + srcH + "->" + dstW + "x"
          + dstH + " g=" + java.util.Arrays.toString(g);
      byte[] src = KernelTestData.bytes(r, srcW * srcH);
      byte[] expected = new byte[dstW * dstH];
      SCALAR.nearest(src, srcW, srcH, expected, dstW, dstH, g[0], g[1], g[2], g[3], rowFrom, rowTo);
      for (int dy = 0; dy < dstH; dy++) {
        int sy =
            (int) Math.max(0, Math.min(srcH - 1, Math.floor((dy + 0.5) * g[2] + g[3] - 0.5 + 0.5)));
        for (int dx = 0; dx < dstW; dx++) {
          int sx = (int) Math.max(
              0, Math.min(srcW - 1, Math.floor((dx + 0.5) * g[0] + g[1] - 0.5 + 0.5)));
          byte want = dy >= rowFrom && dy < rowTo ? src[sy * srcW + sx] : 0;
          assertEquals(want, expected[dy * dstW + dx], what + " at " + dx + "," + dy);
        }
      }
      byte[] actual = new byte[dstW * dstH];
      VECTOR.nearest(src, srcW, srcH, actual, dstW, dstH, g[0], g[1], g[2], g[3], rowFrom, rowTo);
      assertArrayEquals(expected, actual, what);
      short[] srcS = KernelTestData.shorts(r, srcW * srcH, 65536);
      short[] expectedS = new short[dstW * dstH];
      short[] actualS = new short[dstW * dstH];
      SCALAR.nearest(
          srcS, srcW, srcH, expectedS, dstW, dstH, g[0], g[1], g[2], g[3], rowFrom, rowTo);
      VECTOR.nearest(srcS, srcW, srcH, actualS, dstW, dstH, g[0], g[1], g[2], g[3], rowFrom, rowTo);
      assertArrayEquals(expectedS, actualS, what);
    }
  }

  @Test
  void nearestExactDoubling() {
    byte[] src = new byte[512 * 4];
    for (int i = 0; i < src.length; i++) {
      src[i] = (byte) (i * 7);
    }
    byte[] dst = new byte[1024 * 8];
    VECTOR.nearest(src, 512, 4, dst, 1024, 8, 0.5, 0, 0.5, 0, 0, 8);
    for (int dy = 0; dy < 8; dy++) {
      for (int dx = 0; dx < 1024; dx++) {
        assertEquals(src[(dy / 2) * 512 + dx / 2], dst[dy * 1024 + dx], dx + "," + dy);
      }
    }
  }

  @Test
  void bilinearVectorEqualsScalarAndMatchesDoubleMath() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    for (int iter = 0; iter < 150; iter++) {
      int classes = 1 + r.nextInt(iter % 10 == 0 ? 40 : 6);
      int srcW = 1 + r.nextInt(40);
      int srcH = 1 + r.nextInt(20);
      int dstW = 1 + r.nextInt(100);
      int dstH = 1 + r.nextInt(30);
      int offset = r.nextInt(3);
      double[] g = geometry(r, srcW, srcH, dstW, dstH);
      int kind = iter % 3 == 0 ? r.nextInt(KernelTestData.SCORE_KINDS) : 0;
      float[] src = KernelTestData.scores(r, offset + classes * srcW * srcH, kind);
      String what = "seed=" + seed + " iter=" + iter + " classes=" + classes + " kind=" + kind;
      float[] expected = new float[classes * dstW * dstH];
      float[] actual = new float[classes * dstW * dstH];
      SCALAR.bilinear(
          src, offset, classes, srcW, srcH, expected, dstW, dstH, g[0], g[1], g[2], g[3], 0, dstH);
      VECTOR.bilinear(
          src, offset, classes, srcW, srcH, actual, dstW, dstH, g[0], g[1], g[2], g[3], 0, dstH);
      assertArrayEquals(expected, actual, what);
      if (kind == 0) {
        for (int c = 0; c < classes; c++) {
          for (int dy = 0; dy < dstH; dy++) {
            for (int dx = 0; dx < dstW; dx++) {
              double want = bilinearDouble(src, offset + c * srcW * srcH, srcW, srcH, dx, dy, g);
              float got = expected[c * dstW * dstH + dy * dstW + dx];
              assertEquals(want, got, 1e-4 * (1 + Math.abs(want)), what + " at " + dx + "," + dy);
            }
          }
        }
      }
      // argmax of the bilinear planes, computed without materialising them, equals argmax of the
      // planes
      byte[] ids = new byte[dstW * dstH];
      byte[] idsVector = new byte[dstW * dstH];
      byte[] viaPlanes = new byte[dstW * dstH];
      SCALAR.bilinearArgmax(
          src, offset, classes, srcW, srcH, ids, dstW, dstH, g[0], g[1], g[2], g[3], 0, dstH);
      VECTOR.bilinearArgmax(
          src, offset, classes, srcW, srcH, idsVector, dstW, dstH, g[0], g[1], g[2], g[3], 0, dstH);
      Kernels.scalar()
          .argmax()
          .argmaxPlanar(expected, 0, classes, dstW * dstH, 0, dstW * dstH, viaPlanes);
      assertArrayEquals(viaPlanes, ids, what);
      assertArrayEquals(ids, idsVector, what);
      short[] idsS = new short[dstW * dstH];
      short[] idsVectorS = new short[dstW * dstH];
      SCALAR.bilinearArgmax(
          src, offset, classes, srcW, srcH, idsS, dstW, dstH, g[0], g[1], g[2], g[3], 0, dstH);
      VECTOR.bilinearArgmax(
          src,
          offset,
          classes,
          srcW,
          srcH,
          idsVectorS,
          dstW,
          dstH,
          g[0],
          g[1],
          g[2],
          g[3],
          0,
          dstH);
      assertArrayEquals(idsS, idsVectorS, what);
    }
  }

  private static double bilinearDouble(
      float[] src, int base, int w, int h, int dx, int dy, double[] g) {
    double sx = Math.max(0, Math.min(w - 1, (dx + 0.5) * g[0] + g[1] - 0.5));
    double sy = Math.max(0, Math.min(h - 1, (dy + 0.5) * g[2] + g[3] - 0.5));
    int x0 = (int) Math.floor(sx);
    int y0 = (int) Math.floor(sy);
    int x1 = Math.min(x0 + 1, w - 1);
    int y1 = Math.min(y0 + 1, h - 1);
    double fx = sx - x0;
    double fy = sy - y0;
    double top = src[base + y0 * w + x0] * (1 - fx) + src[base + y0 * w + x1] * fx;
    double bottom = src[base + y1 * w + x0] * (1 - fx) + src[base + y1 * w + x1] * fx;
    return top * (1 - fy) + bottom * fy;
  }

  @Test
  void manySmallCallsAfterJit() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    for (int iter = 0; iter < 3000; iter++) {
      int srcW = 1 + r.nextInt(40);
      int dstW = 1 + r.nextInt(150);
      byte[] src = KernelTestData.bytes(r, srcW * 2);
      byte[] expected = new byte[dstW * 3];
      byte[] actual = new byte[dstW * 3];
      SCALAR.nearest(src, srcW, 2, expected, dstW, 3, (double) srcW / dstW, 0, 2 / 3.0, 0, 0, 3);
      VECTOR.nearest(src, srcW, 2, actual, dstW, 3, (double) srcW / dstW, 0, 2 / 3.0, 0, 0, 3);
      assertArrayEquals(expected, actual, "seed=" + seed + " iter=" + iter);
      int classes = 1 + r.nextInt(5);
      float[] s =
          KernelTestData.scores(r, classes * srcW * 2, r.nextInt(KernelTestData.SCORE_KINDS));
      SCALAR.bilinearArgmax(
          s, 0, classes, srcW, 2, expected, dstW, 3, (double) srcW / dstW, 0, 2 / 3.0, 0, 0, 3);
      VECTOR.bilinearArgmax(
          s, 0, classes, srcW, 2, actual, dstW, 3, (double) srcW / dstW, 0, 2 / 3.0, 0, 0, 3);
      assertArrayEquals(expected, actual, "bilinearArgmax seed=" + seed + " iter=" + iter);
    }
  }
}
