package dev.segmenter.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.model.ModelCards;
import dev.segmenter.engine.pipeline.ResizeMode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** End to end through {@link TestOnlyConvBackend}: card, preprocessing, forward, decoding, session pool. */
class SegmenterTest {
  @TempDir
  Path tmp;

  private static final String IDENTITY = "weights=1 0 0; 0 1 0; 0 0 1\n";

  /** A model whose classes are the dominant channel: 0 red, 1 green, 2 blue (an RGB network, identity weights). */
  private Path model(String name, String input, String net) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(
        dir.resolve(ModelCards.CARD_FILE),
        "name: " + name + "\n"
            + "classes: [red, green, blue]\n"
            + "input: " + input + "\n"
            + "files: {onnx: conv.onnx}\n");
    Files.writeString(dir.resolve("conv.onnx"), net);
    return dir;
  }

  private Path model(String net) throws IOException {
    return model("conv", "{width: 8, height: 6, color: RGB, scale: 0.00392156862745098}", net);
  }

  /** 16x12: left half blue, right half red on top and green below. */
  private static BgrImage quadrants() {
    BgrImage img = BgrImage.allocate(16, 12);
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 16; x++) {
        int ch = x < 8 ? 0 : y < 6 ? 2 : 1; // B, G, R byte index
        img.data()[3 * (y * 16 + x) + ch] = (byte) 255;
      }
    }
    return img;
  }

  private static int expectedQuadrant(int x, int y) {
    return x < 8 ? 2 : y < 6 ? 0 : 1;
  }

  private static void assertQuadrants(ClassMap m, String what) {
    assertEquals(16, m.width(), what);
    assertEquals(12, m.height(), what);
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 16; x++) {
        assertEquals(expectedQuadrant(x, y), m.get(x, y), what + " at " + x + "," + y);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"nearest", "bilinear"})
  void segmentsAnImageEndToEnd(String resize) throws IOException {
    Path dir = model(IDENTITY + "thread-safe=true\n");
    try (Segmenter s = Segmenter.builder()
        .model(dir)
        .backend(TestOnlyConvBackend.NAME)
        .resize(ResizeMode.parse(resize, "test"))
        .postprocessThreads(2)
        .build()) {
      assertEquals("conv", s.model().name());
      assertEquals(TestOnlyConvBackend.NAME, s.backend().name());
      assertEquals(
          dir.toAbsolutePath().normalize().resolve("conv.onnx"), s.modelSource().file());
      Segmentation r = s.segment(quadrants());
      assertQuadrants(r.classMap(), resize);
      assertEquals(TestOnlyConvBackend.NAME, r.backend());
      assertArrayEquals(new long[] {48, 48, 96}, r.pixelsPerClass());
      assertNull(r.scores());
      Timings t = r.timings();
      assertTrue(
          t.decode() == 0
              && t.preprocess() >= 0
              && t.forward() >= 0
              && t.postprocess() >= 0
              && t.total() >= 0,
          t.toString());
    }
  }

  @Test
  void framesRefillTheLastOutputOnlyWhenNoResultKeepsIt() throws IOException {
    Path dir = model(IDENTITY + "thread-safe=true\n");
    BgrImage red = BgrImage.allocate(16, 12);
    for (int p = 0; p < red.pixels(); p++) {
      red.data()[3 * p + 2] = (byte) 255;
    }
    try (Segmenter s = Segmenter.builder()
        .model(dir)
        .backend(TestOnlyConvBackend.NAME)
        .keepScores(true)
        .build()) {
      Segmentation kept = s.segment(quadrants());
      float[] before = kept.scores().floats().clone();
      s.segment(red);
      assertArrayEquals(
          before,
          kept.scores().floats(),
          "a result's scores are not overwritten by the next frame");
      assertQuadrants(kept.classMap(), "kept");
    }
    int filledBefore = TestOnlyConvBackend.SPARES_FILLED.get();
    try (Segmenter s =
        Segmenter.builder().model(dir).backend(TestOnlyConvBackend.NAME).build()) {
      for (int i = 0; i < 3; i++) {
        assertQuadrants(s.segment(quadrants()).classMap(), "frame " + i);
        assertArrayEquals(
            new long[] {16 * 12, 0, 0}, s.segment(red).pixelsPerClass(), "red frame " + i);
      }
    }
    assertEquals(
        5,
        TestOnlyConvBackend.SPARES_FILLED.get() - filledBefore,
        "frames 2..6 refill frame 1's array");
  }

  @Test
  void autoPicksTheBackendThatCanRunTheModelAndFilesAndBufferedImagesWork() throws IOException {
    Path dir = model(IDENTITY);
    Path png = tmp.resolve("q.png");
    ImageIO.write(quadrants().toBufferedImage(), "png", png.toFile());
    try (Segmenter s = Segmenter.builder()
        .model(dir.toString())
        .backend("auto")
        .keepScores(true)
        .kernels(Kernels.scalar())
        .build()) {
      assertEquals(TestOnlyConvBackend.NAME, s.backend().name());
      Segmentation r = s.segment(png);
      assertQuadrants(r.classMap(), "from a file");
      assertTrue(r.timings().decode() >= 0);
      assertArrayEquals(new int[] {3, 6, 8}, r.scores().shape());
      // blue pixel (0,0) of the 8x6 network output: score of class 2 is 1, the others 0
      float[] sc = r.scores().floats();
      assertEquals(1f, sc[2 * 48], 1e-6);
      assertEquals(0f, sc[0], 1e-6);
      BufferedImage rgb = new BufferedImage(16, 12, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 12; y++) {
        for (int x = 0; x < 16; x++) {
          rgb.setRGB(x, y, x < 8 ? 0x0000FF : y < 6 ? 0xFF0000 : 0x00FF00);
        }
      }
      assertQuadrants(s.segment(rgb).classMap(), "from a BufferedImage");
    }
  }

  @Test
  void channelsLastNetworkAndBgrOrder() throws IOException {
    // NHWC input and output; a BGR network with weights in B, G, R order gives the same classes
    Path dir = model(
        "nhwc",
        "{width: 8, height: 6, layout: NHWC, color: BGR}",
        "weights=0 0 1; 0 1 0; 1 0 0\noutput=NHWC\n");
    try (Segmenter s =
        Segmenter.builder().model(dir).backend(TestOnlyConvBackend.NAME).build()) {
      assertQuadrants(s.segment(quadrants()).classMap(), "nhwc/bgr");
    }
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseThrows() throws IOException {
    Path dir = model(IDENTITY + "thread-safe=false\n");
    Path file = dir.resolve("conv.onnx");
    int before = TestOnlyConvBackend.opened(file);
    Segmenter s =
        Segmenter.builder().model(dir).backend(TestOnlyConvBackend.NAME).build();
    s.segment(quadrants());
    s.close();
    s.close();
    assertEquals(TestOnlyConvBackend.opened(file), TestOnlyConvBackend.closed(file));
    assertTrue(TestOnlyConvBackend.opened(file) > before);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> s.segment(quadrants()));
    assertTrue(
        e.getMessage().contains("conv") && e.getMessage().contains("closed"), e.getMessage());
    assertThrows(
        IllegalStateException.class,
        () -> s.segment(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB)));
    assertThrows(IllegalStateException.class, () -> s.segment(tmp.resolve("none.png")));
    assertThrows(IllegalStateException.class, s::device);
  }

  /** close() while another thread is inside a forward pass waits for it instead of freeing its session. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void closeWaitsForForwardPassesInProgress(boolean threadSafe) throws Exception {
    Path dir = model(
        threadSafe ? "slow-ts" : "slow-pooled",
        "{width: 8, height: 6}",
        IDENTITY + "thread-safe=" + threadSafe + "\ndelay-ms=300\n");
    Path file = dir.resolve("conv.onnx");
    Segmenter s =
        Segmenter.builder().model(dir).backend(TestOnlyConvBackend.NAME).build();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Segmentation> running = pool.submit(() -> s.segment(quadrants()));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (TestOnlyConvBackend.running(file) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertEquals(1, TestOnlyConvBackend.running(file), "the forward pass has started");
      s.close();
      assertEquals(
          0,
          TestOnlyConvBackend.running(file),
          "close() returned while a forward pass was running");
      assertQuadrants(running.get().classMap(), "the call in progress completes");
      assertEquals(TestOnlyConvBackend.opened(file), TestOnlyConvBackend.closed(file));
      assertThrows(IllegalStateException.class, () -> s.segment(quadrants()));
    } finally {
      pool.shutdownNow();
      s.close();
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void eightThreadsGiveTheSameMapsAsSequentialCalls(boolean threadSafe) throws Exception {
    Path dir = model(
        threadSafe ? "ts" : "pooled",
        "{width: 24, height: 16, fit: letterbox, pad: [0, 0, 0]}",
        IDENTITY + "thread-safe=" + threadSafe + "\n");
    Path file = dir.resolve("conv.onnx");
    long seed = System.nanoTime();
    Random r = new Random(seed);
    List<BgrImage> images = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      BgrImage img = BgrImage.allocate(20 + r.nextInt(40), 10 + r.nextInt(30));
      r.nextBytes(img.data());
      images.add(img);
    }
    Segmenter s = Segmenter.builder()
        .model(dir)
        .backend(TestOnlyConvBackend.NAME)
        .postprocessThreads(2)
        .build();
    try {
      List<int[]> expected = new ArrayList<>();
      for (BgrImage img : images) {
        expected.add(ids(s.segment(img).classMap()));
      }
      int threads = 8;
      int calls = 50;
      CyclicBarrier start = new CyclicBarrier(threads);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int offset = t;
          futures.add(pool.submit(() -> {
            start.await();
            for (int c = 0; c < calls; c++) {
              int k = (offset * 7 + c) % images.size();
              assertArrayEquals(
                  expected.get(k),
                  ids(s.segment(images.get(k)).classMap()),
                  "seed " + seed + ", image " + k);
            }
            return null;
          }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      int opened = TestOnlyConvBackend.opened(file);
      if (threadSafe) {
        assertEquals(1, opened, "a thread-safe session is shared");
      } else {
        assertTrue(opened >= 1 && opened <= threads, "sessions opened: " + opened);
      }
      assertEquals(0, TestOnlyConvBackend.closed(file));
    } finally {
      s.close();
    }
    assertEquals(
        TestOnlyConvBackend.opened(file), TestOnlyConvBackend.closed(file), "every session closed");
  }

  @Test
  void builderErrorsSayWhatIsWrong() throws IOException {
    Path dir = model(IDENTITY);
    BackendException unknown = assertThrows(
        BackendException.class,
        () -> Segmenter.builder().model(dir).backend("nope").build());
    assertEquals(BackendException.Reason.UNKNOWN, unknown.reason());
    assertTrue(unknown.getMessage().contains("auto"), unknown.getMessage());
    BackendException gpu = assertThrows(
        BackendException.class,
        () -> Segmenter.builder()
            .model(dir)
            .backend(TestOnlyConvBackend.NAME)
            .device(Device.GPU)
            .build());
    assertTrue(gpu.getMessage().contains("gpu"), gpu.getMessage());
    assertThrows(ConfigException.class, () -> Segmenter.builder().maxPixels(0));
    assertThrows(ConfigException.class, () -> Segmenter.builder().postprocessThreads(-1));

    // the card names a file that is not there: say which file, not "no backend can run this"
    Files.delete(dir.resolve("conv.onnx"));
    for (String backend : new String[] {"auto", TestOnlyConvBackend.NAME}) {
      ModelException e = assertThrows(
          ModelException.class,
          () -> Segmenter.builder().model(dir).backend(backend).build(),
          backend);
      assertTrue(
          e.getMessage()
                  .contains(
                      dir.toAbsolutePath().normalize().resolve("conv.onnx").toString())
              && e.getMessage().contains("missing"),
          backend + ": " + e.getMessage());
    }

    // an unreadable model file is the backend's ModelException
    Files.writeString(dir.resolve("conv.onnx"), "garbage\n");
    ModelException bad = assertThrows(
        ModelException.class,
        () -> Segmenter.builder().model(dir).backend(TestOnlyConvBackend.NAME).build());
    assertTrue(bad.getMessage().contains("conv.onnx"), bad.getMessage());
  }

  @Test
  void imageLargerThanTheLimitIsRefused() throws IOException {
    Path dir = model(IDENTITY);
    Path png = tmp.resolve("big.png");
    ImageIO.write(new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
    try (Segmenter s = Segmenter.builder()
        .model(dir)
        .backend(TestOnlyConvBackend.NAME)
        .maxPixels(399)
        .build()) {
      ImageException e = assertThrows(ImageException.class, () -> s.segment(png));
      assertTrue(
          e.getMessage().contains("big.png") && e.getMessage().contains("399"), e.getMessage());
    }
  }

  private static int[] ids(ClassMap m) {
    int[] out = new int[m.pixels()];
    for (int i = 0; i < out.length; i++) {
      out[i] = m.get(i);
    }
    return out;
  }
}
