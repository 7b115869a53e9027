package dev.segmenter.cli.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.cli.CliRunner;
import dev.segmenter.cli.ExitCode;
import dev.segmenter.scenes.StreetScene;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Good images with 20 bad ones mixed in: the good are written, every bad one is named, exit 1, no temp files. */
class BatchTest {

  @Test
  @Timeout(300)
  void goodImagesWrittenBadOnesNamedExitOne() throws Exception {
    long seed = Cli.seed("batch");
    Path work = Cli.workDir("batch");
    Path in = work.resolve("in");
    Path out = work.resolve("out");
    Files.createDirectories(in.resolve("sub"));
    List<ImageCorpus.Case> corpus = ImageCorpus.write(
        work.resolve("corpus"), seed, Cli.testnet("tiny-nchw").resolve("net.onnx"));
    Random rnd = new Random(seed);
    List<String> good = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String name = (i % 3 == 0 ? "sub/" : "") + "good-" + i + (i % 2 == 0 ? ".png" : ".jpg");
      ImageIO.write(
          StreetScene.generate(seed + i, 40 + rnd.nextInt(200), 30 + rnd.nextInt(150))
              .image(),
          i % 2 == 0 ? "png" : "jpeg",
          in.resolve(name).toFile());
      good.add(name);
    }
    // 20 bad files of as many kinds as the corpus has, spread over the folder
    List<ImageCorpus.Case> refused = corpus.stream()
        .filter(c -> c.expect() == ImageCorpus.Expect.REFUSED
            || c.expect() == ImageCorpus.Expect.REFUSED_BY_LIMIT)
        .toList();
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ImageCorpus.Case c = refused.get((int) ((long) i * refused.size() / 20));
      String ext = c.file().getFileName().toString().replaceFirst(".*\\.", "");
      String name = (i % 4 == 0 ? "sub/" : "") + "bad-" + i + "-" + c.name() + "." + ext;
      Files.copy(c.file(), in.resolve(name));
      bad.add(name);
    }
    CliRunner.Result r = Cli.run(
        "segment",
        in.toString(),
        "-m",
        Cli.testnet("tiny-nchw").toString(),
        "-b",
        "onnxruntime",
        "-t",
        "1",
        "-o",
        out.toString(),
        "--outputs",
        "classes,color,overlay,json");
    assertEquals(ExitCode.INPUT_FAILED, r.code(), r.err());
    assertTrue(r.err().contains(good.size() + " done, " + bad.size() + " failed"), r.err());
    for (String g : good) {
      String base = g.replaceFirst("\\.[^.]+$", "");
      for (String suffix : List.of("classes.png", "color.png", "overlay.png", "json")) {
        Path f = out.resolve(base + "." + suffix);
        assertTrue(
            Files.isRegularFile(f) && Files.size(f) > 0, "missing " + f + "; stderr: " + r.err());
      }
    }
    List<String> failedLines =
        r.errLines().stream().filter(l -> l.startsWith("segmenter: failed: ")).toList();
    assertEquals(bad.size(), failedLines.size(), r.err());
    for (String b : bad) {
      Path p = in.resolve(b);
      assertEquals(
          1,
          failedLines.stream()
              .filter(l -> l.startsWith("segmenter: failed: " + p + ": "))
              .count(),
          b + " is not named once in: " + r.err());
      assertFalse(Files.exists(out.resolve(b.replaceFirst("\\.[^.]+$", "") + ".classes.png")), b);
    }
    try (Stream<Path> s = Files.walk(out)) {
      List<Path> stray = s.filter(Files::isRegularFile)
          .filter(f -> {
            String n = f.getFileName().toString();
            return n.startsWith(".") || n.endsWith(".tmp") || n.startsWith("bad-");
          })
          .toList();
      assertTrue(stray.isEmpty(), "temporary or partial files left: " + stray);
    }
    try (Stream<Path> s = Files.walk(out)) {
      assertEquals(good.size() * 4L, s.filter(Files::isRegularFile).count(), "files in " + out);
    }
  }
}
