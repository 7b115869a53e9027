package dev.segmenter.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.ModelFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model lookup. The test class path embeds {@code testonly-shipped} (card + file) and the catalog card
 * {@code testonly-catalog} (files not shipped); user.home and the cache folder point into a temp dir.
 */
class ModelRegistryTest {
  @TempDir
  Path tmp;

  private String savedHome;
  private String savedCache;

  @BeforeEach
  void isolate() {
    assumeTrue(
        System.getenv(ModelRegistry.ENV) == null,
        ModelRegistry.ENV + " is set in this environment");
    savedHome = System.getProperty("user.home");
    savedCache = System.getProperty("segmenter.cache");
    System.setProperty("user.home", tmp.resolve("home").toString());
    System.setProperty("segmenter.cache", tmp.resolve("cache").toString());
  }

  @AfterEach
  void restore() {
    if (savedHome != null) {
      System.setProperty("user.home", savedHome);
    }
    if (savedCache == null) {
      System.clearProperty("segmenter.cache");
    } else {
      System.setProperty("segmenter.cache", savedCache);
    }
  }

  @Test
  void shippedModelIsCopiedOutWithItsFiles() throws IOException {
    ModelCard c = ModelRegistry.resolve("testonly-shipped");
    assertEquals("testonly-shipped", c.name());
    assertTrue(c.directory().startsWith(tmp.resolve("cache")), c.directory().toString());
    assertEquals(List.of(ModelFormat.ONNX), c.presentFormats());
    assertEquals(
        "weights=1 0 0; 0 1 0; 0 0 1\n",
        Files.readString(c.requireFile(ModelFormat.ONNX).file()));
    // a second lookup reuses the copy
    assertEquals(c.directory(), ModelRegistry.resolve(" testonly-shipped ").directory());
    assertFalse(c.trained());
  }

  @Test
  void catalogModelWithoutFilesSaysWhereToPutThem() {
    ModelException e =
        assertThrows(ModelException.class, () -> ModelRegistry.resolve("testonly-catalog"));
    String m = e.getMessage();
    Path target = tmp.resolve("home").resolve(".cache/segmenter/user-models/testonly-catalog");
    assertTrue(
        m.contains("net.caffemodel")
            && m.contains("net.prototxt")
            && m.contains(target.toString())
            && m.contains("https://example.org/testonly-catalog"),
        m);
  }

  @Test
  void catalogModelWithFilesInTheUserFolderLoads() throws IOException {
    Path dir =
        Files.createDirectories(tmp.resolve("home/.cache/segmenter/user-models/testonly-catalog"));
    Files.writeString(
        dir.resolve("model.yaml"),
        new String(getClass()
            .getClassLoader()
            .getResourceAsStream("segmenter/catalog/testonly-catalog/model.yaml")
            .readAllBytes()));
    Files.writeString(dir.resolve("net.caffemodel"), "x");
    Files.writeString(dir.resolve("net.prototxt"), "x");
    ModelCard c = ModelRegistry.resolve("testonly-catalog");
    assertEquals(List.of(ModelFormat.CAFFE), c.presentFormats());
    List<ModelRegistry.Entry> list = ModelRegistry.list();
    ModelRegistry.Entry cat = list.stream()
        .filter(en -> en.name().equals("testonly-catalog"))
        .findFirst()
        .orElseThrow();
    assertTrue(cat.filesPresent(), cat.toString());
    ModelRegistry.Entry shipped = list.stream()
        .filter(en -> en.name().equals("testonly-shipped"))
        .findFirst()
        .orElseThrow();
    assertTrue(shipped.filesPresent() && "shipped".equals(shipped.kind()), shipped.toString());
  }

