package dev.segmenter.engine.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.palettes.Palette;
import dev.segmenter.palettes.Palettes;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OverlayTest {
  private final Overlay overlay =
      new Overlay(Kernels.scalar().blend(), Kernels.scalar().palette());

  @Test
  void overlayIsTheAddWeightedFormula() {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    Palette palette = Palettes.cityscapes();
    float[] alphas = {0f, 0.25f, 0.5f, 0.7f, 1f};
    for (float alpha : alphas) {
      int w = 1 + rnd.nextInt(60);
      int h = 1 + rnd.nextInt(40);
      BgrImage image = RandomMaps.image(rnd, w, h);
      ClassMap map = RandomMaps.map(rnd, w, h, 20, false);
      BgrImage out =
          overlay.render(image, map, palette, OverlayOptions.defaults().withAlpha(alpha));
      for (int p = 0; p < map.pixels(); p++) {
        int c = palette.rgb(map.get(p));
        int[] color = {c & 0xFF, c >> 8 & 0xFF, c >> 16 & 0xFF};
        for (int ch = 0; ch < 3; ch++) {
          // BlendKernel's contract: float weights, + 0.5f, truncated
          int expected =
              (int) ((image.data()[3 * p + ch] & 0xFF) * (1f - alpha) + color[ch] * alpha + 0.5f);
          int got = out.data()[3 * p + ch] & 0xFF;
          assertEquals(
              expected,
              got,
              "seed " + seed + ", alpha " + alpha + ", pixel " + p + " channel " + ch);
        }
      }
    }
  }

  @Test
  void unblendedAndVoidPixelsKeepTheImage() {
    BgrImage image =
        new BgrImage(4, 1, new byte[] {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120});
    ClassMap map = ClassMap.ofBytes(4, 1, new byte[] {0, 15, (byte) 255, 7});
    OverlayOptions keep = OverlayOptions.defaults().withUnblended(0).withVoidUnblended(true);
    BgrImage out = overlay.render(image, map, Palettes.voc(), keep);
    assertEquals(10, out.data()[0]);
    assertEquals(30, out.data()[2]);
    assertEquals(70, out.data()[6]);
    assertEquals(90, out.data()[8]);
    // person (192, 128, 128) blended half with (40, 50, 60) -> B (40+128)/2, G (50+128)/2, R
    // (60+192)/2
    assertEquals(84, out.data()[3] & 0xFF);
    assertEquals(89, out.data()[4] & 0xFF);
    assertEquals(126, out.data()[5] & 0xFF);
    // car (128, 128, 128) with (100, 110, 120)
    assertEquals(114, out.data()[9] & 0xFF);
    BgrImage all = overlay.render(image, map, Palettes.voc());
    assertEquals(
        (10 + 0 + 1) / 2, all.data()[0] & 0xFF, "without options, background is blended too");
  }

  @Test
  void badAlphaAndSizesAreRefused() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> OverlayOptions.defaults().withAlpha(1.5f));
    assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> OverlayOptions.defaults().withAlpha(Float.NaN));
    BgrImage image = BgrImage.allocate(4, 4);
    ClassMap map = ClassMap.allocate(2, 2, 21);
    e = assertThrows(
        IllegalArgumentException.class, () -> overlay.render(image, map, Palettes.voc()));
    assertTrue(e.getMessage().contains("2x2") && e.getMessage().contains("4x4"), e.getMessage());
  }
}
