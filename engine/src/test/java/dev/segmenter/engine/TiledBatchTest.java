package dev.segmenter.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.model.ModelCards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tiles in a batch job share the job's inference slots: a batch of tiled images on {@code N} slots runs at most
 * {@code N} forward passes at once (counted by {@link TestOnlyConvBackend}), an image alone borrows the free ones,
 * and the class maps are the same bytes as one image at a time on one thread.
 */
@Timeout(120)
class TiledBatchTest {
  @TempDir
  Path tmp;

  private Path model(String name, String extra) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(
        dir.resolve(ModelCards.CARD_FILE),
        "name: " + name + "\nclasses: [a, b, c, d]\n"
            + "input: {width: 16, height: 12, color: RGB, scale: 0.00392156862745098, mean: [128, 128, 128]}\n"
            + "files: {onnx: conv.onnx}\n");
    Files.writeString(
        dir.resolve("conv.onnx"),
        "weights=1 0.2 -0.5; -0.3 1 0.4; 0.5 -0.6 1; 0.1 0.1 0.1\n" + "blur=1\n" + extra);
    return dir;
  }

  private static List<BgrImage> images(int n, int w, int h, long seed) {
    List<BgrImage> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(TiledInferenceTest.blobs(w, h, seed + i));
    }
    return out;
  }

  private static Segmenter.Builder tiled(Path dir) {
    return Segmenter.builder()
        .model(dir)
        .backend(TestOnlyConvBackend.NAME)
        .runtimeThreads(1)
        .tile(16, 12)
        .tileOverlap(4);
  }

  /** The class maps of a batch job with {@code concurrency}, in input order. */
  private static List<ClassMap> batch(Segmenter s, List<BgrImage> images, int concurrency) {
    List<ClassMap> maps = new ArrayList<>();
    List<BatchJob.Input> in = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      in.add(BatchJob.Input.of("img-" + i, images.get(i)));
    }
    try (BatchJob job = s.batch(BatchJob.Options.withConcurrency(concurrency))) {
      BatchJob.Summary sum = job.run(in.iterator(), item -> {
        assertEquals(
            BatchJob.Status.DONE, item.status(), item.input().name() + ": " + item.failure());
        maps.add(item.result().classMap());
      });
      assertEquals(images.size(), sum.done());
    }
    return maps;
  }

  private static void assertSameMaps(List<ClassMap> expected, List<ClassMap> actual, String what) {
    assertEquals(expected.size(), actual.size(), what);
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i).bytes(), actual.get(i).bytes(), what + ", image " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void aBatchOfTiledImagesRunsAtMostItsConcurrencyOfForwardPasses(int concurrency)
      throws IOException {
    long seed = 31_000 + concurrency;
    Path dir = model("conv-" + concurrency, "delay-ms=3\n");
    Path net = dir.resolve("conv.onnx");
    List<BgrImage> images = images(6, 80, 60, seed); // 7 x 7 tiles each
    List<ClassMap> alone = new ArrayList<>();
    try (Segmenter s = tiled(dir).tileWorkers(1).build()) {
      for (BgrImage img : images) {
        alone.add(s.segment(img).classMap());
      }
    }
    // tileWorkers(4) applies outside a batch only: before tiles shared the batch's slots, each of
    // the batch's
    // segmenting threads ran its image's tiles 4 at a time (concurrency x 4 forward passes)
    try (Segmenter s = tiled(dir).tileWorkers(4).build()) {
      TestOnlyConvBackend.resetPeak(net);
      List<ClassMap> maps = batch(s, images, concurrency);
      int peak = TestOnlyConvBackend.peak(net);
      assertTrue(
          peak <= concurrency,
          "seed " + seed + ": " + peak + " forward passes at once, concurrency " + concurrency);
      assertEquals(
          concurrency,
          peak,
          "seed " + seed + ": the batch keeps its " + concurrency + " slots busy");
      assertSameMaps(alone, maps, "seed " + seed + ", batch of " + concurrency);
    }
  }

  @Test
  void aTiledImageAloneBorrowsTheFreeSlotsAndStillGivesTheSameBytes() throws IOException {
    long seed = 32_000;
    Path dir = model("alone", "delay-ms=10\n");
    Path net = dir.resolve("conv.onnx");
    List<BgrImage> one = images(1, 120, 40, seed); // rows of 10 tiles
    List<ClassMap> serial;
    try (Segmenter s = tiled(dir).tileWorkers(1).build()) {
      serial = List.of(s.segment(one.get(0)).classMap());
    }
    try (Segmenter s = tiled(dir).build()) {
      TestOnlyConvBackend.resetPeak(net);
      List<ClassMap> maps = batch(s, one, 3);
      assertEquals(
          3, TestOnlyConvBackend.peak(net), "seed " + seed + ": one image takes the 3 free slots");
      assertSameMaps(serial, maps, "seed " + seed + ", one image on 3 slots");
    }
    // outside a batch: the caller's thread plus tileWorkers - 1 helpers
    try (Segmenter s = tiled(dir).tileWorkers(2).build()) {
      TestOnlyConvBackend.resetPeak(net);
      ClassMap m = s.segment(one.get(0)).classMap();
      assertEquals(2, TestOnlyConvBackend.peak(net), "seed " + seed + ": tileWorkers 2");
      assertArrayEquals(serial.get(0).bytes(), m.bytes(), "seed " + seed + ", tileWorkers 2");
    }
  }

  @Test
  void sessionsThatAreNotThreadSafeAreNeverShared() throws IOException {
    // OpenCV's case: one session per concurrent forward pass, so at most one per slot
    long seed = 33_000;
    Path dir = model("unsafe", "thread-safe=false\ndelay-ms=2\n");
    Path net = dir.resolve("conv.onnx");
    List<BgrImage> images = images(4, 70, 50, seed);
    List<ClassMap> alone = new ArrayList<>();
    try (Segmenter s = tiled(dir).tileWorkers(1).build()) {
      for (BgrImage img : images) {
        alone.add(s.segment(img).classMap());
      }
    }
    int before = TestOnlyConvBackend.opened(net);
    try (Segmenter s = tiled(dir).tileWorkers(5).build()) {
      assertSameMaps(alone, batch(s, images, 2), "seed " + seed);
    }
    int sessions = TestOnlyConvBackend.opened(net) - before;
    assertTrue(sessions <= 2, "seed " + seed + ": " + sessions + " sessions for 2 slots");
    assertEquals(
        TestOnlyConvBackend.opened(net), TestOnlyConvBackend.closed(net), "every session closed");
  }
}
