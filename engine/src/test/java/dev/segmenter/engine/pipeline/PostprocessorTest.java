package dev.segmenter.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.model.Layout;
import dev.segmenter.engine.model.OutputSpec;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PostprocessorTest {

  static Stream<Kernels> kernels() {
    return Stream.of(Kernels.scalar(), Kernels.get());
  }

  private static Postprocessor post(OutputSpec.Kind kind, Layout layout, int classes, Kernels k) {
    return new Postprocessor(new OutputSpec(kind, layout, 0.5, null), classes, "test-model", k);
  }

  /** The placement of a stretched image: network {@code nw x nh} covering an image of {@code iw x ih}. */
  private static Placement stretch(int iw, int ih, int nw, int nh) {
    return new Placement((double) nw / iw, 0, (double) nh / ih, 0, nw, nh);
  }

  private static int[] ids(ClassMap m) {
    int[] out = new int[m.pixels()];
    for (int i = 0; i < out.length; i++) {
      out[i] = m.get(i);
    }
    return out;
  }

  /** Planar scores [C, H, W] whose argmax is {@code ids} (winner 1.0, others a small deterministic value). */
  private static float[] planarFor(int[] ids, int classes, int pixels) {
    float[] s = new float[classes * pixels];
    for (int c = 0; c < classes; c++) {
      for (int p = 0; p < pixels; p++) {
        s[c * pixels + p] = ids[p] == c ? 1f : -((c * 7 + p) % 5) * 0.1f;
      }
    }
    return s;
  }

  private static float[] interleaved(float[] planar, int classes, int pixels) {
    float[] s = new float[planar.length];
    for (int c = 0; c < classes; c++) {
      for (int p = 0; p < pixels; p++) {
        s[p * classes + c] = planar[c * pixels + p];
      }
    }
    return s;
  }

  private static final int[] IDS_3x2 = {0, 1, 2, 2, 1, 0}; // W=3, H=2

  @ParameterizedTest
  @MethodSource("kernels")
  void scoresNchwWithAndWithoutBatchAxis(Kernels k) {
    float[] s = planarFor(IDS_3x2, 3, 6);
    Postprocessor p = post(OutputSpec.Kind.SCORES, Layout.NCHW, 3, k);
    for (int[] shape : new int[][] {{1, 3, 2, 3}, {3, 2, 3}}) {
      ClassMap m = p.decode(
              Tensor.of(s, shape), stretch(3, 2, 3, 2), 3, 2, ResizeMode.NEAREST, false, 1)
          .classMap();
      assertEquals(3, m.width());
      assertEquals(2, m.height());
      assertArrayEquals(IDS_3x2, ids(m));
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void scoresNhwcExplicitAndAuto(Kernels k) {
    float[] s = interleaved(planarFor(IDS_3x2, 3, 6), 3, 6);
    for (Layout layout : new Layout[] {Layout.NHWC, Layout.AUTO}) {
      Postprocessor p = post(OutputSpec.Kind.SCORES, layout, 3, k);
      for (int[] shape : new int[][] {{1, 2, 3, 3}, {2, 3, 3}}) {
        ClassMap m = p.decode(
                Tensor.of(s, shape), stretch(3, 2, 3, 2), 3, 2, ResizeMode.NEAREST, false, 1)
            .classMap();
        assertArrayEquals(IDS_3x2, ids(m), layout + " " + java.util.Arrays.toString(shape));
      }
    }
    // AUTO also recognises channels first
    int[] ids2x2 = {2, 0, 1, 2};
    ClassMap m = post(OutputSpec.Kind.SCORES, Layout.AUTO, 3, k)
        .decode(
            Tensor.of(planarFor(ids2x2, 3, 4), 1, 3, 2, 2),
            stretch(2, 2, 2, 2),
            2,
            2,
            ResizeMode.NEAREST,
            false,
            1)
        .classMap();
    assertArrayEquals(ids2x2, ids(m));
  }

  @Test
  void autoLayoutRefusesAnAmbiguousShape() {
    Postprocessor p = post(OutputSpec.Kind.SCORES, Layout.AUTO, 4, Kernels.scalar());
    ModelException e = assertThrows(
        ModelException.class,
        () -> p.decode(
            Tensor.of(new float[64], 1, 4, 4, 4),
            stretch(4, 4, 4, 4),
            4,
            4,
            ResizeMode.NEAREST,
            false,
            1));
    assertTrue(
        e.getMessage().contains("test-model")
            && e.getMessage().contains("[1, 4, 4, 4]")
            && e.getMessage().contains("output.layout"),
        e.getMessage());
    // neither axis matches: say so, with both numbers, instead of asking for a layout
    ModelException e2 = assertThrows(
        ModelException.class,
        () -> p.decode(
            Tensor.of(new float[75], 1, 3, 5, 5),
            stretch(5, 5, 5, 5),
            5,
            5,
            ResizeMode.NEAREST,
            false,
            1));
    assertTrue(
        e2.getMessage().contains("[1, 3, 5, 5]")
            && e2.getMessage().contains("4 classes")
            && e2.getMessage().contains("neither"),
        e2.getMessage());
  }

  @Test
  void channelCountDifferentFromClassesNamesBothNumbers() {
    Postprocessor p = post(OutputSpec.Kind.SCORES, Layout.NCHW, 21, Kernels.scalar());
    ModelException e = assertThrows(
        ModelException.class,
        () -> p.decode(
            Tensor.of(new float[19 * 4], 1, 19, 2, 2),
            stretch(2, 2, 2, 2),
            2,
            2,
            ResizeMode.NEAREST,
            false,
            1));
    assertTrue(
        e.getMessage().contains("19 score channels") && e.getMessage().contains("21 classes"),
        e.getMessage());
    Postprocessor nhwc = post(OutputSpec.Kind.SCORES, Layout.NHWC, 21, Kernels.scalar());
    e = assertThrows(
        ModelException.class,
        () -> nhwc.decode(
            Tensor.of(new float[19 * 4], 1, 2, 2, 19),
            stretch(2, 2, 2, 2),
            2,
            2,
            ResizeMode.BILINEAR,
            false,
            1));
    assertTrue(e.getMessage().contains("19") && e.getMessage().contains("21"), e.getMessage());
  }

  @Test
  void badShapesAndTypesForScores() {
    Postprocessor p = post(OutputSpec.Kind.SCORES, Layout.NCHW, 3, Kernels.scalar());
    ModelException e = assertThrows(
        ModelException.class,
        () -> p.decode(
            Tensor.of(new float[36], 2, 3, 2, 3),
            stretch(3, 2, 3, 2),
            3,
            2,
            ResizeMode.NEAREST,
            false,
            1));
    assertTrue(
        e.getMessage().contains("[2, 3, 2, 3]") && e.getMessage().contains("batch 1"),
        e.getMessage());
    e = assertThrows(
        ModelException.class,
        () -> p.decode(
            Tensor.of(new int[18], 1, 3, 2, 3),
            stretch(3, 2, 3, 2),
            3,
            2,
            ResizeMode.NEAREST,
            false,
            1));
    assertTrue(
        e.getMessage().contains("INT32") && e.getMessage().contains("class-ids"), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void classIdsAsInt32Int64AndFloat(Kernels k) {
    Postprocessor p = post(OutputSpec.Kind.CLASS_IDS, Layout.AUTO, 3, k);
    Placement pl = stretch(3, 2, 3, 2);
    assertArrayEquals(
        IDS_3x2,
        ids(p.decode(Tensor.of(IDS_3x2.clone(), 1, 2, 3), pl, 3, 2, ResizeMode.NEAREST, false, 1)
            .classMap()));
    long[] longs = new long[6];
    float[] floats = new float[6];
    for (int i = 0; i < 6; i++) {
      longs[i] = IDS_3x2[i];
      floats[i] = IDS_3x2[i];
    }
    assertArrayEquals(
        IDS_3x2,
        ids(p.decode(Tensor.of(longs, 1, 1, 2, 3), pl, 3, 2, ResizeMode.NEAREST, false, 1)
            .classMap()));
    assertArrayEquals(
        IDS_3x2,
        ids(p.decode(Tensor.of(floats, 2, 3), pl, 3, 2, ResizeMode.BILINEAR, false, 1)
            .classMap()));
    assertArrayEquals(
        IDS_3x2,
        ids(p.decode(Tensor.of(IDS_3x2.clone(), 1, 2, 3, 1), pl, 3, 2, ResizeMode.NEAREST, false, 1)
            .classMap()));
  }

  @Test
  void classIdsThatAreNotIdsAreRefused() {
    Postprocessor p = post(OutputSpec.Kind.CLASS_IDS, Layout.AUTO, 3, Kernels.scalar());
    Placement pl = stretch(2, 1, 2, 1);
    ModelException e = assertThrows(
        ModelException.class,
        () -> p.decode(
            Tensor.of(new float[] {1f, 1.5f}, 1, 2), pl, 2, 1, ResizeMode.NEAREST, false, 1));
    assertTrue(
        e.getMessage().contains("1.5") && e.getMessage().contains("non-integer"), e.getMessage());
    e = assertThrows(
        ModelException.class,
        () -> p.decode(
            Tensor.of(new float[] {0f, Float.NaN}, 1, 2), pl, 2, 1, ResizeMode.NEAREST, false, 1));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    e = assertThrows(
        ModelException.class,
        () -> p.decode(Tensor.of(new int[] {0, 7}, 1, 2), pl, 2, 1, ResizeMode.NEAREST, false, 1));
    assertTrue(
        e.getMessage().contains("class id 7") && e.getMessage().contains("3 classes"),
        e.getMessage());
    e = assertThrows(
        ModelException.class,
        () ->
            p.decode(Tensor.of(new long[] {-1, 0}, 1, 2), pl, 2, 1, ResizeMode.NEAREST, false, 1));
    assertTrue(e.getMessage().contains("class id -1"), e.getMessage());
    e = assertThrows(
        ModelException.class,
        () -> p.decode(
            Tensor.of(new long[] {1L << 32, 0}, 1, 2), pl, 2, 1, ResizeMode.NEAREST, false, 1));
    assertTrue(e.getMessage().contains("class id " + (1L << 32)), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void sigmoidValueExactlyAtThresholdIsBackground(Kernels k) {
    Postprocessor p = new Postprocessor(
        new OutputSpec(OutputSpec.Kind.SIGMOID, Layout.AUTO, 0.5, null), 2, "m", k);
    float[] prob = {0.2f, 0.5f, Math.nextUp(0.5f), 0.9f};
    for (int[] shape : new int[][] {{1, 1, 1, 4}, {1, 1, 4, 1}, {1, 4}}) {
      int w = shape[shape.length - 1] == 4 ? 4 : 1;
      int h = 4 / w;
      ClassMap m = p.decode(
              Tensor.of(prob, shape), stretch(w, h, w, h), w, h, ResizeMode.NEAREST, false, 1)
          .classMap();
      assertArrayEquals(new int[] {0, 0, 1, 1}, ids(m), java.util.Arrays.toString(shape));
    }
    Postprocessor p3 = new Postprocessor(
        new OutputSpec(OutputSpec.Kind.SIGMOID, Layout.AUTO, 0.3, null), 2, "m", k);
    assertArrayEquals(
        new int[] {0, 1, 1, 1},
        ids(p3.decode(
                Tensor.of(prob, 1, 4), stretch(4, 1, 4, 1), 4, 1, ResizeMode.NEAREST, false, 1)
            .classMap()));
  }

  /** Source cell containing the centre of destination pixel d, exactly: floor((d + 0.5) * src / dst). */
  private static int cell(int d, int src, int dst) {
    return (int) Math.floor((2L * d + 1) * src / (2.0 * dst));
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void nearestUpsamplingGivesEveryPixelTheCellContainingItsCentre(Kernels k) {
    int[] small = {0, 1, 2, 3}; // 2x2
    for (OutputSpec.Kind kind :
        new OutputSpec.Kind[] {OutputSpec.Kind.SCORES, OutputSpec.Kind.CLASS_IDS}) {
      Postprocessor p = post(kind, Layout.NCHW, 4, k);
      Tensor out = kind == OutputSpec.Kind.SCORES
          ? Tensor.of(planarFor(small, 4, 4), 1, 4, 2, 2)
          : Tensor.of(small.clone(), 1, 2, 2);
      for (int[] size : new int[][] {{4, 4}, {5, 3}, {3, 5}, {7, 7}, {2, 2}, {1, 1}, {11, 2}}) {
        int w = size[0];
        int h = size[1];
        // the network input was 16x16 and its output 2x2 (stride 8)
        ClassMap m = p.decode(out, stretch(w, h, 16, 16), w, h, ResizeMode.NEAREST, false, 1)
            .classMap();
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int expected = small[cell(y, 2, h) * 2 + cell(x, 2, w)];
            assertEquals(expected, m.get(x, y), kind + " " + w + "x" + h + " at " + x + "," + y);
          }
        }
      }
    }
  }

  /**
   * Letterbox: an 8x4 image in a 16x16 network input sits at rows 4..11; in the network's output of
   * {@code o x o} the pad rows are {@code y < o/4} and {@code y >= 3o/4}, where class 3 wins with a huge score.
   * No image pixel may get class 3, whatever the resize mode.
   */
  @ParameterizedTest
  @MethodSource("kernels")
  void letterboxPaddingNeverLeaksIntoTheClassMap(Kernels k) {
    int classes = 4;
    Placement pl =
        new Placement(2, 0, 2, 4, 16, 16); // image 8x4 scaled x2 to 16x8, 4 rows of pad above
    for (int o : new int[] {16, 8, 4}) {
      float[] s = new float[classes * o * o];
      int[] idMap = new int[o * o];
      for (int y = 0; y < o; y++) {
        for (int x = 0; x < o; x++) {
          int p = y * o + x;
          idMap[p] = y < o / 4 || y >= 3 * o / 4 ? 3 : x < o / 2 ? 1 : 2;
          s[idMap[p] * o * o + p] = idMap[p] == 3 ? 1000f : 1f;
        }
      }
      for (ResizeMode mode : ResizeMode.values()) {
        for (int threads : new int[] {1, 3}) {
          Postprocessor p = post(OutputSpec.Kind.SCORES, Layout.NCHW, classes, k);
          ClassMap m = p.decode(Tensor.of(s, 1, classes, o, o), pl, 8, 4, mode, false, threads)
              .classMap();
          for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
              assertEquals(
                  x < 4 ? 1 : 2,
                  m.get(x, y),
                  "output " + o + "x" + o + " " + mode + " at " + x + "," + y);
            }
          }
        }
      }
      ClassMap m = post(OutputSpec.Kind.CLASS_IDS, Layout.AUTO, classes, k)
          .decode(Tensor.of(idMap, 1, o, o), pl, 8, 4, ResizeMode.NEAREST, false, 1)
          .classMap();
      for (int i = 0; i < 32; i++) {
        assertEquals(i % 8 < 4 ? 1 : 2, m.get(i), "class ids, output " + o + " at " + i);
      }
      // sigmoid: pad probability 1, content 0
      float[] prob = new float[o * o];
      for (int i = 0; i < prob.length; i++) {
        prob[i] = idMap[i] == 3 ? 1f : 0f;
      }
      for (ResizeMode mode : ResizeMode.values()) {
        ClassMap sm = new Postprocessor(
                new OutputSpec(OutputSpec.Kind.SIGMOID, Layout.AUTO, 0.1, null), 2, "m", k)
            .decode(Tensor.of(prob, 1, 1, o, o), pl, 8, 4, mode, false, 1)
            .classMap();
        assertEquals(
            0,
            sm.histogram(2)[1],
            "sigmoid, output " + o + " " + mode + ": pixels of the pad class");
      }
    }
  }

  /** A wide letterboxed image whose content does not start on an output cell edge: pad must not leak either. */
  @ParameterizedTest
  @MethodSource("kernels")
  void letterboxPaddingWithAContentEdgeInsideAnOutputCell(Kernels k) {
    // 64x64 input, 200x100 image: content rows 16..47; output 16x16 (stride 4): content rows 4..11
    int o = 16;
    float[] s = new float[2 * o * o];
    for (int y = 0; y < o; y++) {
      for (int x = 0; x < o; x++) {
        boolean pad = y < 4 || y >= 12;
        s[(pad ? 1 : 0) * o * o + y * o + x] = pad ? 1000f : 1f;
      }
    }
    Placement pl = new Placement(0.32, 0, 0.32, 16, 64, 64);
    for (ResizeMode mode : ResizeMode.values()) {
      ClassMap m = post(OutputSpec.Kind.SCORES, Layout.NCHW, 2, k)
          .decode(Tensor.of(s, 1, 2, o, o), pl, 200, 100, mode, false, 2)
          .classMap();
      assertEquals(0, m.histogram(2)[1], mode + ": pixels of the pad class");
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void bilinearAgreesWithNearestAwayFromRegionBorders(Kernels k) {
    // 6x4 output of constant 2x2 regions, upsampled 8x
    int ow = 6;
    int oh = 4;
    int classes = 5;
    int[] small = new int[ow * oh];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        small[y * ow + x] = ((y / 2) * 3 + x / 2) % classes;
      }
    }
    float[] s = planarFor(small, classes, ow * oh);
    Postprocessor p = post(OutputSpec.Kind.SCORES, Layout.NCHW, classes, k);
    int w = 48;
    int h = 32;
    Placement pl = stretch(w, h, ow, oh);
    ClassMap near = p.decode(
            Tensor.of(s, 1, classes, oh, ow), pl, w, h, ResizeMode.NEAREST, false, 1)
        .classMap();
    ClassMap bil = p.decode(
            Tensor.of(s, 1, classes, oh, ow), pl, w, h, ResizeMode.BILINEAR, false, 1)
        .classMap();
    int compared = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int region = ((y / 16) * 3 + x / 16) % classes;
        assertEquals(region, near.get(x, y), "nearest at " + x + "," + y);
        // bilinear mixes two cells of different regions only within half a cell (4 px) of a region
        // border
        double cx = x + 0.5;
        double cy = y + 0.5;
        boolean farX = Math.abs(cx - 16) > 4 && Math.abs(cx - 32) > 4;
        boolean farY = Math.abs(cy - 16) > 4;
        if (farX && farY) {
          assertEquals(region, bil.get(x, y), "bilinear at " + x + "," + y);
          compared++;
        }
      }
    }
    assertTrue(compared > w * h / 3, "compared " + compared);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void moreThan256ClassesGiveAWideMap(Kernels k) {
    int classes = 300;
    int[] want = {299, 256, 0, 257, 255, 1};
    float[] s = planarFor(want, classes, 6);
    for (ResizeMode mode : ResizeMode.values()) {
      ClassMap m = post(OutputSpec.Kind.SCORES, Layout.NCHW, classes, k)
          .decode(Tensor.of(s, 1, classes, 2, 3), stretch(6, 4, 3, 2), 6, 4, mode, false, 1)
          .classMap();
      assertTrue(m.isWide());
      assertNull(m.bytes());
      assertEquals(299, m.get(0, 0), mode.id());
      assertEquals(256, m.get(2, 0), mode.id());
      assertEquals(257, m.get(0, 2), mode.id());
      assertEquals(1, m.get(5, 3), mode.id());
      ClassMap nhwc = post(OutputSpec.Kind.SCORES, Layout.AUTO, classes, k)
          .decode(
              Tensor.of(interleaved(s, classes, 6), 1, 2, 3, classes),
              stretch(3, 2, 3, 2),
              3,
              2,
              mode,
              false,
              1)
          .classMap();
      assertArrayEquals(want, ids(nhwc), mode.id());
    }
    ClassMap ids = post(OutputSpec.Kind.CLASS_IDS, Layout.AUTO, classes, k)
        .decode(
            Tensor.of(want.clone(), 2, 3), stretch(6, 4, 3, 2), 6, 4, ResizeMode.NEAREST, false, 1)
        .classMap();
    assertTrue(ids.isWide());
    assertEquals(299, ids.get(1, 1));
    assertEquals(257, ids.get(1, 3));
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void oneOrFourThreadsGiveIdenticalMaps(Kernels k) {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    int classes = 7;
    int ow = 64;
    int oh = 48;
    float[] s = new float[classes * ow * oh];
    for (int i = 0; i < s.length; i++) {
      s[i] = r.nextFloat();
    }
    for (Layout layout : new Layout[] {Layout.NCHW, Layout.NHWC}) {
      int[] shape =
          layout == Layout.NCHW ? new int[] {1, classes, oh, ow} : new int[] {1, oh, ow, classes};
      Postprocessor p = post(OutputSpec.Kind.SCORES, layout, classes, k);
      for (ResizeMode mode : ResizeMode.values()) {
        for (int[] size : new int[][] {{201, 149}, {64, 48}, {40, 30}}) {
          Placement pl = stretch(size[0], size[1], 256, 192);
          ClassMap one = p.decode(Tensor.of(s, shape), pl, size[0], size[1], mode, false, 1)
              .classMap();
          ClassMap four = p.decode(Tensor.of(s, shape), pl, size[0], size[1], mode, false, 4)
              .classMap();
          assertArrayEquals(
              one.bytes(),
              four.bytes(),
              "seed " + seed + " " + layout + " " + mode + " " + size[0] + "x" + size[1]);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void keepScoresReturnsPlanarScoresAlsoForNhwc(Kernels k) {
    float[] planar = planarFor(IDS_3x2, 3, 6);
    for (ResizeMode mode : ResizeMode.values()) {
      Postprocessor.Decoded nhwc = post(OutputSpec.Kind.SCORES, Layout.NHWC, 3, k)
          .decode(
              Tensor.of(interleaved(planar, 3, 6), 1, 2, 3, 3),
              stretch(7, 5, 3, 2),
              7,
              5,
              mode,
              true,
              2);
      assertArrayEquals(new int[] {3, 2, 3}, nhwc.scores().shape(), mode.id());
      assertArrayEquals(planar, nhwc.scores().floats(), mode.id());
      Postprocessor.Decoded nchw = post(OutputSpec.Kind.SCORES, Layout.NCHW, 3, k)
          .decode(Tensor.of(planar.clone(), 1, 3, 2, 3), stretch(7, 5, 3, 2), 7, 5, mode, true, 2);
      assertArrayEquals(new int[] {3, 2, 3}, nchw.scores().shape(), mode.id());
      assertArrayEquals(planar, nchw.scores().floats(), mode.id());
      assertArrayEquals(ids(nchw.classMap()), ids(nhwc.classMap()), mode.id());
      assertNull(post(OutputSpec.Kind.SCORES, Layout.NCHW, 3, k)
          .decode(Tensor.of(planar.clone(), 1, 3, 2, 3), stretch(7, 5, 3, 2), 7, 5, mode, false, 2)
          .scores());
    }
    Postprocessor.Decoded sig = new Postprocessor(
            new OutputSpec(OutputSpec.Kind.SIGMOID, Layout.AUTO, 0.5, null), 2, "m", k)
        .decode(
            Tensor.of(new float[] {0.1f, 0.9f}, 1, 1, 1, 2),
            stretch(2, 1, 2, 1),
            2,
            1,
            ResizeMode.NEAREST,
            true,
            1);
    assertArrayEquals(new int[] {1, 1, 2}, sig.scores().shape());
  }

  /**
   * Random output sizes, image sizes and placements (stretch, letterbox, centre crop), narrow and wide maps,
   * scores and class ids: nearest decoding equals a direct per-pixel reference: the argmax of the output cell
   * that contains the pixel centre, clamped to the grid.
   */
  @ParameterizedTest
  @MethodSource("kernels")
  void randomNearestDecodingMatchesAPerPixelReference(Kernels k) {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    for (int n = 0; n < 150; n++) {
      int classes = r.nextInt(4) == 0 ? 257 + r.nextInt(50) : 1 + r.nextInt(20);
      int ow = 1 + r.nextInt(20);
      int oh = 1 + r.nextInt(20);
      int iw = 1 + r.nextInt(60);
      int ih = 1 + r.nextInt(60);
      int[] cells = new int[ow * oh];
      for (int i = 0; i < cells.length; i++) {
        cells[i] = r.nextInt(classes);
      }
      // a placement in output-grid units: stretch, letterbox (positive offsets) or centre crop
      // (negative)
      double sx;
      double sy;
      double ox;
      double oy;
      switch (r.nextInt(3)) {
        case 0 -> {
          sx = (double) ow / iw;
          sy = (double) oh / ih;
          ox = 0;
          oy = 0;
        }
        case 1 -> {
          double f = Math.min((double) ow / iw, (double) oh / ih);
          sx = f;
          sy = f;
          ox = (ow - iw * f) / 2;
          oy = (oh - ih * f) / 2;
        }
        default -> {
          double f = Math.max((double) ow / iw, (double) oh / ih);
          sx = f;
          sy = f;
          ox = -(iw * f - ow) / 2;
          oy = -(ih * f - oh) / 2;
        }
      }
      Placement pl = new Placement(sx, ox, sy, oy, ow, oh);
      boolean asIds = r.nextBoolean();
      Tensor out = asIds
          ? Tensor.of(cells.clone(), 1, oh, ow)
          : Tensor.of(planarFor(cells, classes, ow * oh), 1, classes, oh, ow);
      Postprocessor p =
          post(asIds ? OutputSpec.Kind.CLASS_IDS : OutputSpec.Kind.SCORES, Layout.NCHW, classes, k);
      ClassMap m =
          p.decode(out, pl, iw, ih, ResizeMode.NEAREST, false, 1 + r.nextInt(4)).classMap();
      assertEquals(classes > 256, m.isWide());
      for (int y = 0; y < ih; y++) {
        double v = (y + 0.5) * sy + oy;
        int cy = Math.max(0, Math.min(oh - 1, (int) Math.floor(v)));
        for (int x = 0; x < iw; x++) {
          double u = (x + 0.5) * sx + ox;
          int cx = Math.max(0, Math.min(ow - 1, (int) Math.floor(u)));
          // a centre within 1e-9 of a cell edge may go either way
          boolean edge = Math.abs(u - Math.rint(u)) < 1e-9 || Math.abs(v - Math.rint(v)) < 1e-9;
          if (!edge) {
            assertEquals(
                cells[cy * ow + cx],
                m.get(x, y),
                "seed " + seed + " case " + n + " " + pl + " image " + iw + "x" + ih
                    + (asIds ? " ids" : " scores") + " at " + x + "," + y);
          }
        }
      }
    }
  }

  /** Random letterboxes: output cells that lie wholly in the padding never decide a pixel, in either mode. */
  @ParameterizedTest
  @MethodSource("kernels")
  void randomLetterboxesNeverShowThePadClass(Kernels k) {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    for (int n = 0; n < 200; n++) {
      int ow = 2 + r.nextInt(24);
      int oh = 2 + r.nextInt(24);
      int iw = 1 + r.nextInt(80);
      int ih = 1 + r.nextInt(80);
      double f = Math.min((double) ow / iw, (double) oh / ih);
      Placement pl = new Placement(f, (ow - iw * f) / 2, f, (oh - ih * f) / 2, ow, oh);
      double x1 = pl.offsetX() + iw * f;
      double y1 = pl.offsetY() + ih * f;
      int classes = 3; // 0 and 1: content, 2: pad
      float[] s = new float[classes * ow * oh];
      float[] prob = new float[ow * oh];
      for (int y = 0; y < oh; y++) {
        for (int x = 0; x < ow; x++) {
          boolean pad = x + 1 <= pl.offsetX() + 1e-9
              || x >= x1 - 1e-9
              || y + 1 <= pl.offsetY() + 1e-9
              || y >= y1 - 1e-9;
          int c = pad ? 2 : r.nextInt(2);
          s[c * ow * oh + y * ow + x] = pad ? 1e6f : 1f;
          prob[y * ow + x] = pad ? 1f : 0f;
        }
      }
      String ctx = "seed " + seed + " case " + n + " " + pl + " image " + iw + "x" + ih;
      for (ResizeMode mode : ResizeMode.values()) {
        ClassMap m = post(OutputSpec.Kind.SCORES, Layout.NCHW, classes, k)
            .decode(Tensor.of(s, 1, classes, oh, ow), pl, iw, ih, mode, false, 2)
            .classMap();
        assertEquals(0, m.histogram(classes)[2], ctx + " " + mode);
        ClassMap sig = new Postprocessor(
                new OutputSpec(OutputSpec.Kind.SIGMOID, Layout.AUTO, 0.01, null), 2, "m", k)
            .decode(Tensor.of(prob, 1, 1, oh, ow), pl, iw, ih, mode, false, 2)
            .classMap();
        assertEquals(0, sig.histogram(2)[1], ctx + " sigmoid " + mode);
      }
    }
  }

  /** Planar scores as a session's view: a direct native-order buffer under a lease. */
  private static Tensor viewOf(float[] s, Tensor.Lease lease, int... shape) {
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocateDirect(4 * s.length).order(java.nio.ByteOrder.nativeOrder());
    b.asFloatBuffer().put(s);
    return Tensor.view(b, lease, shape);
  }

  /**
   * A view of planar scores is decoded in place with nearest resizing (no bytes copied to the heap) and through a
   * counted copy with bilinear resizing; either way the class map is the array's; an ended view is refused.
   */
  @ParameterizedTest
  @MethodSource("kernels")
  void viewsOfNativeMemoryDecodeLikeArrays(Kernels k) {
    Random r = new Random(5);
    int classes = 21;
    int w = 37;
    int h = 23;
    int[] want = new int[w * h];
    for (int i = 0; i < want.length; i++) {
      want[i] = r.nextInt(classes);
    }
    float[] s = planarFor(want, classes, w * h);
    Postprocessor pp = post(OutputSpec.Kind.SCORES, Layout.NCHW, classes, k);
    Placement up = stretch(2 * w, 2 * h, w, h);
    for (ResizeMode mode : ResizeMode.values()) {
      Tensor.Lease lease = new Tensor.Lease("test session");
      Tensor view = viewOf(s, lease, 1, classes, h, w);
      ClassMap fromArray = pp.decode(
              Tensor.of(s, 1, classes, h, w), up, 2 * w, 2 * h, mode, false, 2)
          .classMap();
      long copied = Tensor.heapCopyBytes();
      ClassMap fromView = pp.decode(view, up, 2 * w, 2 * h, mode, false, 2).classMap();
      assertArrayEquals(ids(fromArray), ids(fromView), k + " " + mode);
      long expectCopied = mode == ResizeMode.NEAREST ? 0 : 4L * s.length;
      assertEquals(
          expectCopied,
          Tensor.heapCopyBytes() - copied,
          k + " " + mode + ": bytes copied to the heap");
      Tensor kept = pp.decode(view, up, 2 * w, 2 * h, mode, true, 1).scores();
      assertArrayEquals(s, kept.floats(), "kept scores are a copy of the view's");
      lease.end();
      assertThrows(
          IllegalStateException.class, () -> pp.decode(view, up, 2 * w, 2 * h, mode, false, 1));
    }
  }
}
