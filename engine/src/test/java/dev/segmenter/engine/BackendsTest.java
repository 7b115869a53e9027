package dev.segmenter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.model.ModelCards;
import dev.segmenter.engine.spi.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backend discovery and selection. The engine's test class path holds two test-only backends (see
 * {@code src/test/resources/META-INF/services}): {@link TestOnlyConvBackend} (available, reads onnx, cpu) and
 * {@link TestOnlyMissingBackend} (ranked higher, not available). The environment variable
 * {@value Backends#ENV} cannot be set from Java; tests of the levels below it are skipped where it is set.
 */
class BackendsTest {
  private String savedProperty;

  @TempDir
  Path tmp;

  @BeforeEach
  void saveProperty() {
    savedProperty = System.getProperty(Backends.PROPERTY);
    System.clearProperty(Backends.PROPERTY);
  }

  @AfterEach
  void restoreProperty() {
    if (savedProperty == null) {
      System.clearProperty(Backends.PROPERTY);
    } else {
      System.setProperty(Backends.PROPERTY, savedProperty);
    }
  }

  @Test
  void installedBackendsComeByDescendingRank() {
    List<String> names = Backends.installed().stream().map(Backend::name).toList();
    assertEquals(List.of(TestOnlyMissingBackend.NAME, TestOnlyConvBackend.NAME), names);
    assertSame(Backends.installed(), Backends.installed());
  }

  @Test
  void resolveNamePrecedence() {
    assertEquals("opencv", Backends.resolveName(" OpenCV "));
    System.setProperty(Backends.PROPERTY, "OnnxRuntime");
    assertEquals("opencv", Backends.resolveName("opencv"), "explicit beats the property");
    assertEquals("onnxruntime", Backends.resolveName(null), "the property when nothing explicit");
    assertEquals("onnxruntime", Backends.resolveName("  "), "a blank explicit name is no name");
    System.clearProperty(Backends.PROPERTY);
    assumeTrue(System.getenv(Backends.ENV) == null, Backends.ENV + " is set in this environment");
    assertEquals("auto", Backends.resolveName(null));
    assertEquals("auto", Backends.resolveName(""));
  }

  @Test
  void byNameFindsAvailableBackendsAndExplainsTheOthers() {
    assertEquals(TestOnlyConvBackend.NAME, Backends.byName(" TestOnly-Conv ").name());
    BackendException unknown = assertThrows(BackendException.class, () -> Backends.byName("nope"));
    assertEquals(BackendException.Reason.UNKNOWN, unknown.reason());
    String m = unknown.getMessage();
    assertTrue(
        m.contains("'nope'")
            && m.contains("auto")
            && m.contains(TestOnlyConvBackend.NAME)
            && m.contains(TestOnlyMissingBackend.NAME),
        m);
    BackendException missing =
        assertThrows(BackendException.class, () -> Backends.byName(TestOnlyMissingBackend.NAME));
    assertEquals(BackendException.Reason.UNAVAILABLE, missing.reason());
    assertTrue(missing.getMessage().contains(TestOnlyMissingBackend.WHY), missing.getMessage());
  }

  @Test
  void autoSkipsUnavailableBackendsAndWrongFormatsAndDevices() {
    assertEquals(
        TestOnlyConvBackend.NAME,
        Backends.choose("auto", Set.of(ModelFormat.ONNX), Device.CPU).name());
    assertEquals(
        TestOnlyConvBackend.NAME,
        Backends.choose("AUTO", List.of(ModelFormat.CAFFE, ModelFormat.ONNX), Device.CPU)
            .name());

    // no installed backend reads caffe: the message says why, backend by backend
    BackendException e = assertThrows(
        BackendException.class,
        () -> Backends.choose("auto", Set.of(ModelFormat.CAFFE), Device.CPU));
    assertEquals(BackendException.Reason.UNAVAILABLE, e.reason());
    assertTrue(
        e.getMessage().contains("no installed backend can run this model on cpu")
            && e.getMessage()
                .contains(TestOnlyMissingBackend.NAME + ": " + TestOnlyMissingBackend.WHY)
            && e.getMessage().contains(TestOnlyConvBackend.NAME + ": reads onnx, not caffe"),
        e.getMessage());

    e = assertThrows(
        BackendException.class,
        () -> Backends.choose("auto", Set.of(ModelFormat.ONNX), Device.GPU));
    assertTrue(
        e.getMessage().contains("on gpu")
            && e.getMessage().contains(TestOnlyConvBackend.NAME + ": no gpu"),
        e.getMessage());
  }

  @Test
  void anExplicitBackendMustReadOneOfTheModelsFormats() {
    BackendException e = assertThrows(
        BackendException.class,
        () -> Backends.choose(
            TestOnlyConvBackend.NAME,
            Set.of(ModelFormat.TORCHSCRIPT, ModelFormat.CAFFE),
            Device.CPU));
    assertTrue(
        e.getMessage().contains("reads onnx") && e.getMessage().contains("torchscript"),
        e.getMessage());
    assertEquals(
        BackendException.Reason.UNKNOWN,
        assertThrows(
                BackendException.class,
                () -> Backends.choose("opencv", Set.of(ModelFormat.ONNX), Device.CPU))
            .reason());
  }

  /** A model with the given files on disk (each card entry; {@code present} false leaves the onnx file out). */
  private ModelCard card(String files, boolean present) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("m" + files.hashCode() + present));
    Files.writeString(
        dir.resolve(ModelCards.CARD_FILE),
        "name: conv\nclasses: [red, green, blue]\n"
            + "input: {width: 16, height: 8, color: RGB}\nfiles: {" + files + "}\n");
    if (present) {
      Files.writeString(dir.resolve("conv.onnx"), "weights=1 0 0; 0 1 0; 0 0 1\n");
    }
    return ModelCards.load(dir);
  }

  @Test
  void selectGivesTheBackendAndTheFileItReads() throws IOException {
    ModelCard card = card("onnx: conv.onnx", true);
    for (String name : List.of("auto", TestOnlyConvBackend.NAME)) {
      Backends.Selection s = Backends.select(card, name, Device.CPU);
      assertEquals(TestOnlyConvBackend.NAME, s.backend().name(), name);
      assertEquals(ModelFormat.ONNX, s.source().format(), name);
      assertEquals(card.requireFile(ModelFormat.ONNX).file(), s.source().file(), name);
      assertEquals(s.source().file(), Backends.source(card, s.backend()).file());
    }
    // the named file is missing: a model error naming it, not "no backend fits"
    ModelException missing = assertThrows(
        ModelException.class,
        () -> Backends.select(card("onnx: conv.onnx", false), "auto", Device.CPU));
    assertTrue(missing.getMessage().contains("conv.onnx"), missing.getMessage());
    BackendException gpu = assertThrows(
        BackendException.class, () -> Backends.select(card, TestOnlyConvBackend.NAME, Device.GPU));
    assertTrue(gpu.getMessage().contains("has no gpu"), gpu.getMessage());
    assertEquals(
        List.of("auto", FastestBackend.NAME, TestOnlyMissingBackend.NAME, TestOnlyConvBackend.NAME),
        Backends.acceptedNames());
  }

  @Test
  void summaryListsAvailableAndNotAvailable() {
    String s = Backends.summary();
    assertTrue(
        s.contains("available: " + TestOnlyConvBackend.NAME)
            && s.contains("not available: " + TestOnlyMissingBackend.NAME + " ("
                + TestOnlyMissingBackend.WHY + ")"),
        s);
  }
}
