package dev.segmenter.scenes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU recipe's scene writer ({@code models/recipes/enet/gpu/RawScenes.java}, compiled by hand, not by the
 * build) still compiles against the generator and writes exactly the scenes {@code SceneWriter} would: the
 * training data of stages 5 and 6 depends on it.
 */
class RawScenesRecipeTest {
  @TempDir
  Path tmp;

  private static Path recipeSource() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path f = p.resolve("models/recipes/enet/gpu/RawScenes.java");
      if (Files.isRegularFile(f)) {
        return f;
      }
    }
    throw new AssertionError(
        "models/recipes/enet/gpu/RawScenes.java not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void rawRecordsAreTheGeneratorsPicturesAndLabels() throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "tests run on a JDK");
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int rc = javac.run(
        null,
        log,
        log,
        "--release",
        "17",
        "-cp",
        System.getProperty("java.class.path"),
        "-d",
        classes.toString(),
        recipeSource().toString());
    assertEquals(0, rc, "RawScenes.java compiles: " + log);
    Path out = tmp.resolve("scenes.bin");
    int w = 64;
    int h = 40;
    try (URLClassLoader loader = new URLClassLoader(
        new java.net.URL[] {classes.toUri().toURL()}, RawScenesRecipeTest.class.getClassLoader())) {
      loader.loadClass("RawScenes").getMethod("main", String[].class).invoke(null, (Object)
          new String[] {
            "--count",
            "3",
            "--seed",
            "1000000",
            "--size",
            w + "x" + h,
            "--threads",
            "2",
            "--out",
            out.toString()
          });
    }
    byte[] raw = Files.readAllBytes(out);
    int record = w * h * 4;
    assertEquals(3 * record, raw.length);
    for (int i = 0; i < 3; i++) {
      Scene s = StreetScene.generate(1_000_000L + i, w, h);
      byte[] bgr = ((DataBufferByte) s.image().getRaster().getDataBuffer()).getData();
      assertArrayEquals(
          bgr,
          Arrays.copyOfRange(raw, i * record, i * record + w * h * 3),
          "picture of scene " + i);
      assertArrayEquals(
          s.labels(),
          Arrays.copyOfRange(raw, i * record + w * h * 3, (i + 1) * record),
          "labels of scene " + i);
    }
  }
}
