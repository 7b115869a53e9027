package dev.segmenter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.model.ModelCards;
import dev.segmenter.engine.spi.Availability;
import dev.segmenter.engine.spi.Backend;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.ModelSource;
import dev.segmenter.engine.spi.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backend("fastest")}: measures once, answers from the cache after, measures again when the key changes. */
class FastestBackendTest {
  @TempDir
  Path tmp;

  private Path model() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("m"));
    Files.writeString(
        dir.resolve(ModelCards.CARD_FILE),
        "name: conv\nclasses: [red, green, blue]\n"
            + "input: {width: 16, height: 8, color: RGB, scale: 0.00392156862745098}\nfiles: {onnx: conv.onnx}\n");
    Files.writeString(dir.resolve("conv.onnx"), "weights=1 0 0; 0 1 0; 0 0 1\n");
    return dir;
  }

  @Test
  void theChoiceIsCachedUntilAnythingInTheKeyChanges() throws IOException {
    Path dir = model();
    ModelCard card = ModelCards.load(dir);
    Path cache = tmp.resolve("cache");
    FastestBackend.Choice first =
        FastestBackend.choose(card, Device.CPU, 0, cache, "cpu A, 2 cores");
    assertEquals(TestOnlyConvBackend.NAME, first.backend().name());
    assertFalse(first.cached());
    assertTrue(Files.isRegularFile(first.cacheFile()), first.cacheFile().toString());
    assertTrue(
        first.describe().contains("testonly-conv 1: ") && first.describe().contains("ms/frame"),
        first.describe());

    FastestBackend.Choice again =
        FastestBackend.choose(card, Device.CPU, 0, cache, "cpu A, 2 cores");
    assertTrue(again.cached(), "same key: from the cache");
    assertEquals(first.figures(), again.figures());

    assertFalse(
        FastestBackend.choose(card, Device.CPU, 0, cache, "cpu B, 2 cores").cached(),
        "another CPU");
    assertFalse(
        FastestBackend.choose(card, Device.CPU, 0, cache, "cpu A, 4 cores").cached(),
        "other cores");
    assertFalse(
        FastestBackend.choose(card, Device.CPU, 1, cache, "cpu A, 2 cores").cached(),
        "another thread setting");
    Files.writeString(dir.resolve("conv.onnx"), "weights=1 0 0; 0 1 0; 0 0 1\nretrained\n");
    assertFalse(
        FastestBackend.choose(card, Device.CPU, 0, cache, "cpu A, 2 cores").cached(),
        "another model file");
    assertTrue(
        FastestBackend.choose(card, Device.CPU, 0, cache, "cpu A, 2 cores").cached(),
        "and cached again");
  }

  @Test
  void aNewRuntimeVersionChangesTheKey() throws IOException {
    ModelCard card = ModelCards.load(model());
    Backend conv = Backends.byName(TestOnlyConvBackend.NAME);
    String k1 = FastestBackend.key(card, List.of(conv), Device.CPU, 0, "m");
    String k2 = FastestBackend.key(card, List.of(withVersion(conv, "2")), Device.CPU, 0, "m");
    assertNotEquals(k1, k2);
    assertTrue(k1.contains("java="), k1);
  }

  @Test
  void theBuilderAcceptsFastest() throws IOException {
    Path dir = model();
    String old = System.getProperty("segmenter.cache");
    System.setProperty("segmenter.cache", tmp.resolve("c").toString());
    try (Segmenter s = Segmenter.builder().model(dir).backend("fastest").build()) {
      assertEquals(TestOnlyConvBackend.NAME, s.backend().name());
      assertTrue(s.fastestChoice().cacheFile().startsWith(tmp.resolve("c").resolve("fastest")));
      assertEquals(
          2,
          s.segment(dev.segmenter.engine.image.BgrImage.allocate(16, 8))
                  .classMap()
                  .width()
              / 8);
    } finally {
      if (old == null) {
        System.clearProperty("segmenter.cache");
      } else {
        System.setProperty("segmenter.cache", old);
      }
    }
  }

  @Test
  void aBatchIsRankedByItsThroughputSplitAndOneImageByLatency() throws IOException {
    ModelCard card = ModelCards.load(model());
    Backend conv = Backends.byName(TestOnlyConvBackend.NAME);
    // "serial" is faster alone but runs one forward pass at a time; "parallel" is slower alone but
    // scales
    List<Backend> both =
        List.of(timed(conv, "serial", 40, true), timed(conv, "parallel", 56, false));
    Path cache = tmp.resolve("cache");
    FastestBackend.Choice batch =
        FastestBackend.choose(card, both, Device.CPU, 1, null, 2, cache, "cpu A, 2 cores");
    assertEquals("parallel", batch.backend().name(), batch.describe());
    assertTrue(batch.split().byThroughput(), batch.describe());
    assertTrue(
        batch.describe().contains("for throughput, 2 x 1 thread (a batch)")
            && batch.describe().contains("1 x 1 thread")
            && batch.describe().contains("frames/s"),
        batch.describe());
    FastestBackend.Choice one =
        FastestBackend.choose(card, both, Device.CPU, 0, null, 2, cache, "cpu A, 2 cores");
    assertEquals("serial", one.backend().name(), one.describe());
    assertTrue(one.describe().contains("for latency, 1 x all threads (one image)"), one.describe());
    FastestBackend.Choice cached =
        FastestBackend.choose(card, both, Device.CPU, 1, null, 2, cache, "cpu A, 2 cores");
    assertTrue(cached.cached(), cached.describe());
    assertEquals(
        batch.figures(), cached.figures(), "both figures of each backend come back from the cache");
    assertEquals("parallel", cached.backend().name());
    FastestBackend.Choice oneImageOneThread =
        FastestBackend.choose(card, both, Device.CPU, 1, false, 2, cache, "cpu A, 2 cores");
    assertEquals(
        "serial",
        oneImageOneThread.backend().name(),
        "one image on 1 thread of 2 cores: the latency ranks; " + oneImageOneThread.describe());
    assertTrue(
        oneImageOneThread.describe().contains("for latency, 1 x 1 thread (one image)"),
        oneImageOneThread.describe());
    assertTrue(!oneImageOneThread.cached(), "a different ranking is a different cache entry");
    FastestBackend.Choice oneCore =
        FastestBackend.choose(card, both, Device.CPU, 1, null, 1, cache, "cpu A, 1 core");
    assertEquals(
        "serial", oneCore.backend().name(), "one core: no split to measure; " + oneCore.describe());
    assertTrue(Double.isNaN(oneCore.figures().get(0).throughputFps()), oneCore.describe());
  }

  /** The test net under another name, {@code delayMs} per forward pass, and with {@code serial} one pass at a time. */
  private static Backend timed(Backend conv, String name, long delayMs, boolean serial) {
    Object lock = new Object();
    return new Backend() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String version() {
        return "1";
      }

      @Override
      public Availability availability() {
        return conv.availability();
      }

      @Override
      public Set<ModelFormat> formats() {
        return conv.formats();
      }

      @Override
      public Set<Device> devices() {
        return conv.devices();
      }

      @Override
      public int rank() {
        return 0;
      }

      @Override
      public BackendSession open(ModelSource model, SessionOptions options) {
        BackendSession s = conv.open(model, options);
        return new BackendSession() {
          @Override
          public Tensor forward(Tensor input) {
            if (serial) {
              synchronized (lock) {
                sleep(delayMs);
              }
            } else {
              sleep(delayMs);
            }
            return s.forward(input);
          }

          @Override
          public boolean isThreadSafe() {
            return s.isThreadSafe();
          }

          @Override
          public String device() {
            return s.device();
          }

          @Override
          public void close() {
            s.close();
          }
        };
      }
    };
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Backend withVersion(Backend b, String version) {
    return new Backend() {
      @Override
      public String name() {
        return b.name();
      }

      @Override
      public String version() {
        return version;
      }

      @Override
      public Availability availability() {
        return b.availability();
      }

      @Override
      public Set<ModelFormat> formats() {
        return b.formats();
      }

      @Override
      public Set<Device> devices() {
        return b.devices();
      }

      @Override
      public int rank() {
        return b.rank();
      }

      @Override
      public BackendSession open(ModelSource model, SessionOptions options) {
        return b.open(model, options);
      }
    };
  }
}
