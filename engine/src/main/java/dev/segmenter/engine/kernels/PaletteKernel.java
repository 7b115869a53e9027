package dev.segmenter.engine.kernels;

/**
 * Class map to colors. The lookup tables are prepared by the caller:
 * {@code lut3} holds 3 bytes per id in the output's channel order (BGR or RGB) and
 * {@code lutArgb} one packed ARGB int per id. Ids at or beyond the table's length are written as the
 * table's last entry (callers put the void color there); the result is identical for all implementations.
 * Only pixels {@code from <= p < to} are written. The public methods check the arguments once, for every
 * implementation, then call its {@code do*} method.
 */
public abstract class PaletteKernel {

  protected PaletteKernel() {}

  /** {@code out[3p..3p+2] = lut3[3*id..3*id+2]} with {@code id = ids[p] & 0xFF}. */
  public final void lookup3(byte[] ids, int from, int to, byte[] lut3, byte[] out) {
    KernelChecks.lut3Entries(lut3);
    KernelChecks.range(from, to, ids.length, "ids");
    KernelChecks.range(3 * from, 3 * to, out.length, "out");
    doLookup3(ids, from, to, lut3, out);
  }

  /** As above for 16-bit ids ({@code ids[p] & 0xFFFF}). */
  public final void lookup3(short[] ids, int from, int to, byte[] lut3, byte[] out) {
    KernelChecks.lut3Entries(lut3);
    KernelChecks.range(from, to, ids.length, "ids");
    KernelChecks.range(3 * from, 3 * to, out.length, "out");
    doLookup3(ids, from, to, lut3, out);
  }

  /** {@code out[p] = lutArgb[id]}. */
  public final void lookupArgb(byte[] ids, int from, int to, int[] lutArgb, int[] out) {
    KernelChecks.lutArgb(lutArgb);
    KernelChecks.range(from, to, Math.min(ids.length, out.length), "ids/out");
    doLookupArgb(ids, from, to, lutArgb, out);
  }

  public final void lookupArgb(short[] ids, int from, int to, int[] lutArgb, int[] out) {
    KernelChecks.lutArgb(lutArgb);
    KernelChecks.range(from, to, Math.min(ids.length, out.length), "ids/out");
    doLookupArgb(ids, from, to, lutArgb, out);
  }

  /** {@code lut3} holds a positive multiple of 3 bytes. */
  protected abstract void doLookup3(byte[] ids, int from, int to, byte[] lut3, byte[] out);

  protected abstract void doLookup3(short[] ids, int from, int to, byte[] lut3, byte[] out);

  /** {@code lutArgb} is not empty. */
  protected abstract void doLookupArgb(byte[] ids, int from, int to, int[] lutArgb, int[] out);

  protected abstract void doLookupArgb(short[] ids, int from, int to, int[] lutArgb, int[] out);
}
