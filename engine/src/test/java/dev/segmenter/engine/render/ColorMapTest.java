package dev.segmenter.engine.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.palettes.Palette;
import dev.segmenter.palettes.Palettes;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ColorMapTest {
  private final ColorMap colorMap = new ColorMap(Kernels.scalar().palette());

  @Test
  void everyPixelIsItsClassColorOnRandomMaps() {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    Palette[] palettes = {
      Palettes.voc(),
      Palettes.cityscapes(),
      Palettes.ade20k(),
      Palettes.cocoStuff(),
      Palettes.generated(1000)
    };
    for (int round = 0; round < 40; round++) {
      Palette palette = palettes[round % palettes.length];
      boolean wide = round % 2 == 1;
      int w = 1 + rnd.nextInt(70);
      int h = 1 + rnd.nextInt(50);
      // ids run past the palette so that void pixels occur too
      ClassMap map = RandomMaps.map(rnd, w, h, palette.size() + 20, wide);
      BgrImage bgr = colorMap.bgr(map, palette);
      int[] argb = colorMap.argb(map, palette);
      assertEquals(w, bgr.width(), "seed " + seed);
      assertEquals(h, bgr.height(), "seed " + seed);
      for (int p = 0; p < map.pixels(); p++) {
        int expected = palette.rgb(map.get(p));
        int got = (bgr.data()[3 * p + 2] & 0xFF) << 16
            | (bgr.data()[3 * p + 1] & 0xFF) << 8
            | (bgr.data()[3 * p] & 0xFF);
        assertEquals(
            expected,
            got,
            "seed " + seed + ", " + palette.name() + ", pixel " + p + ", id " + map.get(p));
        assertEquals(0xFF000000 | expected, argb[p], "seed " + seed + ", ARGB pixel " + p);
      }
    }
  }

  @Test
  void vocVoidIsTheVoidColor() {
    ClassMap map = ClassMap.ofBytes(3, 1, new byte[] {0, 15, (byte) 255});
    BgrImage bgr = colorMap.bgr(map, Palettes.voc());
    assertEquals(192, bgr.data()[6] & 0xFF); // B of (224, 224, 192)
    assertEquals(224, bgr.data()[7] & 0xFF);
    assertEquals(224, bgr.data()[8] & 0xFF);
    assertEquals(128, bgr.data()[3] & 0xFF); // person (192, 128, 128): B
    assertEquals(192, bgr.data()[5] & 0xFF); // R
  }

  @Test
  void transparentBackgroundHasAlphaZeroOnlyThere() {
    Palette voc = Palettes.voc();
    ClassMap map = ClassMap.ofBytes(4, 1, new byte[] {0, 15, 0, (byte) 255});
    int[] argb = colorMap.argbTransparent(map, voc, 0);
    assertEquals(0, argb[0]);
    assertEquals(0xFFC08080, argb[1]);
    assertEquals(0, argb[2]);
    assertEquals(0xFFE0E0C0, argb[3]);
    int[] voidClear = colorMap.argbTransparent(map, voc, 255);
    assertEquals(0xFF000000, voidClear[0]);
    assertEquals(0, voidClear[3]);
    ClassMap wide = ClassMap.ofShorts(3, 1, new short[] {300, 25, 7});
    int[] w = colorMap.argbTransparent(wide, voc, 25);
    assertEquals(0xFFE0E0C0, w[0], "ids beyond the palette stay void");
    assertEquals(0, w[1]);
    assertEquals(0xFF808080, w[2]);
  }
}
