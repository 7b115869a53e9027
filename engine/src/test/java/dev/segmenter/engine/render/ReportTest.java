package dev.segmenter.engine.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.palettes.Palette;
import dev.segmenter.palettes.Palettes;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportTest {
  private final Report report =
      new Report(Kernels.scalar().palette(), Kernels.scalar().blend());

  @ParameterizedTest
  @CsvSource({
    "1, 1",
    "17, 300",
    "640, 480",
    "4000, 300",
    "300, 17",
    "1, 2000",
    "2000, 1",
    "1600, 1600"
  })
  void anyImageSizeGivesAReportWithinTheWidthBounds(int w, int h) {
    Random rnd = new Random(w * 31L + h);
    Palette palette = Palettes.ade20k();
    BgrImage image = RandomMaps.image(rnd, w, h);
    ClassMap map = RandomMaps.map(rnd, w, h, 149, false);
    ReportOptions options = ReportOptions.defaults().withFooter("model x | backend y | 12.3 ms");
    BgrImage out = report.render(image, map, palette, options);
    assertTrue(out.width() >= 480 && out.width() <= 1600, w + "x" + h + " -> width " + out.width());
    assertTrue(
        out.height() >= 200 && out.height() <= 2400, w + "x" + h + " -> height " + out.height());
    Report.Layout l =
        Report.layout(w, h, options, true, ClassStats.of(map, palette).present().size());
    assertEquals(l.width(), out.width());
    assertEquals(l.height(), out.height());
    assertTrue(l.titleFont() >= 13, "title font " + l.titleFont());
    assertTrue(
        l.imageW() >= Math.min(w, 24) && l.imageH() >= Math.min(h, 8),
        "image " + l.imageW() + "x" + l.imageH());
    BgrImage legend = Legend.render(ClassStats.of(map, palette), palette, l.cellW(), l.legendH());
    assertEquals(l.cellW(), legend.width());
  }

  @Test
  void tinyImagesAreEnlargedByWholeFactorsAndColorsStayExact() {
    // 2x2 map of four Cityscapes classes: each cell of the color panel must be exactly its class
    // color
    Palette cs = Palettes.cityscapes();
    ClassMap map = ClassMap.ofBytes(2, 2, new byte[] {0, 10, 11, 13});
    BgrImage image = BgrImage.allocate(2, 2);
    ReportOptions options = ReportOptions.defaults();
    Report.Layout l = Report.layout(2, 2, options, false);
    assertEquals(0, l.imageW() % 2, "whole factor");
    assertEquals(l.imageW(), l.imageH());
    BgrImage out = report.render(image, map, cs, options);
    int left = l.cellW() + Report.GAP + (l.cellW() - l.imageW()) / 2;
    int top = l.titleH() + (l.cellH() - l.imageH()) / 2;
    int q = l.imageW() / 4;
    int[][] probes = {
      {left + q, top + q, 0},
      {left + 3 * q, top + q, 10},
      {left + q, top + 3 * q, 11},
      {left + 3 * q, top + 3 * q, 13}
    };
    for (int[] probe : probes) {
      int i = 3 * (probe[1] * out.width() + probe[0]);
      int got = (out.data()[i + 2] & 0xFF) << 16
          | (out.data()[i + 1] & 0xFF) << 8
          | (out.data()[i] & 0xFF);
      assertEquals(cs.rgb(probe[2]), got, "class " + probe[2] + " at " + probe[0] + "," + probe[1]);
    }
  }

  @Test
  void wideImagesAreStacked() {
    Report.Layout wide = Report.layout(4000, 300, ReportOptions.defaults(), false);
    assertTrue(wide.stacked());
    assertEquals(1600, wide.width());
    assertEquals(120, wide.imageH());
    Report.Layout normal = Report.layout(640, 480, ReportOptions.defaults(), false);
    assertTrue(!normal.stacked());
    assertEquals(640, normal.imageW());
    assertEquals(2 * 640 + Report.GAP, normal.width());
  }

  @Test
  void alphaTitleIsShort() {
    assertEquals("0.5", Report.alphaText(0.5f));
    assertEquals("0.35", Report.alphaText(0.35f));
    assertEquals("1", Report.alphaText(1f));
  }
}