  @Test
  void directoriesAndCardFilesLoadDirectly() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(
        dir.resolve("model.yaml"),
        "name: mine\nclasses: [a]\ninput: {width: 2, height: 2}\n" + "files: {onnx: m.onnx}\n");
    assertEquals("mine", ModelRegistry.resolve(dir.toString()).name());
    assertEquals(
        "mine", ModelRegistry.resolve(dir.resolve("model.yaml").toString()).name());
  }

  @Test
  void unknownNamesListTheKnownModels() {
    ModelException e =
        assertThrows(ModelException.class, () -> ModelRegistry.resolve("no-such-model"));
    assertTrue(
        e.getMessage().contains("'no-such-model'")
            && e.getMessage().contains("testonly-shipped")
            && e.getMessage().contains("testonly-catalog"),
        e.getMessage());
    e = assertThrows(ModelException.class, () -> ModelRegistry.resolve("Not A/Name"));
    assertTrue(
        e.getMessage().contains("Not A/Name") && e.getMessage().contains("testonly-shipped"),
        e.getMessage());
    assertEquals(List.of("testonly-shipped", "testonly-catalog"), ModelRegistry.names());
  }

  @Test
  void userModelsAreListedAndFoundByTheirCardsName() throws IOException {
    Path mine = tmp.resolve("home/.cache/segmenter/user-models/some-folder");
    Files.createDirectories(mine);
    Files.writeString(
        mine.resolve("model.yaml"),
        "name: my-model\nclasses: [a, b]\ninput: {width: 8, height: 8}\n"
            + "files: {onnx: m.onnx}\ndomain: my own photos\n");
    Files.writeString(mine.resolve("m.onnx"), "weights");
    Path broken = tmp.resolve("home/.cache/segmenter/user-models/broken");
    Files.createDirectories(broken);
    Files.writeString(broken.resolve("model.yaml"), "name: [\n");
    ModelCard c = ModelRegistry.resolve("my-model");
    assertEquals(mine.toAbsolutePath().normalize(), c.directory());
    assertEquals("my own photos", c.domain());
    List<ModelRegistry.Entry> all = ModelRegistry.list();
    ModelRegistry.Entry e =
        all.stream().filter(x -> x.name().equals("my-model")).findFirst().orElseThrow();
    assertEquals("user", e.kind());
    assertTrue(e.filesPresent());
    ModelRegistry.Entry b =
        all.stream().filter(x -> x.name().equals("broken")).findFirst().orElseThrow();
    assertTrue(b.problem().contains("not valid YAML"), b.problem());
  }

  @Test
  void theCacheFallsBackFromTheProperty() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Path t = tmp.resolve("tmp");
    assertEquals(
        Path.of("/p"),
        ModelRegistry.cacheRoot("/p", tmp.resolve("xdg").toString(), "/h", t.toString(), "u"));
    assertEquals(
        tmp.resolve("xdg/segmenter"),
        ModelRegistry.cacheRoot(
            null,
            tmp.resolve("xdg").toString(),
            tmp.resolve("home").toString(),
            t.toString(),
            "u"));
    assertEquals(
        tmp.resolve("home/.cache/segmenter"),
        ModelRegistry.cacheRoot(null, null, tmp.resolve("home").toString(), t.toString(), "u"));
    // a home that cannot hold a cache (here: a file; elsewhere read-only or missing): the temporary
    // folder
    assertEquals(
        t.resolve("segmenter-cache-u"),
        ModelRegistry.cacheRoot(
            null, file.resolve("xdg").toString(), file.toString(), t.toString(), "u"));
    assertEquals(
        t.resolve("segmenter-cache-u"),
        ModelRegistry.cacheRoot(null, "relative", "?", t.toString(), "u"));
  }

  @Test
  void withoutAWritableHomeTheShippedModelIsCopiedToATemporaryCache() throws IOException {
    System.clearProperty("segmenter.cache");
    Path file = Files.writeString(tmp.resolve("not-a-home"), "x");
    System.setProperty("user.home", file.toString());
    String savedTmp = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", tmp.resolve("t").toString());
    try {
      assumeTrue(
          System.getenv("XDG_CACHE_HOME") == null, "XDG_CACHE_HOME is set in this environment");
      ModelCard c = ModelRegistry.resolve("testonly-shipped");
      assertTrue(c.directory().startsWith(tmp.resolve("t")), c.directory().toString());
    } finally {
      System.setProperty("java.io.tmpdir", savedTmp);
    }
  }
}
