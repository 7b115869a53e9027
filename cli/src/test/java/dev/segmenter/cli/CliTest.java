package dev.segmenter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.render.PngOutputs;
import dev.segmenter.palettes.Palettes;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: files written, JSON, one-line errors and exit codes. */
class CliTest {
  @TempDir
  Path tmp;

  private Path scene(String name, long seed, int w, int h) throws Exception {
    Path f = tmp.resolve(name);
    Files.createDirectories(f.getParent());
    ImageIO.write(TestModels.scene(seed, w, h).toBufferedImage(), "png", f.toFile());
    return f;
  }

  @Test
  void segmentWritesTheContractFilesAtTheInputSize() throws Exception {
    Path img = scene("street.png", 1, 301, 157);
    Path out = tmp.resolve("out");
    CliRunner.Result r = CliRunner.run(
        "segment",
        img.toString(),
        "--model",
        TestModels.ENET.toString(),
        "--backend",
        "onnxruntime",
        "--out",
        out.toString(),
        "--json",
        "-q");
    assertEquals(0, r.code(), r.err());
    for (String suffix : List.of("classes", "color", "overlay")) {
      BufferedImage b = ImageIO.read(out.resolve("street." + suffix + ".png").toFile());
      assertEquals(301, b.getWidth(), suffix);
      assertEquals(157, b.getHeight(), suffix);
    }
    BufferedImage classes = ImageIO.read(out.resolve("street.classes.png").toFile());
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, classes.getType(), "class ids are 8-bit grayscale");
    ClassMap map = PngOutputs.readClassIds(out.resolve("street.classes.png"));
    BufferedImage color = ImageIO.read(out.resolve("street.color.png").toFile());
    var palette = Palettes.cityscapes();
    for (int y = 0; y < 157; y += 3) {
      for (int x = 0; x < 301; x += 3) {
        assertEquals(
            palette.rgb(map.get(x, y)), color.getRGB(x, y) & 0xFFFFFF, "color at " + x + "," + y);
      }
    }
    String line = r.out().trim();
    assertFalse(line.contains("\n"), "one JSON line per image");
    for (String key : List.of(
        "\"image\":",
        "\"width\":301",
        "\"height\":157",
        "\"backend\":\"onnxruntime\"",
        "\"model\":\"enet-streets\"",
        "\"classes\":[",
        "\"id\":",
        "\"name\":",
        "\"pixels\":",
        "\"fraction\":",
        "\"timings_ms\":",
        "\"decode\":",
        "\"preprocess\":",
        "\"forward\":",
        "\"postprocess\":",
        "\"total\":")) {
      assertTrue(line.contains(key), key + " in " + line);
    }
    Matcher m = Pattern.compile("\"name\":\"road\",\"pixels\":(\\d+)").matcher(line);
    assertTrue(m.find(), "the street scene has road: " + line);
  }

  @Test
  void inputsWithTheSameNameDoNotOverwriteEachOther() throws Exception {
    scene("in/x.png", 4, 96, 48);
    ImageIO.write(
        TestModels.scene(5, 80, 40).toBufferedImage(),
        "jpg",
        tmp.resolve("in/x.jpg").toFile());
    Path other = scene("other/X.png", 6, 64, 32);
    scene("in/solo.png", 7, 50, 30);
    Path out = tmp.resolve("out");
    CliRunner.Result r = CliRunner.run(
        "segment",
        tmp.resolve("in").toString(),
        other.toString(),
        "--model",
        TestModels.ENET.toString(),
        "--backend",
        "onnxruntime",
        "--out",
        out.toString());
    assertEquals(0, r.code(), r.err());
    // each output's size says which input it came from
    for (var e : List.of(
        List.of("x.jpg", 80, 40),
        List.of("x.png", 96, 48),
        List.of("X.png-2", 64, 32),
        List.of("solo", 50, 30))) {
      BufferedImage b = ImageIO.read(out.resolve(e.get(0) + ".overlay.png").toFile());
      assertEquals(e.get(1), b.getWidth(), e.get(0) + " " + r.err());
      assertEquals(e.get(2), b.getHeight(), e.get(0).toString());
    }
    assertFalse(Files.exists(out.resolve("x.overlay.png")), "no input keeps the shared name");
    assertTrue(
        r.err().contains("another input has the same name; its outputs are named x.jpg.*"),
        r.err());
    assertTrue(r.err().contains("4 done"), r.err());
  }

  @Test
  void aBatchGoesOnPastABadInputAndExitsOne() throws Exception {
    Path dir = tmp.resolve("in");
    scene("in/a.png", 2, 120, 60);
    Files.writeString(dir.resolve("b.png"), "this is not a png");
    scene("in/sub/c.png", 3, 64, 64);
    Path out = tmp.resolve("out");
    CliRunner.Result r = CliRunner.run(
        "segment", dir.toString(), "--model", TestModels.ENET.toString(), "--out", out.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(Files.isRegularFile(out.resolve("a.overlay.png")));
    assertTrue(
        Files.isRegularFile(out.resolve("sub/c.overlay.png")), "folders are walked recursively");
    assertFalse(Files.exists(out.resolve("b.classes.png")));
    assertTrue(r.err().contains("failed: " + dir.resolve("b.png")), r.err());
    assertTrue(r.err().contains("2 done, 1 failed"), r.err());
    try (var s = Files.walk(out)) {
      assertTrue(
          s.noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary files left");
    }
  }

  @Test
  void exitCodesAndOneLineErrors() throws Exception {
    Path img = scene("x.png", 4, 40, 30);
    String model = TestModels.ENET.toString();
    assertError(
        2,
        "unknown backend 'nope'",
        "segment",
        img.toString(),
        "--model",
        model,
        "--backend",
        "nope");
    assertError(2, "Unknown option", "segment", img.toString(), "--frobnicate");
    assertError(2, "Unmatched argument", "frobnicate");
    assertError(
        3,
        "no such model",
        "segment",
        img.toString(),
        "--model",
        tmp.resolve("missing").toString());
    assertError(
        4,
        "gpu",
        "segment",
        img.toString(),
        "--model",
        model,
        "--backend",
        "onnxruntime",
        "--device",
        "gpu");
    assertError(2, "device 'tpu'", "segment", img.toString(), "--model", model, "--device", "tpu");
    assertError(2, "alpha '2'", "segment", img.toString(), "--model", model, "--alpha", "2");
    Path cfg = tmp.resolve("bad.yaml");
    Files.writeString(cfg, "backend: onnxruntime\ncolour: red\n");
    assertError(
        3,
        "unknown key 'colour'",
        "segment",
        img.toString(),
        "--model",
        model,
        "--config",
        cfg.toString());
    Path badCard = tmp.resolve("badmodel");
    Files.createDirectories(badCard);
    Files.writeString(
        badCard.resolve("model.yaml"),
        "name: x\nclasses: [a, b]\ninput: {width: 8}\nfiles: {onnx: m.onnx}\n");
    assertError(3, "input.height", "segment", img.toString(), "--model", badCard.toString());
    assertError(
        3,
        "has 5 colors but model 'enet-streets' has 19 classes",
        "segment",
        img.toString(),
        "--model",
        model,
        "--palette",
        "generated:5");
    Path colors = tmp.resolve("colors.txt");
    Files.writeString(colors, "0 0 0\n255 0 0\n0 255 0\n");
    assertError(
        3,
        "has 3 colors but model 'enet-streets' has 19 classes",
        "segment",
        img.toString(),
        "--model",
        model,
        "--colors",
        colors.toString());
  }

  @Test
  void printConfigShowsWhereEachValueComesFrom() throws Exception {
    Path img = scene("y.png", 5, 40, 30);
    Path cfg = tmp.resolve("segmenter.yaml");
    Files.writeString(cfg, "backend: opencv\nalpha: 0.3\n");
    CliRunner.Result r = CliRunner.run(
        "segment",
        img.toString(),
        "--model",
        TestModels.ENET.toString(),
        "--config",
        cfg.toString(),
        "--alpha",
        "0.7",
        "--print-config",
        "--out",
        tmp.resolve("o").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.err().matches("(?s).*backend\\s+= opencv\\s+\\(file .*segmenter.yaml\\).*"), r.err());
    assertTrue(r.err().matches("(?s).*alpha\\s+= 0.7\\s+\\(flag --alpha\\).*"), r.err());
    assertTrue(r.err().matches("(?s).*device\\s+= cpu\\s+\\(default\\).*"), r.err());
  }

  @Test
  void transparentClassVoidColorAndFullLegend() throws Exception {
    Path img = scene("t.png", 8, 256, 128);
    Path out = tmp.resolve("t");
    CliRunner.Result r = CliRunner.run(
        "segment",
        img.toString(),
        "--model",
        TestModels.ENET.toString(),
        "--out",
        out.toString(),
        "--transparent",
        "road",
        "--legend-all",
        "--outputs",
        "classes,color,legend",
        "-q");
    assertEquals(0, r.code(), r.err());
    ClassMap map = PngOutputs.readClassIds(out.resolve("t.classes.png"));
    BufferedImage color = ImageIO.read(out.resolve("t.color.png").toFile());
    int roads = 0;
    for (int y = 0; y < 128; y++) {
      for (int x = 0; x < 256; x++) {
        int alpha = color.getRGB(x, y) >>> 24;
        assertEquals(map.get(x, y) == 0 ? 0 : 255, alpha, "alpha at " + x + "," + y);
        roads += map.get(x, y) == 0 ? 1 : 0;
      }
    }
    assertTrue(roads > 1000, "the scene has road");
    BufferedImage legend = ImageIO.read(out.resolve("t.legend.png").toFile());
    assertTrue(legend.getHeight() >= 40 + 28 * 19, "all 19 classes listed: " + legend.getHeight());
    assertError(
        2,
        "--void-color 300,0,0",
        "segment",
        img.toString(),
        "--model",
        TestModels.ENET.toString(),
        "--void-color",
        "300,0,0");
    assertError(
        2,
        "class 'unicorn'",
        "segment",
        img.toString(),
        "--model",
        TestModels.ENET.toString(),
        "--transparent",
        "unicorn");
  }

  @Test
  void backendsModelsAndPalettesList() {
    CliRunner.Result b = CliRunner.run("backends");
    assertEquals(0, b.code(), b.err());
    for (String n : List.of("onnxruntime", "opencv", "pytorch")) {
      assertTrue(b.out().matches("(?s).*\\n" + n + "\\s+yes\\s+\\d.*"), b.out());
    }
    CliRunner.Result p = CliRunner.run("palettes", "cityscapes", "--json");
    assertEquals(0, p.code());
    assertTrue(
        p.out()
            .replaceAll("\\s", "")
            .startsWith("[{\"id\":0,\"name\":\"road\",\"rgb\":[128,64,128]},"),
        p.out());
    CliRunner.Result m = CliRunner.run("models");
    assertEquals(0, m.code(), m.err());
    assertTrue(m.out().contains("enet-streets"), m.out());
  }

  private static void assertError(int code, String text, String... args) {
    CliRunner.Result r = CliRunner.run(args);
    assertEquals(code, r.code(), String.join(" ", args) + " -> " + r.err());
    assertTrue(r.err().contains(text), "'" + text + "' in: " + r.err());
    String[] lines = r.err().strip().split("\n");
    String last = lines[lines.length - 1];
    assertTrue(last.startsWith("segmenter: "), "one line error: " + r.err());
  }
}
