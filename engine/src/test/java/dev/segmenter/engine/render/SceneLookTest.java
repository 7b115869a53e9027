package dev.segmenter.engine.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.palettes.Palette;
import dev.segmenter.palettes.Palettes;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed tutorial's street scene (600x400: sky, building, road, car, person, tree) drawn with Java2D and
 * its hand-made class map in Cityscapes train ids, rendered to every picture this package makes. Set
 * {@code -Drender.look.dir=/some/folder} to keep the PNGs and look at them.
 */
class SceneLookTest {
  static final int ROAD = 0;
  static final int BUILDING = 2;
  static final int VEGETATION = 8;
  static final int SKY = 10;
  static final int PERSON = 11;
  static final int CAR = 13;

  @TempDir
  Path tmp;

  /** cv2 colors are (B, G, R). */
  private static Color bgr(int b, int g, int r) {
    return new Color(r, g, b);
  }

  static BgrImage sceneImage(int w, int h) {
    BufferedImage img = new BufferedImage(600, 400, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(bgr(200, 170, 140));
    g.fillRect(0, 0, 600, 150);
    g.setColor(bgr(160, 160, 170));
    g.fillRect(350, 50, 151, 201);
    g.setColor(bgr(140, 180, 200));
    for (int[] win : new int[][] {{370, 70}, {420, 70}, {370, 130}, {420, 130}}) {
      g.fillRect(win[0], win[1], 26, win[1] == 70 ? 41 : 41);
    }
    g.setColor(bgr(100, 100, 100));
    g.fillRect(0, 250, 600, 150);
    g.setColor(bgr(220, 220, 220));
    for (int x = 50; x < 600; x += 80) {
      g.fillRect(x, 320, 41, 9);
    }
    g.setColor(bgr(200, 50, 50));
    g.fillRect(80, 270, 121, 71);
    g.fillRect(105, 250, 71, 21);
    g.setColor(bgr(40, 40, 40));
    g.fillOval(105 - 14, 345 - 14, 29, 29);
    g.fillOval(175 - 14, 345 - 14, 29, 29);
    g.setColor(bgr(200, 170, 150));
    g.fillOval(300 - 15, 230 - 15, 31, 31);
    g.setColor(bgr(50, 50, 140));
    g.fillRect(288, 245, 25, 76);
    g.setColor(bgr(60, 60, 60));
    g.fillRect(290, 320, 11, 41);
    g.fillRect(302, 320, 11, 41);
    g.setColor(bgr(40, 130, 40));
    g.fillOval(550 - 50, 180 - 50, 101, 101);
    g.setColor(bgr(50, 140, 50));
    g.fillOval(530 - 40, 160 - 40, 81, 81);
    g.setColor(bgr(45, 135, 45));
    g.fillOval(570 - 35, 170 - 35, 71, 71);
    g.setColor(bgr(80, 60, 40));
    g.fillRect(545, 220, 11, 61);
    g.dispose();
    return BgrImage.from(img);
  }

  /** The tutorial's simulated class map, in Cityscapes train ids. */
  static ClassMap sceneMap() {
    int w = 600;
    byte[] ids = new byte[600 * 400];
    fill(ids, w, 0, 0, 600, 250, SKY);
    fill(ids, w, 0, 250, 600, 400, ROAD);
    fill(ids, w, 350, 50, 500, 250, BUILDING);
    fill(ids, w, 80, 250, 200, 345, CAR);
    fill(ids, w, 285, 215, 315, 360, PERSON);
    for (int y = 0; y < 400; y++) {
      for (int x = 0; x < 600; x++) {
        boolean tree = in(x, y, 550, 180, 50)
            || in(x, y, 530, 160, 40)
            || in(x, y, 570, 170, 35)
            || (x >= 545 && x <= 555 && y >= 220 && y <= 280);
        if (tree) {
          ids[y * w + x] = VEGETATION;
        }
      }
    }
    return ClassMap.ofBytes(600, 400, ids);
  }

  private static boolean in(int x, int y, int cx, int cy, int r) {
    return (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
  }

  private static void fill(byte[] ids, int w, int x0, int y0, int x1, int y1, int id) {
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        ids[y * w + x] = (byte) id;
      }
    }
  }

