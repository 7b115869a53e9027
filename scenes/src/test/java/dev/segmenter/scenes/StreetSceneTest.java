package dev.segmenter.scenes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreetSceneTest {
  /** Class names by train id: the palettes module's Cityscapes labels. */
  private static final java.util.List<String> NAMES =
      dev.segmenter.palettes.Palettes.cityscapes().labels();

  private static byte[] pixels(Scene s) {
    return ((DataBufferByte) s.image().getRaster().getDataBuffer()).getData();
  }

  private static BitSet classes(Scene s) {
    BitSet b = new BitSet();
    for (byte v : s.labels()) {
      b.set(v & 0xFF);
    }
    return b;
  }

  @Test
  void sameSeedGivesIdenticalBytes() {
    for (long seed : new long[] {0, 7, -3, 123456789L}) {
      Scene a = StreetScene.generate(seed, 512, 256), b = StreetScene.generate(seed, 512, 256);
      assertArrayEquals(pixels(a), pixels(b), "image differs for seed " + seed);
      assertArrayEquals(a.labels(), b.labels(), "labels differ for seed " + seed);
      assertEquals(seed, a.seed());
    }
  }

  /**
   * A label edge must sit where the picture's edge is: drawing random polygons, ellipses and
   * round-capped strokes at fractional coordinates the way scenes are drawn, a partly covered
   * picture pixel is labelled as the shape exactly when at least half of it is covered, bar the
   * pixel-centre rule on curves. (Java2D's default stroke control got 38% of them wrong.)
   */
  @Test
  void labelEdgesFollowThePicturesCoverage() {
    SplittableRandom r = new SplittableRandom(5);
    int partial = 0, wrong = 0;
    for (int t = 0; t < 300; t++) {
      BufferedImage pic = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
      BufferedImage lab = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
      Graphics2D gi = pic.createGraphics(), gl = lab.createGraphics();
      StreetScene.configure(gi, gl);
      gi.setColor(Color.WHITE);
      gl.setColor(Color.WHITE);
      if (t % 3
          == 0) { // drawn as StreetScene.stroke draws: Graphics2D.draw with a round-capped stroke
        BasicStroke st = new BasicStroke(
            (float) r.nextDouble(1, 4), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        Line2D line = new Line2D.Double(
            r.nextDouble(5, 59), r.nextDouble(5, 59), r.nextDouble(5, 59), r.nextDouble(5, 59));
        gi.setStroke(st);
        gl.setStroke(st);
        gi.draw(line);
        gl.draw(line);
      } else {
        Shape shape;
        if (t % 3 == 1) {
          shape = new Ellipse2D.Double(
              r.nextDouble(5, 30), r.nextDouble(5, 30), r.nextDouble(3, 25), r.nextDouble(3, 25));
        } else {
          Path2D.Double p = new Path2D.Double();
          p.moveTo(r.nextDouble(5, 59), r.nextDouble(5, 59));
          for (int i = 0; i < 3; i++) {
            p.lineTo(r.nextDouble(5, 59), r.nextDouble(5, 59));
          }
          p.closePath();
          shape = p;
        }
        gi.fill(shape);
        gl.fill(shape);
      }
      gi.dispose();
      gl.dispose();
      byte[] a = ((DataBufferByte) pic.getRaster().getDataBuffer()).getData();
      byte[] l = ((DataBufferByte) lab.getRaster().getDataBuffer()).getData();
      for (int i = 0; i < a.length; i++) {
        int coverage = a[i] & 0xFF;
        if (coverage > 0 && coverage < 255) {
          partial++;
          if ((coverage >= 128) != ((l[i] & 0xFF) > 127)) {
            wrong++;
          }
        }
      }
    }
    assertTrue(partial > 5000, "only " + partial + " partly covered pixels drawn");
    assertTrue(
        wrong < partial * 0.04,
        wrong + " of " + partial
            + " partly covered picture pixels are labelled against their coverage");
  }

  @Test
  void differentSeedsGiveDifferentScenes() {
    Scene a = StreetScene.generate(1, 512, 256), b = StreetScene.generate(2, 512, 256);
    assertFalse(java.util.Arrays.equals(pixels(a), pixels(b)));
    assertFalse(java.util.Arrays.equals(a.labels(), b.labels()));
  }

  @Test
  void labelsAreTrainIdsOrVoidAndVoidIsRare() {
    for (long seed = 0; seed < 20; seed++) {
      Scene s = StreetScene.generate(seed, 512, 256);
      assertEquals(BufferedImage.TYPE_3BYTE_BGR, s.image().getType());
      assertEquals(s.width() * s.height(), s.labels().length, "seed " + seed);
      int voids = 0;
      for (byte v : s.labels()) {
        int id = v & 0xFF;
        assertTrue(id <= 18 || id == 255, "seed " + seed + ": label " + id);
        if (id == 255) {
          voids++;
        }
      }
      assertTrue(voids < s.labels().length / 100, "seed " + seed + ": " + voids + " void pixels");
    }
  }

  @Test
  void scenesCoverMostClasses() {
    BitSet union = new BitSet();
    int[] scenesWith = new int[19];
    for (long seed = 100; seed < 120; seed++) {
      BitSet c = classes(StreetScene.generate(seed, 512, 256));
      c.clear(255);
      assertTrue(c.cardinality() >= 8, "seed " + seed + " has only classes " + c);
      for (int must : new int[] {
        CityscapesIds.ROAD, CityscapesIds.SIDEWALK, CityscapesIds.BUILDING, CityscapesIds.SKY
      }) {
        assertTrue(c.get(must), "seed " + seed + " lacks " + NAMES.get(must) + ": " + c);
      }
      c.stream().forEach(k -> scenesWith[k]++);
      union.or(c);
    }
    assertTrue(union.cardinality() >= 14, "20 scenes cover only " + union);
    // the street furniture and people are occluded now and then, but usually present
    for (int usual : new int[] {
      CityscapesIds.POLE,
      CityscapesIds.TRAFFIC_SIGN,
      CityscapesIds.TRAFFIC_LIGHT,
      CityscapesIds.PERSON,
      CityscapesIds.CAR,
      CityscapesIds.VEGETATION
    }) {
      assertTrue(
          scenesWith[usual] >= 16,
          NAMES.get(usual) + " in only " + scenesWith[usual] + " of 20 scenes");
    }
  }

  @Test
  void trainIdsNameThePaletteClasses() throws IllegalAccessException {
    assertEquals(19, NAMES.size());
    // every id constant (ROAD = 0, TRAFFIC_LIGHT = 6, ...) is the palette label of that id, spelled
    // in capitals
    int constants = 0;
    for (java.lang.reflect.Field f : CityscapesIds.class.getFields()) {
      if (f.getName().equals("VOID")) {
        assertEquals(255, f.getInt(null));
        continue;
      }
      int id = f.getInt(null);
      assertEquals(
          NAMES.get(id).toUpperCase(java.util.Locale.ROOT).replace(' ', '_'),
          f.getName(),
          "train id " + id);
      constants++;
    }
    assertEquals(19, constants);
  }

  @ParameterizedTest
  @CsvSource({"16,16", "37,91", "2048,1024", "91,16"})
  void anySizeInRangeWorks(int w, int h) {
    Scene s = StreetScene.generate(5, w, h);
    assertEquals(w, s.width());
    assertEquals(h, s.height());
    assertEquals(w * h, s.labels().length);
    BitSet c = classes(s);
    assertTrue(
        c.get(CityscapesIds.SKY) && c.get(CityscapesIds.ROAD),
        "sky and road at " + w + "x" + h + ": " + c);
  }

  @Test
  void layoutScalesWithSize() {
    // same seed at two sizes: per-class pixel fractions agree closely
    Scene small = StreetScene.generate(9, 512, 256), big = StreetScene.generate(9, 1024, 512);
    double[] fs = fractions(small), fb = fractions(big);
    for (int k = 0; k < 19; k++) {
      assertEquals(fs[k], fb[k], 0.02, "class " + NAMES.get(k));
    }
  }

  private static double[] fractions(Scene s) {
    double[] f = new double[256];
    for (byte v : s.labels()) {
      f[v & 0xFF]++;
    }
    for (int i = 0; i < f.length; i++) {
      f[i] /= s.labels().length;
    }
    return f;
  }

  @ParameterizedTest
  @CsvSource({"15,256", "512,15", "8193,256", "512,8193", "0,0", "-1,100"})
  void sizesOutOfRangeAreRefused(int w, int h) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StreetScene.generate(1, w, h));
    assertTrue(e.getMessage().contains(w + "x" + h), e.getMessage());
  }

  @Test
  void generatesQuickly() {
    for (int i = 0; i < 20; i++) {
      StreetScene.generate(i, 512, 256); // warm-up
    }
    // the thread's CPU time, not the wall clock: a loaded machine (a parallel build) slows the wall
    // clock
    // of a single-threaded generator without making it any slower
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long t0 = threads.getCurrentThreadCpuTime();
    long w0 = System.nanoTime();
    int n = 50;
    for (int i = 0; i < n; i++) {
      StreetScene.generate(1000 + i, 512, 256);
    }
    double ms = (threads.getCurrentThreadCpuTime() - t0) / 1e6 / n;
    System.out.printf(
        "StreetScene 512x256: %.2f ms/scene of CPU (%.2f ms wall)%n",
        ms, (System.nanoTime() - w0) / 1e6 / n);
    assertTrue(ms < 50, ms + " ms per scene");
  }
}
