package dev.segmenter.engine.kernels;

/**
 * Integer weights that reproduce {@link BlendKernel}'s float definition exactly for one alpha:
 * {@code (a * (256 - w) + b * w + 128) >> 8} equals {@code (int) (a * (1 - alpha) + b * alpha + 0.5f)} for every
 * pair of bytes, or the alpha has no such {@code w}. For alphas that are multiples of 1/256 (0.5, 0.25, 0 and 1
 * among them) it usually does, and the vector blend then runs on 16-bit lanes instead of floats; the check covers
 * all 65,536 pairs, so the bytes never depend on which path ran. Public only for the vector sub-package.
 */
public final class BlendWeights {

  /** No integer weight reproduces the float definition for this alpha. */
  public static final int NONE = -1;

  /** The last alpha asked for (float bits, high half) and its answer (low half); one entry is enough. */
  private static volatile long last = pack(0.5f, 128);

  private BlendWeights() {}

  /** {@code w} in 0..256 as described in the class comment, or {@link #NONE}; alpha already checked. */
  public static int of(float alpha) {
    long cached = last;
    if ((int) (cached >>> 32) == Float.floatToRawIntBits(alpha)) {
      return (int) cached;
    }
    int w = verify(alpha);
    last = pack(alpha, w);
    return w;
  }

  private static long pack(float alpha, int w) {
    return ((long) Float.floatToRawIntBits(alpha) << 32) | (w & 0xFFFFFFFFL);
  }

  /** Checks the candidate {@code round(alpha * 256)} against the float definition on all pairs (about 0.1 ms). */
  static int verify(float alpha) {
    int w = Math.round(alpha * 256f);
    float wa = 1f - alpha;
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        if ((ScalarBlendKernel.blendAt(a, b, wa, alpha) & 0xFF)
            != ((a * (256 - w) + b * w + 128) >> 8)) {
          return NONE;
        }
      }
    }
    return w;
  }
}