  private Path out() throws IOException {
    String dir = System.getProperty("render.look.dir");
    return dir == null || dir.isBlank() ? tmp : Files.createDirectories(Path.of(dir));
  }

  @Test
  void sceneRendersToEveryPicture() throws IOException {
    Path dir = out();
    Palette cs = Palettes.cityscapes();
    BgrImage image = sceneImage(600, 400);
    ClassMap map = sceneMap();
    ClassStats stats = ClassStats.of(map, cs);
    ClassStats.Entry car = stats.get(CAR).orElseThrow();
    assertEquals(List.of(80, 250, 120, 95), List.of(car.x(), car.y(), car.w(), car.h()));
    assertEquals(
        List.of(ROAD, BUILDING, VEGETATION, SKY, PERSON, CAR),
        stats.present().stream().map(ClassStats.Entry::id).toList());

    ColorMap colorMap = new ColorMap(Kernels.scalar().palette());
    Overlay overlay = new Overlay(Kernels.scalar().blend(), Kernels.scalar().palette());
    Report report = new Report(Kernels.scalar().palette(), Kernels.scalar().blend());
    BgrImage colors = colorMap.bgr(map, cs);
    PngOutputs.writeImage(colors, dir.resolve("scene-color.png"));
    PngOutputs.writeImage(overlay.render(image, map, cs), dir.resolve("scene-overlay.png"));
    PngOutputs.writeImage(Legend.render(stats, cs, 360, 240), dir.resolve("scene-legend.png"));
    PngOutputs.writeImage(
        Legend.render(stats, cs, 600, 400, true), dir.resolve("scene-legend-all.png"));
    BgrImage rep = report.render(
        image,
        map,
        cs,
        ReportOptions.defaults()
            .withFooter(
                "model enet-cityscapes | backend opencv (cpu) | inference 41.2 ms, total 57.9 ms"));
    PngOutputs.writeImage(rep, dir.resolve("scene-report.png"));
    PngOutputs.writeIndexed(map, cs, dir.resolve("scene-indexed.png"));
    PngOutputs.writeClassIds(map, dir.resolve("scene-ids.png"));
    PngOutputs.write(Cutout.image(image, map, PERSON, CAR), dir.resolve("scene-cutout.png"));
    PngOutputs.write(Masks.image(map, CAR), dir.resolve("scene-mask-car.png"));
    PngOutputs.write(
        ColorMap.toBufferedImage(600, 400, colorMap.argbTransparent(map, cs, SKY)),
        dir.resolve("scene-color-nosky.png"));
    assertEquals(1.0, map.agreement(PngOutputs.readClassIds(dir.resolve("scene-ids.png"))));
    assertTrue(rep.width() == 2 * 600 + Report.GAP, "640-ish images are shown at their own size");

    // odd shapes, with an ADE20K legend of many classes
    Palette ade = Palettes.ade20k();
    int[][] shapes = {{17, 300}, {4000, 300}, {1, 1}, {300, 17}};
    for (int[] s : shapes) {
      java.util.Random rnd = new java.util.Random(s[0] * 7L + s[1]);
      ClassMap m = RandomMaps.map(rnd, s[0], s[1], 149, false);
      BgrImage im = RandomMaps.image(rnd, s[0], s[1]);
      BgrImage r = report.render(
          im, m, ade, ReportOptions.defaults().withAlpha(0.35f).withFooter("ade20k, random ids"));
      PngOutputs.writeImage(r, dir.resolve("odd-" + s[0] + "x" + s[1] + ".png"));
    }
  }
}
