package dev.segmenter.engine.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.palettes.Palette;
import dev.segmenter.palettes.Palettes;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassStatsTest {

  @Test
  void pixelsSumToTotalAndBoxesMatchBruteForce() {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    for (int round = 0; round < 30; round++) {
      boolean wide = round % 3 == 0;
      Palette palette = wide ? Palettes.generated(400) : Palettes.voc();
      int w = 1 + rnd.nextInt(60);
      int h = 1 + rnd.nextInt(60);
      int maxId = wide ? 420 : 1 + rnd.nextInt(30);
      ClassMap map = RandomMaps.map(rnd, w, h, maxId, wide);
      ClassStats stats = ClassStats.of(map, palette);
      long sum = 0;
      double fractions = 0;
      int prev = -1;
      for (ClassStats.Entry e : stats.all()) {
        assertTrue(e.id() > prev, "seed " + seed + ": sorted by id");
        prev = e.id();
        sum += e.pixels();
        fractions += e.fraction();
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        long count = 0;
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            if (map.get(x, y) == e.id()) {
              count++;
              minX = Math.min(minX, x);
              maxX = Math.max(maxX, x);
              minY = Math.min(minY, y);
              maxY = Math.max(maxY, y);
            }
          }
        }
        String where = "seed " + seed + ", round " + round + ", id " + e.id();
        assertEquals(count, e.pixels(), where);
        if (count > 0) {
          assertEquals(
              List.of(minX, minY, maxX - minX + 1, maxY - minY + 1),
              List.of(e.x(), e.y(), e.w(), e.h()),
              where);
        } else {
          assertEquals(List.of(0, 0, 0, 0), List.of(e.x(), e.y(), e.w(), e.h()), where);
        }
        assertEquals(e.id() >= palette.size(), e.isVoid(), where);
      }
      assertEquals((long) w * h, sum, "seed " + seed);
      assertEquals(1.0, fractions, 1e-9, "seed " + seed);
      assertTrue(stats.present().stream().allMatch(ClassStats.Entry::present));
      assertEquals(
          palette.size(),
          stats.all().stream().filter(e -> !e.isVoid()).count(),
          "every palette class listed");
    }
  }

  @Test
  void namesSharesAndVoid() {
    // 4x2: road x4, car x3 in a box at (1..3, 1), one VOC void pixel
    ClassMap map = ClassMap.ofBytes(4, 2, new byte[] {0, 0, 0, 0, (byte) 255, 13, 13, 13});
    ClassStats stats = ClassStats.of(map, Palettes.cityscapes());
    ClassStats.Entry car = stats.get(13).orElseThrow();
    assertEquals("car", car.name());
    assertEquals(3, car.pixels());
    assertEquals(0.375, car.fraction(), 1e-12);
    assertEquals("37.5%", car.percent());
    assertEquals(List.of(1, 1, 3, 1), List.of(car.x(), car.y(), car.w(), car.h()));
    ClassStats.Entry v = stats.get(255).orElseThrow();
    assertTrue(v.isVoid());
    assertEquals("void (255)", v.name());
    assertEquals(
        List.of(0, 13, 255), stats.present().stream().map(ClassStats.Entry::id).toList());
    assertEquals(
        List.of(0, 13, 255), stats.byPixels().stream().map(ClassStats.Entry::id).toList());
    assertFalse(stats.get(1).orElseThrow().present());
    assertTrue(stats.table().contains("car"), stats.table());
  }

  @Test
  void tinySharesReadLessThanOneTenth() {
    assertEquals("<0.1%", ClassStats.percent(1.0 / 4000));
    assertEquals("0.1%", ClassStats.percent(0.001));
    assertEquals("0%", ClassStats.percent(0));
    assertEquals("100.0%", ClassStats.percent(1));
  }
}
