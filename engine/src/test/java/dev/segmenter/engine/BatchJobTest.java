package dev.segmenter.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.model.ModelCards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The streaming batch through {@link TestOnlyConvBackend}: order, failures, bounded memory, cancel, sink errors. */
@Timeout(120)
class BatchJobTest {
  @TempDir
  Path tmp;

  private Path model(String extra) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("conv"));
    Files.writeString(
        dir.resolve(ModelCards.CARD_FILE),
        "name: conv\nclasses: [red, green, blue]\n"
            + "input: {width: 8, height: 6, color: RGB, scale: 0.00392156862745098}\nfiles: {onnx: conv.onnx}\n");
    Files.writeString(dir.resolve("conv.onnx"), "weights=1 0 0; 0 1 0; 0 0 1\n" + extra);
    return dir;
  }

  /** Image i: a solid color of class i % 3 (red, green, blue), of a size that differs per image. */
  private static BgrImage solid(int i) {
    BgrImage img = BgrImage.allocate(10 + i % 7, 6 + i % 5);
    int channel = 2 - i % 3; // class 0 red = byte 2 (B, G, R order)
    for (int p = 0; p < img.pixels(); p++) {
      img.data()[3 * p + channel] = (byte) 255;
    }
    return img;
  }

  private static List<BatchJob.Input> inputs(int n) {
    List<BatchJob.Input> in = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      in.add(new BatchJob.Input("img-" + i, null, solid(i), i));
    }
    return in;
  }

  @Test
  void everyInputReachesTheSinkOnceInOrderTaggedWithItsResult() throws IOException {
    Path dir = model("delay-ms=3\n");
    for (int concurrency : new int[] {1, 2, 5}) {
      try (Segmenter s =
              Segmenter.builder().model(dir).backend(TestOnlyConvBackend.NAME).build();
          BatchJob job = s.batch(BatchJob.Options.withConcurrency(concurrency))) {
        List<Long> order = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger written = new AtomicInteger();
        BatchJob.Summary sum = job.run(inputs(40).iterator(), new BatchJob.Sink() {
          @Override
          public Object write(BatchJob.Item item) {
            written.incrementAndGet();
            return "w" + item.index();
          }

          @Override
          public void accept(BatchJob.Item item) {
            order.add(item.index());
            int i = (Integer) item.input().tag();
            assertEquals(i, item.index());
            assertEquals(BatchJob.Status.DONE, item.status());
            assertEquals("w" + i, item.written());
            ClassMap m = item.result().classMap();
            assertEquals(10 + i % 7, m.width());
            assertEquals(6 + i % 5, m.height());
            for (int p = 0; p < m.pixels(); p++) {
              assertEquals(i % 3, m.get(p), "image " + i + " pixel " + p);
            }
          }
        });
        List<Long> expected = new ArrayList<>();
        for (long i = 0; i < 40; i++) {
          expected.add(i);
        }
        assertEquals(expected, order, "concurrency " + concurrency);
        assertEquals(40, written.get());
        assertEquals(new BatchJob.Summary(40, 0, 0, false, sum.seconds()), sum);
      }
    }
  }

  @Test
  void aFailingInputIsReportedWithItsStageAndTheOthersGoOn() throws IOException {
    Path dir = model("");
    Path good = tmp.resolve("good.png");
    ImageIO.write(solid(1).toBufferedImage(), "png", good.toFile());
    Path broken = Files.writeString(tmp.resolve("broken.png"), "not a png");
    Path missing = tmp.resolve("missing.png");
    List<BatchJob.Input> in = List.of(
        BatchJob.Input.of(good),
        BatchJob.Input.of(broken),
        BatchJob.Input.of(missing),
        BatchJob.Input.of(good),
        BatchJob.Input.of(good));
    List<BatchJob.Item> items = new ArrayList<>();
    try (Segmenter s =
            Segmenter.builder().model(dir).backend(TestOnlyConvBackend.NAME).build();
        BatchJob job = s.batch(BatchJob.Options.withConcurrency(2))) {
      BatchJob.Summary sum = job.run(in.iterator(), new BatchJob.Sink() {
        @Override
        public Object write(BatchJob.Item item) throws IOException {
          if (item.index() == 4) {
            throw new IOException("disk says no");
          }
          return null;
        }

        @Override
        public void accept(BatchJob.Item item) {
          items.add(item);
        }
      });
      assertEquals(2, sum.done());
      assertEquals(3, sum.failed());
    }
    assertEquals(BatchJob.Status.DONE, items.get(0).status());
    assertTrue(items.get(0).result().timings().decode() > 0, "decode time of a file is measured");
    assertEquals(BatchJob.Stage.DECODE, items.get(1).failedStage());
    assertInstanceOf(ImageException.class, items.get(1).failure());
    assertTrue(
        items.get(1).failure().getMessage().contains("broken.png"),
        items.get(1).failure().getMessage());
    assertEquals(BatchJob.Stage.DECODE, items.get(2).failedStage());
    assertNull(items.get(2).result());
    assertEquals(BatchJob.Status.DONE, items.get(3).status());
    assertEquals(BatchJob.Stage.WRITE, items.get(4).failedStage());
    assertEquals("disk says no", items.get(4).failure().getMessage());
  }

  @Test
  void memoryIsBoundedByTheImagesInFlightNotByTheInputs() throws IOException {
    Path dir = model("delay-ms=2\n");
    AtomicInteger created = new AtomicInteger();
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger maxAhead = new AtomicInteger();
    // an endless-looking lazy input: each image is made only when the job takes it
    Iterator<BatchJob.Input> lazy = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return created.get() < 300;
      }

      @Override
      public BatchJob.Input next() {
        int i = created.getAndIncrement();
        maxAhead.accumulateAndGet(i - accepted.get(), Math::max);
        return BatchJob.Input.of("lazy-" + i, solid(i));
      }
    };
    try (Segmenter s =
            Segmenter.builder().model(dir).backend(TestOnlyConvBackend.NAME).build();
        BatchJob job = s.batch(BatchJob.Options.withConcurrency(3))) {
      int limit = job.options().inFlight();
      BatchJob.Summary sum = job.run(lazy, item -> accepted.incrementAndGet());
      assertEquals(300, sum.done());
      assertTrue(
          maxAhead.get() <= limit,
          "inputs taken ahead of the sink: " + maxAhead.get() + " > " + limit);
    }
  }

  @Test
  void cancelStopsTakingInputsAndSkipsWhatIsNotWrittenYet() throws IOException {
    Path dir = model("delay-ms=20\n");
    try (Segmenter s =
            Segmenter.builder().model(dir).backend(TestOnlyConvBackend.NAME).build();
        BatchJob job = s.batch(BatchJob.Options.withConcurrency(2))) {
      List<BatchJob.Item> seen = new ArrayList<>();
      BatchJob.Summary sum = job.run(inputs(1000).iterator(), item -> {
        seen.add(item);
        if (item.index() == 3) {
          job.cancel();
        }
      });
      assertTrue(sum.wasCancelled());
      assertTrue(sum.done() >= 4 && sum.done() < 30, "done after cancel: " + sum.done());
      assertEquals(sum.done() + sum.cancelled() + sum.failed(), seen.size());
      for (BatchJob.Item item : seen) {
        if (item.status() == BatchJob.Status.CANCELLED) {
          assertNull(item.written());
        } else {
          assertEquals(BatchJob.Status.DONE, item.status());
          assertNotNull(item.result());
        }
      }
      // the job runs again after a cancelled batch
      assertEquals(5, job.run(inputs(5).iterator(), item -> {}).done());
    }
  }

  @Test
  void aSinkThatThrowsInAcceptStopsTheJobAndItsErrorIsRethrown() throws IOException {
    Path dir = model("delay-ms=5\n");
    try (Segmenter s =
            Segmenter.builder().model(dir).backend(TestOnlyConvBackend.NAME).build();
        BatchJob job = s.batch(BatchJob.Options.withConcurrency(2))) {
      IllegalStateException stop = new IllegalStateException("stdout is gone");
      AtomicInteger calls = new AtomicInteger();
      IllegalStateException e = assertThrows(
          IllegalStateException.class,
          () -> job.run(inputs(500).iterator(), item -> {
            if (calls.incrementAndGet() == 2) {
              throw stop;
            }
          }));
      assertSame(stop, e);
      assertEquals(2, calls.get(), "accept is not called after it threw");
    }
  }

  @Test
  void unorderedJobsStillHandEveryInputOnce() throws IOException {
    Path dir = model("");
    Random rnd = new Random(5);
    List<BatchJob.Input> in = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      in.add(BatchJob.Input.of("r" + i, solid(rnd.nextInt(100))));
    }
    try (Segmenter s =
            Segmenter.builder().model(dir).backend(TestOnlyConvBackend.NAME).build();
        BatchJob job = s.batch(BatchJob.Options.withConcurrency(4).ordered(false))) {
      boolean[] seen = new boolean[60];
      job.run(in.iterator(), item -> {
        assertTrue(!seen[(int) item.index()], "twice: " + item.index());
        seen[(int) item.index()] = true;
      });
      for (boolean b : seen) {
        assertTrue(b);
      }
    }
  }

  @Test
  void closedJobsAndBadOptionsAreRefused() throws IOException {
    Path dir = model("");
    try (Segmenter s =
        Segmenter.builder().model(dir).backend(TestOnlyConvBackend.NAME).build()) {
      BatchJob job = s.batch(BatchJob.Options.defaults());
      job.close();
      job.close();
      assertThrows(IllegalStateException.class, () -> job.run(inputs(1).iterator(), item -> {}));
    }
    assertThrows(ConfigException.class, () -> BatchJob.Options.withConcurrency(0));
    assertThrows(IllegalArgumentException.class, () -> new BatchJob.Input("x", null, null, null));
    assertArrayEquals(new int[] {1, 2}, new int[] {
      ThroughputPlan.choose(1, 2, 0, 0).concurrency(),
      ThroughputPlan.choose(10, 2, 0, 0).concurrency()
    });
    assertEquals(1, ThroughputPlan.choose(10, 2, 0, 0).runtimeThreads());
    assertEquals(1, ThroughputPlan.choose(10, 2, 2, 0).concurrency());
    assertEquals(2, ThroughputPlan.choose(10, 4, 0, 2).runtimeThreads());
  }
}
