package dev.segmenter.engine.kernels;

/**
 * Per-pixel alpha composite of two BGR images (3 interleaved bytes per pixel) with one alpha byte per pixel:
 * {@code out[3p + k] = round((fg[3p + k] * a + bg[3p + k] * (255 - a)) / 255)} with {@code a = alpha[p]}
 * (unsigned bytes). The rounding is computed exactly in integers as {@code t = x + 128; (t + (t >> 8)) >> 8}
 * for {@code x = fg * a + bg * (255 - a)}, which equals {@code round(x / 255)} for every {@code x} in
 * {@code [0, 255 * 255]} (no ties: 255 is odd). So alpha 255 gives {@code fg}, alpha 0 gives {@code bg}, and
 * every implementation gives the same bytes. There are no NaNs: all inputs are bytes.
 * Only pixels {@code from <= p < to} are written; {@code out} may be {@code fg} or {@code bg}. The public method
 * checks the arguments once, for every implementation, then calls {@link #doComposite}.
 */
public abstract class CompositeKernel {

  protected CompositeKernel() {}

  public final void composite(byte[] fg, byte[] bg, byte[] alpha, int from, int to, byte[] out) {
    KernelChecks.composite(fg, bg, alpha, from, to, out);
    doComposite(fg, bg, alpha, from, to, out);
  }

  protected abstract void doComposite(
      byte[] fg, byte[] bg, byte[] alpha, int from, int to, byte[] out);
}
