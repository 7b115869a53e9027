package dev.segmenter.engine.kernels;

/**
 * Class map to colors. The lookup tables are prepared by the caller:
 * {@code lut3} holds 3 bytes per id in the output's channel order (BGR or RGB) and
 * {@code lutArgb} one packed ARGB int per id. Ids at or beyond the table's length are written as the
 * table's last entry (callers put the void color there); the result is identical for all implementations.
 * Only pixels {@code from <= p < to} are written.
 */
public interface PaletteKernel {

  /** {@code out[3p..3p+2] = lut3[3*id..3*id+2]} with {@code id = ids[p] & 0xFF}. */
  void lookup3(byte[] ids, int from, int to, byte[] lut3, byte[] out);

  /** As above for 16-bit ids ({@code ids[p] & 0xFFFF}). */
  void lookup3(short[] ids, int from, int to, byte[] lut3, byte[] out);

  /** {@code out[p] = lutArgb[id]}. */
  void lookupArgb(byte[] ids, int from, int to, int[] lutArgb, int[] out);

  void lookupArgb(short[] ids, int from, int to, int[] lutArgb, int[] out);
}
