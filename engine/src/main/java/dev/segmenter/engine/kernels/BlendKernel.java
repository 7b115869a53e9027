package dev.segmenter.engine.kernels;

/**
 * Alpha blend of two byte images of the same layout, as OpenCV's
 * {@code addWeighted(a, 1 - alpha, b, alpha, 0)}: {@code out[i] = saturate(round(a[i] * (1 - alpha) + b[i] * alpha))}.
 * The rounding is defined as {@code (int) (a * wa + b * wb + 0.5f)} computed in float with
 * {@code wa = 1 - alpha}, {@code wb = alpha}; every implementation gives the same bytes.
 * {@code alpha} must be in {@code [0, 1]} (else {@link IllegalArgumentException}), so the sum lies in
 * {@code [0.5, 255.5]} and the clamp to 0..255 never changes a value.
 * Only elements {@code from <= i < to} are written; {@code out} may be {@code a} or {@code b}. The public method
 * checks the arguments once, for every implementation, then calls {@link #doBlend}.
 */
public abstract class BlendKernel {

  protected BlendKernel() {}

  public final void blend(byte[] a, byte[] b, float alpha, int from, int to, byte[] out) {
    KernelChecks.alpha(alpha);
    KernelChecks.range(from, to, Math.min(Math.min(a.length, b.length), out.length), "a/b/out");
    doBlend(a, b, alpha, from, to, out);
  }

  protected abstract void doBlend(byte[] a, byte[] b, float alpha, int from, int to, byte[] out);
}
