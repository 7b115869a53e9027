package dev.segmenter.palettes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PalettesTest {

  private static int rgb(int r, int g, int b) {
    return r << 16 | g << 8 | b;
  }

  @Test
  void vocHas21ClassesAndTheDevkitColors() {
    Palette voc = Palettes.voc();
    assertEquals(21, voc.size());
    assertEquals(21, voc.labels().size());
    assertEquals("background", voc.label(0));
    assertEquals(rgb(0, 0, 0), voc.rgb(0));
    assertEquals(rgb(128, 0, 0), voc.rgb(1));
    assertEquals("person", voc.label(15));
    assertEquals(rgb(192, 128, 128), voc.rgb(15));
    assertEquals("tvmonitor", voc.label(20));
    assertEquals(rgb(0, 64, 128), voc.rgb(20));
    assertEquals(rgb(224, 224, 192), voc.voidRgb());
    assertEquals(rgb(224, 224, 192), voc.rgb(255), "ids beyond the palette read the void color");
  }

  @Test
  void vocColorsEqualTheGeneratedRule() {
    Palette gen = Palettes.generated(256);
    assertArrayEquals(Palettes.voc().colors(), Palettes.generated(21).colors());
    assertEquals(Palettes.voc().voidRgb(), gen.rgb(255), "VOC's void is the rule's color of 255");
  }

  @Test
  void generatedColorsAreDistinctForLargePalettes() {
    Palette gen = Palettes.generated(65536);
    Set<Integer> seen = new HashSet<>();
    for (int id = 0; id < gen.size(); id++) {
      assertTrue(seen.add(gen.rgb(id)), "color of id " + id + " repeats");
    }
    assertEquals(List.of(), gen.labels());
    assertEquals("class 300", gen.label(300));
    assertThrows(PaletteException.class, () -> Palettes.generated(0));
    assertThrows(PaletteException.class, () -> Palettes.generated(65537));
  }

  @Test
  void cityscapesHasTheOfficialTrainIdColors() {
    Palette cs = Palettes.cityscapes();
    assertEquals(19, cs.size());
    assertEquals("road", cs.label(0));
    assertEquals(rgb(128, 64, 128), cs.rgb(0));
    assertEquals("sidewalk", cs.label(1));
    assertEquals(rgb(244, 35, 232), cs.rgb(1));
    assertEquals("sky", cs.label(10));
    assertEquals(rgb(70, 130, 180), cs.rgb(10));
    assertEquals("person", cs.label(11));
    assertEquals(rgb(220, 20, 60), cs.rgb(11));
    assertEquals("car", cs.label(13));
    assertEquals(rgb(0, 0, 142), cs.rgb(13));
    assertEquals("bicycle", cs.label(18));
    assertEquals(rgb(119, 11, 32), cs.rgb(18));
    assertEquals(0, cs.voidRgb());
  }

  @Test
  void ade20kHas150ClassesAndColor150() {
    Palette ade = Palettes.ade20k();
    assertEquals(150, ade.size());
    assertEquals(150, ade.labels().size());
    assertEquals("wall", ade.label(0));
    assertEquals(rgb(120, 120, 120), ade.rgb(0));
    assertEquals("sky", ade.label(2));
    assertEquals(rgb(6, 230, 230), ade.rgb(2));
    assertEquals("bed", ade.label(7), "mmseg's 'bed ' is trimmed");
    assertEquals("person", ade.label(12));
    assertEquals(rgb(150, 5, 61), ade.rgb(12));
    assertEquals("car", ade.label(20));
    assertEquals(rgb(0, 102, 200), ade.rgb(20));
    assertEquals("flag", ade.label(149));
    assertEquals(rgb(92, 0, 255), ade.rgb(149));
  }

  @Test
  void cocoStuffHas171ClassesThingsThenStuff() {
    Palette coco = Palettes.cocoStuff();
    assertEquals(171, coco.size());
    assertEquals(171, coco.labels().size());
    assertEquals("person", coco.label(0));
    assertEquals(rgb(0, 192, 64), coco.rgb(0));
    assertEquals("handbag", coco.label(26));
    assertEquals(rgb(0, 0, 0), coco.rgb(26));
    assertEquals("toothbrush", coco.label(79));
    assertEquals("banner", coco.label(80));
    assertEquals(rgb(0, 192, 0), coco.rgb(80));
    assertEquals("door-stuff", coco.label(100));
    assertEquals(rgb(0, 96, 0), coco.rgb(100));
    assertEquals("rug", coco.label(140));
    assertEquals(rgb(192, 128, 64), coco.rgb(140));
    assertEquals("wood", coco.label(170));
    assertEquals(rgb(64, 64, 0), coco.rgb(170));
  }

  @Test
  void builtInByNameAndUnknownNamesListTheKnownOnes() {
    assertEquals(Palettes.voc(), Palettes.builtIn("voc"));
    assertEquals(Palettes.cityscapes(), Palettes.builtIn("Cityscapes"));
    assertEquals(Palettes.ade20k(), Palettes.builtIn("ade20k"));
    assertEquals(Palettes.cocoStuff(), Palettes.builtIn("coco-stuff"));
    assertEquals(300, Palettes.builtIn("generated:300").size());
    PaletteException e = assertThrows(PaletteException.class, () -> Palettes.builtIn("pascal"));
    assertTrue(e.getMessage().contains("'pascal'"), e.getMessage());
    for (String name : Palettes.names()) {
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
    PaletteException bad =
        assertThrows(PaletteException.class, () -> Palettes.builtIn("generated:many"));
    assertTrue(bad.getMessage().contains("'many'"), bad.getMessage());
  }

  @Test
  void checkCoversNamesBothCounts() {
    Palettes.voc().checkCovers(21, "deeplab");
    Palettes.voc().checkCovers(2, "binary");
    PaletteException e =
        assertThrows(PaletteException.class, () -> Palettes.voc().checkCovers(150, "x"));
    assertTrue(
        e.getMessage()
            .startsWith(
                "palette 'voc' has 21 colors but model 'x' has 150 classes; give a palette with at least 150 colors"),
        e.getMessage());
  }

  @Test
  void lookupTablesPutTheVoidColorLast() {
    Palette cs = Palettes.cityscapes();
    byte[] bgr = cs.lutBgr(19, 0x123456);
    assertEquals(3 * 20, bgr.length);
    assertEquals(128, bgr[0] & 0xFF); // road B
    assertEquals(64, bgr[1] & 0xFF); // road G
    assertEquals(128, bgr[2] & 0xFF); // road R
    assertEquals(142, bgr[3 * 13] & 0xFF); // car B
    assertEquals(0, bgr[3 * 13 + 2] & 0xFF); // car R
    assertEquals(0x56, bgr[3 * 19] & 0xFF);
    assertEquals(0x34, bgr[3 * 19 + 1] & 0xFF);
    assertEquals(0x12, bgr[3 * 19 + 2] & 0xFF);
    byte[] rgb = cs.lutRgb(2, 0);
    assertArrayEquals(
        new byte[] {(byte) 128, 64, (byte) 128, (byte) 244, 35, (byte) 232, 0, 0, 0}, rgb);
    int[] argb = cs.lutArgb(19, 0x00FFFFFF);
    assertEquals(20, argb.length);
    assertEquals(0xFF0000E6, argb[17]); // motorcycle (0, 0, 230)
    assertEquals(0x00FFFFFF, argb[19]);
    PaletteException e = assertThrows(PaletteException.class, () -> cs.lutBgr(20, 0));
    assertTrue(e.getMessage().contains("19 colors"), e.getMessage());
  }

  @Test
  void helpersMakeChangedCopies() {
    Palette voc = Palettes.voc();
    assertEquals(0xFFFFFF, voc.withVoid(0xFFFFFF).voidRgb());
    assertEquals(rgb(224, 224, 192), voc.voidRgb(), "the original is unchanged");
    Palette two = voc.withColors(0x010203, 0x040506);
    assertEquals(2, two.size());
    assertEquals(List.of("background", "aeroplane"), two.labels());
    Palette named = Palettes.generated(3).withLabels(List.of("a", "b"));
    assertEquals("b", named.label(1));
    assertEquals("class 2", named.label(2));
    assertThrows(PaletteException.class, () -> Palettes.generated(1).withLabels(List.of("a", "b")));
  }
}
