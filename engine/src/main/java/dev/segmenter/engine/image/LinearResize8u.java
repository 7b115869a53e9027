package dev.segmenter.engine.image;

/**
 * Bilinear resize of interleaved 8-bit images with OpenCV's {@code INTER_LINEAR} arithmetic, so that a
 * blob made here equals one made by {@code cv::dnn::blobFromImage} byte for byte.
 *
 * <p>OpenCV (imgproc/src/resize.cpp) maps destination pixel {@code dx} to {@code fx = (dx + 0.5) * scale - 0.5},
 * turns the two weights into 11-bit fixed point ({@code saturate_cast<short>(w * 2048)}, each rounded on its own),
 * sums horizontally in int, and then combines two rows with 16-bit multiply-high arithmetic:
 * {@code ((((s0 >> 4) * b0) >> 16) + (((s1 >> 4) * b1) >> 16) + 2) >> 2}. An exact 2x downscale is done as a
 * 2x2 box average ({@code INTER_AREA}'s fast path), and an equal size is a copy.
 */
public final class LinearResize8u {
  private static final int COEF_BITS = 11;
  private static final int COEF_SCALE = 1 << COEF_BITS;

  private LinearResize8u() {}

  /**
   * Resizes {@code src} ({@code sw x sh x channels}) to {@code dw x dh}, OpenCV-style, with the
   * scale factors OpenCV would derive from the sizes ({@code dw / sw}, {@code dh / sh}).
   */
  public static byte[] resize(byte[] src, int sw, int sh, int channels, int dw, int dh) {
    return resize(src, sw, sh, channels, dw, dh, (double) dw / sw, (double) dh / sh);
  }

  /**
   * Resizes with explicit inverse scales ({@code fx}, {@code fy}: destination pixels per source pixel), as
   * {@code cv::resize(src, dst, dsize, fx, fy)} does when it is given the factors.
   */
  public static byte[] resize(
      byte[] src, int sw, int sh, int cn, int dw, int dh, double invScaleX, double invScaleY) {
    byte[] dst = new byte[Math.multiplyExact(Math.multiplyExact(dw, dh), cn)];
    if (sw == dw && sh == dh) {
      System.arraycopy(src, 0, dst, 0, dst.length);
      return dst;
    }
    double scaleX = 1.0 / invScaleX;
    double scaleY = 1.0 / invScaleY;
    int iscaleX = (int) Math.rint(scaleX);
    int iscaleY = (int) Math.rint(scaleY);
    boolean areaFast =
        Math.abs(scaleX - iscaleX) < Math.ulp(1.0) && Math.abs(scaleY - iscaleY) < Math.ulp(1.0);
    if (areaFast && iscaleX == 2 && iscaleY == 2) {
      box2(src, sw, sh, cn, dst, dw, dh);
      return dst;
    }
    int rowLen = dw * cn;
    int[] xofs = new int[rowLen];
    short[] alpha = new short[rowLen * 2];
    int xmax = dw;
    for (int dx = 0; dx < dw; dx++) {
      float fx = (float) ((dx + 0.5) * scaleX - 0.5);
      int sx = (int) Math.floor(fx);
      fx -= sx;
      if (sx < 0) {
        fx = 0;
        sx = 0;
      }
      if (sx + 1 >= sw) {
        xmax = Math.min(xmax, dx);
        if (sx >= sw - 1) {
          fx = 0;
          sx = sw - 1;
        }
      }
      short a0 = saturateShort((1.f - fx) * COEF_SCALE);
      short a1 = saturateShort(fx * COEF_SCALE);
      for (int k = 0; k < cn; k++) {
        xofs[dx * cn + k] = sx * cn + k;
        alpha[(dx * cn + k) * 2] = a0;
        alpha[(dx * cn + k) * 2 + 1] = a1;
      }
    }
    int xmaxLen = xmax * cn;
    int[] row0 = new int[rowLen];
    int[] row1 = new int[rowLen];
    int cached0 = -1;
    int cached1 = -1;
    int srcStride = sw * cn;
    for (int dy = 0; dy < dh; dy++) {
      float fy = (float) ((dy + 0.5) * scaleY - 0.5);
      int sy = (int) Math.floor(fy);
      fy -= sy;
      // OpenCV keeps the weights and clips the two row indices to the border
      int y0 = Math.max(0, Math.min(sy, sh - 1));
      int y1 = Math.max(0, Math.min(sy + 1, sh - 1));
      short b0 = saturateShort((1.f - fy) * COEF_SCALE);
      short b1 = saturateShort(fy * COEF_SCALE);
      if (y0 != cached0) {
        if (y0 == cached1) {
          int[] t = row0;
          row0 = row1;
          row1 = t;
          cached1 = cached0;
        } else {
          hresize(src, y0 * srcStride, xofs, alpha, xmaxLen, rowLen, cn, row0);
        }
        cached0 = y0;
      }
      if (y1 != cached1) {
        hresize(src, y1 * srcStride, xofs, alpha, xmaxLen, rowLen, cn, row1);
        cached1 = y1;
      }
      int out = dy * rowLen;
      for (int x = 0; x < rowLen; x++) {
        int s0 = row0[x] >> 4;
        int s1 = row1[x] >> 4;
        int v = (((s0 * b0) >> 16) + ((s1 * b1) >> 16) + 2) >> 2;
        dst[out + x] = (byte) (v < 0 ? 0 : Math.min(v, 255));
      }
    }
    return dst;
  }

  private static void hresize(
      byte[] src, int base, int[] xofs, short[] alpha, int xmaxLen, int rowLen, int cn, int[] out) {
    for (int x = 0; x < xmaxLen; x++) {
      int s = base + xofs[x];
      out[x] = (src[s] & 0xFF) * alpha[2 * x] + (src[s + cn] & 0xFF) * alpha[2 * x + 1];
    }
    for (int x = xmaxLen; x < rowLen; x++) {
      out[x] = (src[base + xofs[x]] & 0xFF) * COEF_SCALE;
    }
  }

  private static void box2(byte[] src, int sw, int sh, int cn, byte[] dst, int dw, int dh) {
    int stride = sw * cn;
    for (int dy = 0; dy < dh; dy++) {
      int r0 = 2 * dy * stride;
      int r1 = Math.min(2 * dy + 1, sh - 1) * stride;
      for (int dx = 0; dx < dw; dx++) {
        int c0 = 2 * dx * cn;
        int c1 = Math.min(2 * dx + 1, sw - 1) * cn;
        for (int k = 0; k < cn; k++) {
          int sum = (src[r0 + c0 + k] & 0xFF)
              + (src[r0 + c1 + k] & 0xFF)
              + (src[r1 + c0 + k] & 0xFF)
              + (src[r1 + c1 + k] & 0xFF);
          dst[(dy * dw + dx) * cn + k] = (byte) ((sum + 2) >> 2);
        }
      }
    }
  }

  private static short saturateShort(float v) {
    int r = (int) Math.rint(v);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
  }
}
