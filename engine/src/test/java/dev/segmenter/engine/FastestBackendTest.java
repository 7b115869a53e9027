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
  @TempDir Path tmp;

  private Path model() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("m"));
    Files.writeString(dir.resolve(ModelCards.CARD_FILE), "name: conv\nclasses: [red, green, blue]\n"
        + "input: {width: 16, height: 8, color: RGB, scale: 0.00392156862745098}\nfiles: {onnx: conv.onnx}\n");
    Files.writeString(dir.resolve("conv.onnx"), "weights=1 0 0; 0 1 0; 0 0 1\n");
    return dir;
  }

  @Test
  void theChoiceIsCachedUntilAnythingInTheKeyChanges() throws IOException {
    Path dir = model();
    ModelCard card = ModelCards.load(dir);
    Path cache = tmp.resolve("cache");
    FastestBackend.Choice first = FastestBackend.choose(card, Device.CPU, 0, cache, "cpu A, 2 cores");
    assertEquals(TestOnlyConvBackend.NAME, first.backend().name());
    assertFalse(first.cached());
    assertTrue(Files.isRegularFile(first.cacheFile()), first.cacheFile().toString());
    assertTrue(first.describe().contains("testonly-conv 1: ") && first.describe().contains("ms/frame"),
        first.describe());

    FastestBackend.Choice again = FastestBackend.choose(card, Device.CPU, 0, cache, "cpu A, 2 cores");
    assertTrue(again.cached(), "same key: from the cache");
    assertEquals(first.figures(), again.figures());

    assertFalse(FastestBackend.choose(card, Device.CPU, 0, cache, "cpu B, 2 cores").cached(), "another CPU");
    assertFalse(FastestBackend.choose(card, Device.CPU, 0, cache, "cpu A, 4 cores").cached(), "other cores");
    assertFalse(FastestBackend.choose(card, Device.CPU, 1, cache, "cpu A, 2 cores").cached(), "another thread setting");
    Files.writeString(dir.resolve("conv.onnx"), "weights=1 0 0; 0 1 0; 0 0 1\nretrained\n");
    assertFalse(FastestBackend.choose(card, Device.CPU, 0, cache, "cpu A, 2 cores").cached(), "another model file");
    assertTrue(FastestBackend.choose(card, Device.CPU, 0, cache, "cpu A, 2 cores").cached(), "and cached again");
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
      assertEquals(2, s.segment(dev.segmenter.engine.image.BgrImage.allocate(16, 8)).classMap().width() / 8);
    } finally {
      if (old == null) {
        System.clearProperty("segmenter.cache");
      } else {
        System.setProperty("segmenter.cache", old);
      }
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
