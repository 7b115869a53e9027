package dev.segmenter.engine.kernels;

/** Plain-Java palette lookup; the reference for the vector implementation. */
public class ScalarPaletteKernel extends PaletteKernel {

  public static final ScalarPaletteKernel INSTANCE = new ScalarPaletteKernel();

  protected ScalarPaletteKernel() {}

  @Override
  protected void doLookup3(byte[] ids, int from, int to, byte[] lut3, byte[] out) {
    int last = lut3.length / 3 - 1;
    for (int p = from; p < to; p++) {
      int j = 3 * Math.min(ids[p] & 0xFF, last);
      int o = 3 * p;
      out[o] = lut3[j];
      out[o + 1] = lut3[j + 1];
      out[o + 2] = lut3[j + 2];
    }
  }

  @Override
  protected void doLookup3(short[] ids, int from, int to, byte[] lut3, byte[] out) {
    int last = lut3.length / 3 - 1;
    for (int p = from; p < to; p++) {
      int j = 3 * Math.min(ids[p] & 0xFFFF, last);
      int o = 3 * p;
      out[o] = lut3[j];
      out[o + 1] = lut3[j + 1];
      out[o + 2] = lut3[j + 2];
    }
  }

  @Override
  protected void doLookupArgb(byte[] ids, int from, int to, int[] lutArgb, int[] out) {
    int last = lutArgb.length - 1;
    for (int p = from; p < to; p++) {
      out[p] = lutArgb[Math.min(ids[p] & 0xFF, last)];
    }
  }

  @Override
  protected void doLookupArgb(short[] ids, int from, int to, int[] lutArgb, int[] out) {
    int last = lutArgb.length - 1;
    for (int p = from; p < to; p++) {
      out[p] = lutArgb[Math.min(ids[p] & 0xFFFF, last)];
    }
  }
}
