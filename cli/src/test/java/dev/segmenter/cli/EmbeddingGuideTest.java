package dev.segmenter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ClassMap;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The complete programs of docs/EMBEDDING.md compile and run as written, in a fresh JVM, in a folder holding street.png. */
class EmbeddingGuideTest {
  @TempDir
  Path tmp;

  private final Map<String, String> programs = new LinkedHashMap<>();

  @BeforeEach
  void compileTheGuide() throws Exception {
    String guide =
        Files.readString(TestModels.ROOT.resolve("docs/EMBEDDING.md"), StandardCharsets.UTF_8);
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(guide);
    List<String> files = new ArrayList<>();
    while (block.find()) {
      Matcher name = Pattern.compile("public class (\\w+)").matcher(block.group(1));
      assertTrue(
          name.find(), "each java block of the guide is a complete class:\n" + block.group(1));
      programs.put(name.group(1), block.group(1));
      Path src = tmp.resolve(name.group(1) + ".java");
      Files.writeString(src, block.group(1));
      files.add(src.toString());
    }
    assertTrue(
        programs.keySet().containsAll(List.of("ClassHistogram", "SegmentFolder", "DrawOverlay")),
        programs.keySet().toString());
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(
        List.of("-cp", System.getProperty("java.class.path"), "-d", tmp.toString()));
    args.addAll(files);
    assertEquals(
        0,
        javac.run(null, null, null, args.toArray(String[]::new)),
        "the guide's programs compile");
    ImageIO.write(
        TestModels.scene(7, 640, 320).toBufferedImage(),
        "png",
        tmp.resolve("street.png").toFile());
  }

  private String run(String program, String... args) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>(List.of(
        java.toString(),
        "--add-modules",
        "jdk.incubator.vector",
        "-Dai.djl.offline=true",
        "-Dsegmenter.cache=" + tmp.resolve("cache"),
        "-cp",
        tmp + File.pathSeparator + System.getProperty("java.class.path"),
        program));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd)
        .directory(tmp.toFile())
        .redirectErrorStream(true)
        .start();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), program + " finishes");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void classHistogramPrintsEachClassWithItsShareAndBox() throws Exception {
    String out = run("ClassHistogram");
    System.out.println(out);
    assertTrue(out.contains("model trained for: generated dash-cam street scenes"), out);
    Matcher road = Pattern.compile("road pixels: (\\d+)").matcher(out);
    assertTrue(road.find(), out);
    Matcher row = Pattern.compile(
            "(?m)^road +(\\d+) px +[0-9.]+% +bbox \\[x=(\\d+), y=(\\d+), w=(\\d+), h=(\\d+)]$")
        .matcher(out);
    assertTrue(row.find(), out);
    assertEquals(road.group(1), row.group(1), "pixelsPerClass and ClassStats agree");
    int x = Integer.parseInt(row.group(2));
    int w = Integer.parseInt(row.group(4));
    assertTrue(
        x >= 0 && w > 0 && x + w <= 640, "the box lies inside the 640 px wide image: " + out);
  }

  @Test
  void segmentFolderWritesEveryClassMapInOrderAndNamesTheBrokenFile() throws Exception {
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    for (int i = 0; i < 5; i++) {
      ImageIO.write(
          TestModels.scene(20 + i, 320, 160).toBufferedImage(),
          "png",
          photos.resolve("p" + i + ".png").toFile());
    }
    Files.writeString(photos.resolve("p5.png"), "not a png");
    String out = run("SegmentFolder", "photos", "classes");
    List<String> lines = out.lines()
        .filter(l -> l.startsWith("wrote ") || l.startsWith("failed: "))
        .toList();
    assertEquals(6, lines.size(), out);
    for (int i = 0; i < 5; i++) {
      assertTrue(
          lines.get(i).startsWith("wrote classes")
              && lines.get(i).endsWith("p" + i + ".classes.png"),
          out);
      ClassMap map = dev.segmenter.engine.render.PngOutputs.readClassIds(
          tmp.resolve("classes/p" + i + ".classes.png"));
      try (var seg =
          dev.segmenter.engine.Segmenter.builder().model("enet-streets").build()) {
        ClassMap want = seg.segment(photos.resolve("p" + i + ".png")).classMap();
        assertEquals(1.0, want.agreement(map), "class map of p" + i);
      }
    }
    assertTrue(
        lines.get(5).startsWith("failed: ") && lines.get(5).contains("p5.png at DECODE"), out);
    assertTrue(out.contains("5 done, 1 failed"), out);
  }

  @Test
  void drawOverlayWritesAnOverlayAndACutoutInTheCardsColors() throws Exception {
    String out = run("DrawOverlay");
    assertTrue(out.contains("wrote overlay.png and cutout.png for 19 colors"), out);
    BufferedImage image = ImageIO.read(tmp.resolve("street.png").toFile());
    BufferedImage overlay = ImageIO.read(tmp.resolve("overlay.png").toFile());
    BufferedImage cutout = ImageIO.read(tmp.resolve("cutout.png").toFile());
    assertEquals(640, overlay.getWidth());
    assertEquals(320, cutout.getHeight());
    // segment the same image here: each overlay pixel is half image, half the cityscapes color of
    // its class
    ClassMap map;
    try (var seg =
        dev.segmenter.engine.Segmenter.builder().model("enet-streets").build()) {
      map = seg.segment(tmp.resolve("street.png")).classMap();
    }
    var palette = dev.segmenter.palettes.Palettes.cityscapes();
    int opaque = 0;
    for (int y = 0; y < 320; y += 7) {
      for (int x = 0; x < 640; x += 7) {
        int id = map.get(x, y);
        int img = image.getRGB(x, y);
        int want = palette.rgb(id);
        for (int shift = 0; shift <= 16; shift += 8) {
          int blended = (int) Math.round(((img >> shift & 0xFF) + (want >> shift & 0xFF)) / 2.0);
          assertTrue(
              Math.abs((overlay.getRGB(x, y) >> shift & 0xFF) - blended) <= 1,
              "overlay at " + x + "," + y);
        }
        int alpha = cutout.getRGB(x, y) >>> 24;
        assertEquals(
            id == 13 || id == 11 ? 255 : 0,
            alpha,
            "cut-out alpha at " + x + "," + y + " (class " + id + ")");
        opaque += alpha == 255 ? 1 : 0;
      }
    }
    assertTrue(opaque > 0, "the scene has cars or people");
  }
}
