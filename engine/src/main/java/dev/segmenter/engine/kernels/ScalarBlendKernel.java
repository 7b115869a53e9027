package dev.segmenter.engine.kernels;

/** Plain-Java alpha blend; the reference for the vector implementation. */
public class ScalarBlendKernel extends BlendKernel {

  public static final ScalarBlendKernel INSTANCE = new ScalarBlendKernel();

  protected ScalarBlendKernel() {}

  /** One blended byte, exactly as {@link BlendKernel} defines it. */
  public static byte blendAt(int a, int b, float wa, float wb) {
    int v = (int) ((a & 0xFF) * wa + (b & 0xFF) * wb + 0.5f);
    return (byte) Math.max(0, Math.min(255, v));
  }

  @Override
  protected void doBlend(byte[] a, byte[] b, float alpha, int from, int to, byte[] out) {
    float wa = 1f - alpha;
    float wb = alpha;
    for (int i = from; i < to; i++) {
      out[i] = blendAt(a[i], b[i], wa, wb);
    }
  }
}
