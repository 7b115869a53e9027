package dev.segmenter.engine.kernels;

/** Plain-Java palette lookup; the reference for the vector implementation. */
public final class ScalarPaletteKernel implements PaletteKernel {

  public static final ScalarPaletteKernel INSTANCE = new ScalarPaletteKernel();

  private ScalarPaletteKernel() {
  }

  @Override
  public void lookup3(byte[] ids, int from, int to, byte[] lut3, byte[] out) {
    int last = KernelChecks.lut3Entries(lut3) - 1;
    KernelChecks.range(from, to, ids.length, "ids");
    KernelChecks.range(3 * from, 3 * to, out.length, "out");
    for (int p = from; p < to; p++) {
      int j = 3 * Math.min(ids[p] & 0xFF, last);
      int o = 3 * p;
      out[o] = lut3[j];
      out[o + 1] = lut3[j + 1];
      out[o + 2] = lut3[j + 2];
    }
  }

  @Override
  public void lookup3(short[] ids, int from, int to, byte[] lut3, byte[] out) {
    int last = KernelChecks.lut3Entries(lut3) - 1;
    KernelChecks.range(from, to, ids.length, "ids");
    KernelChecks.range(3 * from, 3 * to, out.length, "out");
    for (int p = from; p < to; p++) {
      int j = 3 * Math.min(ids[p] & 0xFFFF, last);
      int o = 3 * p;
      out[o] = lut3[j];
      out[o + 1] = lut3[j + 1];
      out[o + 2] = lut3[j + 2];
    }
  }

  @Override
  public void lookupArgb(byte[] ids, int from, int to, int[] lutArgb, int[] out) {
    KernelChecks.lutArgb(lutArgb);
    KernelChecks.range(from, to, Math.min(ids.length, out.length), "ids/out");
    int last = lutArgb.length - 1;
    for (int p = from; p < to; p++) {
      out[p] = lutArgb[Math.min(ids[p] & 0xFF, last)];
    }
  }

  @Override
  public void lookupArgb(short[] ids, int from, int to, int[] lutArgb, int[] out) {
    KernelChecks.lutArgb(lutArgb);
    KernelChecks.range(from, to, Math.min(ids.length, out.length), "ids/out");
    int last = lutArgb.length - 1;
    for (int p = from; p < to; p++) {
      out[p] = lutArgb[Math.min(ids[p] & 0xFFFF, last)];
    }
  }
}
