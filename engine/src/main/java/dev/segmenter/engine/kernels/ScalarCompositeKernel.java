package dev.segmenter.engine.kernels;

/** Plain-Java alpha composite; the reference for the vector implementation. */
public class ScalarCompositeKernel extends CompositeKernel {

  public static final ScalarCompositeKernel INSTANCE = new ScalarCompositeKernel();

  protected ScalarCompositeKernel() {}

  /** One composited byte, exactly as {@link CompositeKernel} defines it ({@code a} is 0..255). */
  public static byte compositeAt(int fg, int bg, int a) {
    int t = (fg & 0xFF) * a + (bg & 0xFF) * (255 - a) + 128;
    return (byte) ((t + (t >> 8)) >> 8);
  }

  @Override
  protected void doComposite(byte[] fg, byte[] bg, byte[] alpha, int from, int to, byte[] out) {
    for (int p = from; p < to; p++) {
      int a = alpha[p] & 0xFF;
      int i = 3 * p;
      out[i] = compositeAt(fg[i], bg[i], a);
      out[i + 1] = compositeAt(fg[i + 1], bg[i + 1], a);
      out[i + 2] = compositeAt(fg[i + 2], bg[i + 2], a);
    }
  }
}
