package dev.segmenter.engine.kernels;

/**
 * Argmax, palette and blend in one pass over the scores, for networks whose output is already at image size.
 * The result is byte-for-byte what {@link ArgmaxKernel#argmaxPlanar(float[], int, int, int, int, int, byte[])},
 * then {@link PaletteKernel#lookup3(byte[], int, int, byte[], byte[])}, then
 * {@link BlendKernel#blend(byte[], byte[], float, int, int, byte[])} with {@code a = image}, {@code b = color}
 * would give; the intermediates stay in cache instead of making two more trips through memory.
 */
public interface FusedKernel {

  /**
   * For pixels {@code from <= p < to}: {@code ids[p]} = argmax of the planar {@code scores} (rules of
   * {@link ArgmaxKernel}, {@code classes <= 256}); {@code color[3p..3p+2]} = {@code lut3} entry of that id (only
   * if {@code color} is not null; ids beyond the table take its last entry); {@code overlay[3p..3p+2]} =
   * {@code image} blended with the color at {@code alpha} (rounding of {@link BlendKernel}).
   *
   * @param image 3 bytes per pixel, same channel order as {@code lut3} (usually BGR)
   * @param color may be null when the caller does not need the color image
   */
  void argmaxPaletteBlend(float[] scores, int offset, int classes, int pixels, int from, int to, byte[] image,
      byte[] lut3, float alpha, byte[] ids, byte[] color, byte[] overlay);
}
