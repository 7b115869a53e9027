package dev.segmenter.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segmenter.engine.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Cards written to hurt (issue 21): deep nesting, tensors too large to exist, FIFOs. Each is a ModelException. */
class HostileCardsTest {
  @TempDir
  Path tmp;

  private Path card(String yaml) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "model");
    Files.writeString(dir.resolve(ModelCards.CARD_FILE), yaml);
    Files.writeString(dir.resolve("net.onnx"), "not read at load");
    return dir;
  }

  private static String fails(Path dir, String... words) {
    ModelException e = assertThrows(ModelException.class, () -> ModelCards.load(dir));
    for (String w : words) {
      assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
    }
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void twoThousandNestedBracketsAreAModelErrorNotAStackOverflow() throws IOException {
    String deep = "[".repeat(2000) + "]".repeat(2000);
    fails(
        card("name: x\nclasses: " + deep
            + "\ninput: {width: 8, height: 8}\nfiles: {onnx: net.onnx}\n"),
        "not valid YAML",
        "nested deeper than 64 levels");
    fails(
        card(
            "name: x\nclasses: [a, b]\ninput: {width: 8, height: 8}\nfiles: {onnx: net.onnx}\ntitle: "
                + "{a: ".repeat(500) + "1" + "}".repeat(500) + "\n"),
        "nested deeper than 64 levels");
    // the depth the project's own files use still loads
    assertEquals(
        "x",
        ModelCards.load(card("name: x\nclasses: [a, b]\ninput: {width: 8, height: 8}\n"
                + "files: {onnx: net.onnx}\n"))
            .name());
  }

  @Test
  void anInputTooLargeForATensorIsRefusedAtLoad() throws IOException {
    String m = fails(
        card("name: x\nclasses: [" + "c, ".repeat(18) + "c]\ninput: {width: 16384, height: 16384}\n"
            + "files: {onnx: net.onnx}\n"),
        "input.width",
        "16384x16384",
        "give a smaller input size");
    assertTrue(!m.contains("capacity"), m);
    fails(
        card("name: x\nclasses: [" + "c, ".repeat(18) + "c]\ninput: {width: 8192, height: 8192}\n"
            + "files: {onnx: net.onnx}\n"),
        "19x8192x8192 scores",
        "MiB");
    // a large input with few classes fits
    assertEquals(
        4096,
        ModelCards.load(card("name: x\nclasses: [a, b]\ninput: {width: 4096, height: 4096}\n"
                + "files: {onnx: net.onnx}\n"))
            .input()
            .width());
  }

  private static boolean mkfifo(Path p) throws Exception {
    try {
      Process pr = new ProcessBuilder("mkfifo", p.toString()).start();
      return pr.waitFor(10, TimeUnit.SECONDS) && pr.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  @Timeout(30)
  void aFifoCardOrModelFileIsRefusedWithoutWaiting() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("fifo-card"));
    assumeTrue(mkfifo(dir.resolve(ModelCards.CARD_FILE)), "mkfifo is not available here");
    fails(dir, "model.yaml", "not a regular file");
    fails(dir.resolve(ModelCards.CARD_FILE), "not a regular file");
    Path dir2 = Files.createDirectories(tmp.resolve("fifo-model"));
    Files.writeString(
        dir2.resolve(ModelCards.CARD_FILE),
        "name: x\nclasses: [a, b]\ninput: {width: 8, height: 8}\n" + "files: {onnx: net.onnx}\n");
    assumeTrue(mkfifo(dir2.resolve("net.onnx")));
    fails(dir2, "files.onnx", "net.onnx", "not a regular file");
  }

  @Test
  void theDomainIsRead() throws IOException {
    ModelCard c = ModelCards.load(card("name: x\nclasses: [a, b]\ninput: {width: 8, height: 8}\n"
        + "files: {onnx: net.onnx}\ndomain: aerial photographs\n"));
    assertEquals("aerial photographs", c.domain());
    assertEquals(
        null,
        ModelCards.load(card("name: x\nclasses: [a, b]\ninput: {width: 8, height: 8}\n"
                + "files: {onnx: net.onnx}\n"))
            .domain());
  }
}
