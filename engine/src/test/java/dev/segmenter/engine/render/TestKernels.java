package dev.segmenter.engine.render;

import dev.segmenter.engine.kernels.BlendKernel;
import dev.segmenter.engine.kernels.PaletteKernel;

/**
 * A plain scalar implementation of the palette and blend kernels, written from their javadoc, for these
 * tests only (the engine's own implementations are tested against their contracts elsewhere).
 */
final class TestKernels implements PaletteKernel, BlendKernel {
  static final TestKernels SCALAR = new TestKernels();

  static PaletteKernel palette() {
    return SCALAR;
  }

  static BlendKernel blend() {
    return SCALAR;
  }

  @Override
  public void lookup3(byte[] ids, int from, int to, byte[] lut3, byte[] out) {
    int last = lut3.length / 3 - 1;
    for (int p = from; p < to; p++) {
      int id = Math.min(ids[p] & 0xFF, last);
      out[3 * p] = lut3[3 * id];
      out[3 * p + 1] = lut3[3 * id + 1];
      out[3 * p + 2] = lut3[3 * id + 2];
    }
  }

  @Override
  public void lookup3(short[] ids, int from, int to, byte[] lut3, byte[] out) {
    int last = lut3.length / 3 - 1;
    for (int p = from; p < to; p++) {
      int id = Math.min(ids[p] & 0xFFFF, last);
      out[3 * p] = lut3[3 * id];
      out[3 * p + 1] = lut3[3 * id + 1];
      out[3 * p + 2] = lut3[3 * id + 2];
    }
  }

  @Override
  public void lookupArgb(byte[] ids, int from, int to, int[] lutArgb, int[] out) {
    int last = lutArgb.length - 1;
    for (int p = from; p < to; p++) {
      out[p] = lutArgb[Math.min(ids[p] & 0xFF, last)];
    }
  }

  @Override
  public void lookupArgb(short[] ids, int from, int to, int[] lutArgb, int[] out) {
    int last = lutArgb.length - 1;
    for (int p = from; p < to; p++) {
      out[p] = lutArgb[Math.min(ids[p] & 0xFFFF, last)];
    }
  }

  @Override
  public void blend(byte[] a, byte[] b, float alpha, int from, int to, byte[] out) {
    float wa = 1 - alpha;
    float wb = alpha;
    for (int i = from; i < to; i++) {
      int v = (int) ((a[i] & 0xFF) * wa + (b[i] & 0xFF) * wb + 0.5f);
      out[i] = (byte) Math.min(255, Math.max(0, v));
    }
  }
}
