package dev.segmenter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.model.ModelCards;
import dev.segmenter.engine.pipeline.TilePlan;
import dev.segmenter.engine.pipeline.Tta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sliding-window inference and test-time augmentation end to end through {@link TestOnlyConvBackend}, a fully
 * convolutional network (a 1x1 convolution, optionally after a box blur of radius R, its receptive field).
 */
class TiledInferenceTest {
  @TempDir
  Path tmp;

  private static final String WEIGHTS = "weights=1 0.2 -0.5; -0.3 1 0.4; 0.5 -0.6 1; 0.1 0.1 0.1\n";
  private static final String CLASSES4 = "classes: [a, b, c, d]\n";

  private Path model(String name, int w, int h, String classes, String output, String net)
      throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name + "-" + w + "x" + h));
    Files.writeString(
        dir.resolve(ModelCards.CARD_FILE),
        "name: " + name + "\n" + classes
            + "input: {width: " + w + ", height: " + h
            + ", color: RGB, scale: 0.00392156862745098, mean: [128, 128, 128]}\n"
            + (output == null ? "" : "output: " + output + "\n")
            + "files: {onnx: conv.onnx}\n");
    Files.writeString(dir.resolve("conv.onnx"), net);
    return dir;
  }

  /** Smooth random blobs, so that classes form regions (a noise image would make every pixel a near tie). */
  static BgrImage blobs(int w, int h, long seed) {
    Random r = new Random(seed);
    double[][] c = new double[3][6];
    for (double[] row : c) {
      for (int i = 0; i < row.length; i++) {
        row[i] = r.nextDouble() * 0.3 + 0.05;
      }
    }
    BgrImage img = BgrImage.allocate(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int ch = 0; ch < 3; ch++) {
          double v = Math.sin(x * c[ch][0] + c[ch][1] * 9) * Math.cos(y * c[ch][2] + c[ch][3] * 9)
              + 0.3 * Math.sin((x + y) * c[ch][4])
              + 0.2 * r.nextGaussian();
          img.data()[3 * (y * w + x) + ch] = (byte) Math.max(0, Math.min(255, 128 + 100 * v));
        }
      }
    }
    return img;
  }

  private static ClassMap run(
      Path dir, BgrImage img, java.util.function.UnaryOperator<Segmenter.Builder> opts) {
    try (Segmenter s = opts.apply(Segmenter.builder().model(dir).backend(TestOnlyConvBackend.NAME))
        .build()) {
      return s.segment(img).classMap();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2})
  void tiledEqualsWholeAwayFromTheSeams(int radius) throws IOException {
    long seed = 20_000 + radius;
    int w = 97;
    int h = 61;
    BgrImage img = blobs(w, h, seed);
    String net = WEIGHTS + "blur=" + radius + "\n";
    ClassMap whole = run(model("whole", w, h, CLASSES4, null, net), img, b -> b);
    ClassMap tiled =
        run(model("tile", 24, 16, CLASSES4, null, net), img, b -> b.tile(24, 16).tileOverlap(8));
    // pixels within the receptive field of a tile side that lies inside the image may differ;
    // nothing else may
    boolean[] nearSeam = new boolean[w * h];
    for (TilePlan.Crop c : new TilePlan(24, 16, 8).crops(w, h, Tta.NONE)) {
      for (int y = c.y(); y < c.y() + c.height(); y++) {
        for (int x = c.x(); x < c.x() + c.width(); x++) {
          boolean near = (c.x() > 0 && x - c.x() < radius)
              || (c.x() + c.width() < w && c.x() + c.width() - 1 - x < radius)
              || (c.y() > 0 && y - c.y() < radius)
              || (c.y() + c.height() < h && c.y() + c.height() - 1 - y < radius);
          nearSeam[y * w + x] |= near;
        }
      }
    }
    int compared = 0;
    int[] seen = new int[4];
    for (int i = 0; i < w * h; i++) {
      seen[whole.get(i)]++;
      if (!nearSeam[i]) {
        compared++;
        assertEquals(
            whole.get(i), tiled.get(i), "seed " + seed + ", pixel " + (i % w) + "," + (i / w));
      }
    }
    assertTrue(
        compared > w * h / 3,
        "a third of the pixels at least are away from the seams: " + compared);
    assertTrue(
        seen[0] > 0 && seen[1] > 0 && seen[2] > 0,
        "several classes win: " + java.util.Arrays.toString(seen));
  }

  @ParameterizedTest
  @ValueSource(strings = {"NCHW", "NHWC", "ids", "sigmoid"})
  void everyOutputKindTilesLikeTheWholeImage(String kind) throws IOException {
    int w = 50;
    int h = 37;
    BgrImage img = blobs(w, h, 7);
    String classes = kind.equals("sigmoid") ? "classes: [background, foreground]\n" : CLASSES4;
    String output = switch (kind) {
      case "ids" -> "{kind: class-ids}";
      case "sigmoid" -> "{kind: sigmoid, threshold: 0.5}";
      default -> "{kind: scores, layout: " + kind + "}";
    };
    String net = WEIGHTS + "output=" + kind + "\n";
    ClassMap whole = run(model("whole", w, h, classes, output, net), img, b -> b);
    ClassMap tiled = run(
        model("tile", 16, 12, classes, output, net), img, b -> b.tile(16, 12).tileOverlap(0.25));
    assertEquals(1.0, whole.agreement(tiled), 0.0, kind);
    ClassMap flipped = run(
        model("tile", 16, 12, classes, output, net),
        img,
        b -> b.tile(16, 12).tileOverlap(5).tta(Tta.parse("flip")));
    assertEquals(1.0, whole.agreement(flipped), 0.0, kind + " with flip");
    long[] hist = whole.histogram(kind.equals("sigmoid") ? 2 : 4);
    assertTrue(hist[0] > 0 && hist[1] > 0, kind + ": two classes at least win somewhere");
  }

  /** Left half blue, right half red: not mirror-symmetric, so a flip that is not undone swaps the halves. */
  private static BgrImage halves(int w, int h) {
    BgrImage img = BgrImage.allocate(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.data()[3 * (y * w + x) + (x < w / 2 ? 0 : 2)] = (byte) 255;
      }
    }
    return img;
  }

  @Test
  void flipAugmentationIsUndoneBeforeAveraging() throws IOException {
    Path dir = model(
        "rgb", 40, 20, "classes: [red, green, blue]\n", null, "weights=1 0 0; 0 1 0; 0 0 1\n");
    BgrImage img = halves(40, 20);
    for (String tta : new String[] {"flip", "flip+scales=0.5,1,2"}) {
      ClassMap m = run(dir, img, b -> b.tta(Tta.parse(tta)));
      for (int y = 0; y < 20; y++) {
        for (int x = 0; x < 40; x++) {
          if (Math.abs(x - 20) > 2) {
            assertEquals(x < 20 ? 2 : 0, m.get(x, y), tta + " at " + x + "," + y);
          }
        }
      }
    }
  }

  @Test
  void flipOfAMirrorSymmetricSceneChangesNothing() throws IOException {
    // a symmetric image through a network that treats left and right alike: the mirrored pass
    // equals the plain one
    int w = 48;
    int h = 30;
    BgrImage half = blobs(w / 2, h, 3);
    BgrImage img = BgrImage.allocate(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int sx = x < w / 2 ? x : w - 1 - x;
        System.arraycopy(half.data(), 3 * (y * (w / 2) + sx), img.data(), 3 * (y * w + x), 3);
      }
    }
    Path dir = model("sym", w, h, CLASSES4, null, WEIGHTS + "blur=1\n");
    ClassMap plain = run(dir, img, b -> b);
    ClassMap flipped = run(dir, img, b -> b.tta(Tta.parse("flip")));
    assertEquals(1.0, plain.agreement(flipped), 0.0);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w / 2; x++) {
        assertEquals(flipped.get(x, y), flipped.get(w - 1 - x, y), "mirror at " + x + "," + y);
      }
    }
  }

  @Test
  void tileAutoTilesOnlyImagesAboveTheLimitInsteadOfRefusingThem() throws IOException {
    Path dir =
        model("rgb", 16, 8, "classes: [red, green, blue]\n", null, "weights=1 0 0; 0 1 0; 0 0 1\n");
    Path png = tmp.resolve("big.png");
    javax.imageio.ImageIO.write(halves(64, 32).toBufferedImage(), "png", png.toFile());
    try (Segmenter s = Segmenter.builder()
        .model(dir)
        .backend(TestOnlyConvBackend.NAME)
        .maxPixels(1000)
        .build()) {
      ImageException e = assertThrows(ImageException.class, () -> s.segment(png));
      assertTrue(e.getMessage().contains("above the limit of 1000 pixels"), e.getMessage());
    }
    try (Segmenter s = Segmenter.builder()
        .model(dir)
        .backend(TestOnlyConvBackend.NAME)
        .maxPixels(1000)
        .tileAuto()
        .build()) {
      ClassMap m = s.segment(png).classMap();
      assertEquals(64, m.width());
      assertEquals(2, m.get(5, 5));
      assertEquals(0, m.get(60, 30));
      assertTrue(s.tiling().contains("16x8"), s.tiling());
    }
  }

  @Test
  void theCardsTileAppliesThroughTheApiUnlessTheCallerSaysOtherwise() throws IOException {
    Path dir = model(
        "carded", 16, 8, "classes: [red, green, blue]\n", null, "weights=1 0 0; 0 1 0; 0 0 1\n");
    Path card = dir.resolve(ModelCards.CARD_FILE);
    Files.writeString(card, Files.readString(card) + "tile: 16x8\n");
    BgrImage img = halves(64, 32);
    try (Segmenter s =
        Segmenter.builder().model(dir).backend(TestOnlyConvBackend.NAME).build()) {
      assertTrue(s.tiling() != null && s.tiling().contains("16x8"), String.valueOf(s.tiling()));
      ClassMap m = s.segment(img).classMap();
      assertEquals(2, m.get(5, 5));
      assertEquals(0, m.get(60, 30));
    }
    try (Segmenter s = Segmenter.builder()
        .model(dir)
        .backend(TestOnlyConvBackend.NAME)
        .tileFromCard(false)
        .build()) {
      assertEquals(null, s.tiling(), "tileFromCard(false): whole images");
    }
    try (Segmenter s = Segmenter.builder()
        .model(dir)
        .backend(TestOnlyConvBackend.NAME)
        .tile(32, 16)
        .build()) {
      assertTrue(s.tiling().contains("32x16"), "the caller's tile wins: " + s.tiling());
    }
    Files.writeString(card, Files.readString(card).replace("tile: 16x8", "tile: auto"));
    try (Segmenter s = Segmenter.builder()
        .model(dir)
        .backend(TestOnlyConvBackend.NAME)
        .maxPixels(1000)
        .build()) {
      assertTrue(s.tiling().contains("tiles only above 1000 pixels"), s.tiling());
    }
  }

  @Test
  void badTileSettingsNameTheValueAndWhatIsAccepted() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> Segmenter.builder().tileOverlap(1.5));
    assertTrue(
        e.getMessage().contains("1.5") && e.getMessage().contains("fraction"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> Segmenter.builder().tile(0, 5));
    assertTrue(e.getMessage().contains("0x5"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> Tta.parse("mirror"));
    assertTrue(
        e.getMessage().contains("'mirror'") && e.getMessage().contains("flip"), e.getMessage());
    assertNotEquals(Tta.NONE, Tta.parse("scales=0.75,1,1.25"));
    assertEquals(6.25, Tta.parse("flip+scales=0.75,1,1.25").cost(), 1e-9);
  }
}
