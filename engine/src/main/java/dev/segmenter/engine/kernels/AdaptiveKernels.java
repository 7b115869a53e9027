package dev.segmenter.engine.kernels;

/**
 * Kernels that call the scalar implementation until {@link KernelWarmup#ready()}, then the vector one.
 * Both follow the same documented rules exactly (see the equivalence tests), so results never depend on
 * which one ran.
 */
final class AdaptiveKernels {
  private AdaptiveKernels() {}

  static Kernels of(Kernels vector, Kernels scalar) {
    KernelWarmup.start(vector);
    ArgmaxKernel argmax = new ArgmaxKernel() {
      private ArgmaxKernel k() {
        return KernelWarmup.ready() ? vector.argmax() : scalar.argmax();
      }

      @Override
      public void argmaxPlanar(float[] s, int off, int c, int px, int from, int to, byte[] out) {
        k().argmaxPlanar(s, off, c, px, from, to, out);
      }

      @Override
      public void argmaxPlanar(float[] s, int off, int c, int px, int from, int to, short[] out) {
        k().argmaxPlanar(s, off, c, px, from, to, out);
      }

      @Override
      public void argmaxPlanar(java.nio.ByteBuffer s, int off, int c, int px, int from, int to, byte[] out) {
        k().argmaxPlanar(s, off, c, px, from, to, out);
      }

      @Override
      public void argmaxPlanar(java.nio.ByteBuffer s, int off, int c, int px, int from, int to, short[] out) {
        k().argmaxPlanar(s, off, c, px, from, to, out);
      }

      @Override
      public void argmaxInterleaved(float[] s, int off, int c, int from, int to, byte[] out) {
        k().argmaxInterleaved(s, off, c, from, to, out);
      }

      @Override
      public void argmaxInterleaved(float[] s, int off, int c, int from, int to, short[] out) {
        k().argmaxInterleaved(s, off, c, from, to, out);
      }
    };
    PaletteKernel palette = new PaletteKernel() {
      private PaletteKernel k() {
        return KernelWarmup.ready() ? vector.palette() : scalar.palette();
      }

      @Override
      public void lookup3(byte[] ids, int from, int to, byte[] lut3, byte[] out) {
        k().lookup3(ids, from, to, lut3, out);
      }

      @Override
      public void lookup3(short[] ids, int from, int to, byte[] lut3, byte[] out) {
        k().lookup3(ids, from, to, lut3, out);
      }

      @Override
      public void lookupArgb(byte[] ids, int from, int to, int[] lut, int[] out) {
        k().lookupArgb(ids, from, to, lut, out);
      }

      @Override
      public void lookupArgb(short[] ids, int from, int to, int[] lut, int[] out) {
        k().lookupArgb(ids, from, to, lut, out);
      }
    };
    BlendKernel blend = (a, b, alpha, from, to, out) ->
        (KernelWarmup.ready() ? vector.blend() : scalar.blend()).blend(a, b, alpha, from, to, out);
    ResizeKernel resize = new ResizeKernel() {
      private ResizeKernel k() {
        return KernelWarmup.ready() ? vector.resize() : scalar.resize();
      }

      @Override
      public void nearest(byte[] src, int sw, int sh, byte[] dst, int dw, int dh, double sx, double ox, double sy,
          double oy, int r0, int r1) {
        k().nearest(src, sw, sh, dst, dw, dh, sx, ox, sy, oy, r0, r1);
      }

      @Override
      public void nearest(short[] src, int sw, int sh, short[] dst, int dw, int dh, double sx, double ox, double sy,
          double oy, int r0, int r1) {
        k().nearest(src, sw, sh, dst, dw, dh, sx, ox, sy, oy, r0, r1);
      }

      @Override
      public void bilinearArgmax(float[] src, int off, int c, int sw, int sh, byte[] dst, int dw, int dh, double sx,
          double ox, double sy, double oy, int r0, int r1) {
        k().bilinearArgmax(src, off, c, sw, sh, dst, dw, dh, sx, ox, sy, oy, r0, r1);
      }

      @Override
      public void bilinearArgmax(float[] src, int off, int c, int sw, int sh, short[] dst, int dw, int dh, double sx,
          double ox, double sy, double oy, int r0, int r1) {
        k().bilinearArgmax(src, off, c, sw, sh, dst, dw, dh, sx, ox, sy, oy, r0, r1);
      }

      @Override
      public void bilinear(float[] src, int off, int c, int sw, int sh, float[] dst, int dw, int dh, double sx,
          double ox, double sy, double oy, int r0, int r1) {
        k().bilinear(src, off, c, sw, sh, dst, dw, dh, sx, ox, sy, oy, r0, r1);
      }
    };
    CompositeKernel composite = (fg, bg, alpha, from, to, out) ->
        (KernelWarmup.ready() ? vector.composite() : scalar.composite()).composite(fg, bg, alpha, from, to, out);
    return new Kernels(vector.description() + ", scalar until compiled", argmax, palette, blend, resize,
        composite);
  }
}
