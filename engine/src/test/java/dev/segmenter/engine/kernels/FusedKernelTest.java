package dev.segmenter.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FusedKernelTest {

  @Test
  void fusedEqualsArgmaxThenPaletteThenBlend() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    Kernels scalar = Kernels.scalar();
    for (int iter = 0; iter < 300; iter++) {
      int classes = iter >= 290 ? 1 + r.nextInt(25) : 1 + r.nextInt(iter % 7 == 0 ? 256 : 30);
      int pixels = iter < 250 ? 1 + r.nextInt(300)
          : iter < 290 ? KernelTestData.SIZES[r.nextInt(KernelTestData.SIZES.length)] : 4096 * 2 + r.nextInt(5000);
      int offset = r.nextInt(2);
      int entries = 1 + r.nextInt(classes + 3); // sometimes fewer colors than classes
      float alpha = iter % 5 == 0 ? (iter % 2) : r.nextFloat();
      float[] s = KernelTestData.scores(r, offset + classes * pixels, r.nextInt(KernelTestData.SCORE_KINDS));
      byte[] image = KernelTestData.bytes(r, 3 * pixels);
      byte[] lut = KernelTestData.bytes(r, 3 * entries);
      int from = r.nextInt(3) == 0 ? r.nextInt(pixels) : 0;
      int to = pixels;
      String what = "seed=" + seed + " iter=" + iter + " classes=" + classes + " pixels=" + pixels;
      byte[] ids = new byte[pixels];
      byte[] color = new byte[3 * pixels];
      byte[] overlay = new byte[3 * pixels];
      scalar.argmax().argmaxPlanar(s, offset, classes, pixels, from, to, ids);
      scalar.palette().lookup3(ids, from, to, lut, color);
      scalar.blend().blend(image, color, alpha, 3 * from, 3 * to, overlay);
      for (Kernels k : new Kernels[] {scalar, Kernels.vector()}) {
        byte[] fIds = new byte[pixels];
        byte[] fColor = new byte[3 * pixels];
        byte[] fOverlay = new byte[3 * pixels];
        k.fused().argmaxPaletteBlend(s, offset, classes, pixels, from, to, image, lut, alpha, fIds, fColor, fOverlay);
        assertArrayEquals(ids, fIds, k + " " + what);
        assertArrayEquals(color, fColor, k + " " + what);
        assertArrayEquals(overlay, fOverlay, k + " " + what);
        byte[] noColorOverlay = new byte[3 * pixels];
        k.fused().argmaxPaletteBlend(s, offset, classes, pixels, from, to, image, lut, alpha, fIds, null,
            noColorOverlay);
        assertArrayEquals(overlay, noColorOverlay, k + " without color " + what);
      }
    }
  }

  @Test
  void rejectsMoreThan256Classes() {
    float[] s = new float[300];
    assertThrows(IllegalArgumentException.class, () -> Kernels.vector().fused().argmaxPaletteBlend(s, 0, 300, 1, 0,
        1, new byte[3], new byte[3], 0.5f, new byte[1], null, new byte[3]));
  }
}
