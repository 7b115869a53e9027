package dev.segmenter.engine.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.palettes.Palette;
import dev.segmenter.palettes.Palettes;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LegendTest {

  private static Set<Integer> colors(BgrImage image) {
    Set<Integer> set = new HashSet<>();
    byte[] d = image.data();
    for (int i = 0; i < d.length; i += 3) {
      set.add((d[i + 2] & 0xFF) << 16 | (d[i + 1] & 0xFF) << 8 | (d[i] & 0xFF));
    }
    return set;
  }

  @Test
  void everyPresentClassHasItsSwatchWhenThereIsRoom() {
    Palette cs = Palettes.cityscapes();
    ClassMap map = ClassMap.ofBytes(5, 1, new byte[] {0, 0, 10, 13, 18});
    BgrImage legend = Legend.render(ClassStats.of(map, cs), cs, 400, 300);
    assertEquals(400, legend.width());
    assertEquals(300, legend.height());
    Set<Integer> seen = colors(legend);
    for (int id : new int[] {0, 10, 13, 18}) {
      assertTrue(seen.contains(cs.rgb(id)), "swatch of class " + id);
    }
    assertTrue(!seen.contains(cs.rgb(1)), "absent classes are left out");
    BgrImage withAbsent = Legend.render(ClassStats.of(map, cs), cs, 800, 600, true);
    assertTrue(colors(withAbsent).contains(cs.rgb(1)), "absent classes shown when asked");
  }

  @Test
  void fontGrowsWithThePanelAndManyClassesFlowIntoColumnsOrAreCut() {
    Legend.Layout small = Legend.layout(6, 300, 200);
    Legend.Layout big = Legend.layout(6, 800, 900);
    assertTrue(big.font() > small.font(), small + " vs " + big);
    assertTrue(small.font() >= Legend.MIN_FONT);
    assertEquals(6, big.shown());

    Legend.Layout many = Legend.layout(150, 800, 600);
    assertTrue(many.columns() > 1, many.toString());
    assertTrue(many.font() >= Legend.MIN_FONT);
    assertTrue(many.shown() <= 150);

    Legend.Layout cut = Legend.layout(150, 240, 200);
    assertTrue(cut.shown() < 150, cut.toString());
    assertTrue(cut.shown() + 1 <= cut.rows() * cut.columns(), "room for '+N more': " + cut);
  }

  @Test
  void legendsOfAnySizeAndClassCountDrawWithoutError() {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    Palette coco = Palettes.cocoStuff()
        .withLabels(java.util.Collections.nCopies(
            171, "a very long class name that cannot possibly fit in a narrow legend column"));
    int[][] sizes = {{1, 1}, {17, 300}, {240, 200}, {800, 60}, {1600, 900}, {3000, 40}};
    for (int[] s : sizes) {
      ClassMap map = RandomMaps.map(rnd, 64, 64, 170, false);
      BgrImage legend =
          Legend.render(ClassStats.of(map, coco), coco, s[0], s[1], rnd.nextBoolean());
      assertEquals(s[0], legend.width(), "seed " + seed);
      assertEquals(s[1], legend.height(), "seed " + seed);
    }
  }

  @Test
  void longNamesAreCutToFit() {
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(10, 10, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
    java.awt.Graphics2D g = Draw.graphics(img);
    g.setFont(Draw.font(14, false));
    java.awt.FontMetrics fm = g.getFontMetrics();
    String cut = Draw.fit("television receiver and more words", fm, 80);
    assertTrue(cut.endsWith(Draw.ELLIPSIS) && fm.stringWidth(cut) <= 80, cut);
    assertEquals("sky", Draw.fit("sky", fm, 80));
    g.dispose();
  }
}
