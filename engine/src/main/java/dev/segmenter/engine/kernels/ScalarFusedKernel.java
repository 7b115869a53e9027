package dev.segmenter.engine.kernels;

/** Plain-Java fused argmax, palette and blend, pixel by pixel; the reference for the vector implementation. */
public final class ScalarFusedKernel implements FusedKernel {

  public static final ScalarFusedKernel INSTANCE = new ScalarFusedKernel();

  private ScalarFusedKernel() {
  }

  /** Checks shared with the vector implementation. */
  public static void check(float[] scores, int offset, int classes, int pixels, int from, int to, byte[] image,
      byte[] lut3, float alpha, byte[] ids, byte[] color, byte[] overlay) {
    KernelChecks.planar(scores, offset, classes, pixels, from, to, ids.length, 256);
    KernelChecks.lut3Entries(lut3);
    KernelChecks.alpha(alpha);
    KernelChecks.range(3 * from, 3 * to, Math.min(image.length, overlay.length), "image/overlay");
    if (color != null) {
      KernelChecks.range(3 * from, 3 * to, color.length, "color");
    }
  }

  @Override
  public void argmaxPaletteBlend(float[] scores, int offset, int classes, int pixels, int from, int to,
      byte[] image, byte[] lut3, float alpha, byte[] ids, byte[] color, byte[] overlay) {
    check(scores, offset, classes, pixels, from, to, image, lut3, alpha, ids, color, overlay);
    int last = lut3.length / 3 - 1;
    float wa = 1f - alpha;
    float wb = alpha;
    for (int p = from; p < to; p++) {
      int id = ScalarArgmaxKernel.planarAt(scores, offset, classes, pixels, p);
      ids[p] = (byte) id;
      int j = 3 * Math.min(id, last);
      int o = 3 * p;
      for (int k = 0; k < 3; k++) {
        byte c = lut3[j + k];
        if (color != null) {
          color[o + k] = c;
        }
        overlay[o + k] = ScalarBlendKernel.blendAt(image[o + k], c, wa, wb);
      }
    }
  }
}
