package dev.segmenter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.scenes.StreetScene;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code segment} on the streaming batch: the same files whatever the parallelism, and what a user gets when the
 * run is interrupted or its outputs cannot be written (each image has all of its outputs or none).
 */
@Timeout(600)
class BatchCliTest {
  @TempDir
  Path tmp;

  private static final Path TINY = TestModels.TESTNETS.resolve("tiny-nchw");

  private Path scenes(String name, int n, int w, int h) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (int i = 0; i < n; i++) {
      ImageIO.write(
          StreetScene.generate(1_000_000L + i, w + 8 * (i % 3), h).image(),
          "png",
          dir.resolve(String.format("%04d.png", i)).toFile());
    }
    return dir;
  }

  /** Every file under {@code dir}, relative path -> bytes (NAME.json with its timings taken out). */
  private static TreeMap<String, String> files(Path dir) throws IOException {
    TreeMap<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        byte[] b = Files.readAllBytes(f);
        String key = dir.relativize(f).toString();
        m.put(
            key,
            key.endsWith(".json")
                ? withoutTimings(new String(b, StandardCharsets.UTF_8))
                : java.util.HexFormat.of()
                    .formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(b)));
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    return m;
  }

  private static String withoutTimings(String json) {
    return json.replaceAll("\"timings_ms\":\\{[^}]*}", "");
  }

  @Test
  void theSameFilesAndJsonLinesWhateverTheParallelism() throws IOException {
    Path in = scenes("in", 9, 256, 128);
    for (String backend : List.of("onnxruntime", "opencv")) {
      TreeMap<String, String> first = null;
      String firstJson = null;
      for (String[] split : new String[][] {{"1", "1"}, {"3", "1"}, {"2", "2"}}) {
        Path out = tmp.resolve("out-" + backend + "-" + split[0] + "x" + split[1]);
        CliRunner.Result r = CliRunner.run(
            "segment",
            in.toString(),
            "-o",
            out.toString(),
            "-b",
            backend,
            "--concurrency",
            split[0],
            "-t",
            split[1],
            "--json",
            "-q",
            "--outputs",
            "classes,color,overlay,indexed,legend,masks,cutout,json");
        assertEquals(ExitCode.OK, r.code(), r.err());
        TreeMap<String, String> got = files(out);
        String json = withoutTimings(r.out());
        assertEquals(9, json.lines().count(), r.out());
        assertTrue(got.size() >= 9 * 7, "files: " + got.keySet());
        if (first == null) {
          first = got;
          firstJson = json;
        } else {
          assertEquals(
              first,
              got,
              backend + " " + split[0] + " x " + split[1] + " threads wrote other bytes");
          assertEquals(
              firstJson,
              json,
              backend + " " + split[0] + " x " + split[1] + " printed other JSON lines");
        }
      }
    }
  }

  @Test
  void jsonLinesThatCannotBeWrittenStopTheRunWithExit5() throws Exception {
    Path in = scenes("in", 6, 64, 48);
    Process p = launch(
        List.of(
            "segment",
            in.toString(),
            "-m",
            TINY.toString(),
            "-b",
            "onnxruntime",
            "--json",
            "-o",
            tmp.resolve("out").toString()),
        new File("/dev/full"));
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not end");
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(ExitCode.OUTPUT_FAILED, p.exitValue(), err);
    assertTrue(
        err.contains("segmenter: stopped: cannot write the JSON lines to standard output"), err);
    assertFalse(err.contains("6 done, 0 failed"), err);
  }

  @Test
  void ctrlCFinishesTheImagesBeingWrittenSkipsTheRestAndExits130() throws Exception {
    Path in = scenes("in", 120, 320, 160);
    Path out = tmp.resolve("out");
    Process p = launch(
        List.of(
            "segment",
            in.toString(),
            "-b",
            "onnxruntime",
            "--concurrency",
            "1",
            "-t",
            "1",
            "-o",
            out.toString()),
        null);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (count(out, ".overlay.png") < 3 && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(p.isAlive(), "the run ended before it could be interrupted");
    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not stop after SIGINT");
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(130, p.exitValue(), err);
    assertTrue(err.contains("(interrupted)") && err.contains("not processed"), err);
    assertAllOrNone(out, List.of("classes.png", "color.png", "overlay.png"));
    int done = count(out, ".overlay.png");
    assertTrue(done >= 3 && done < 120, "images written: " + done);
    assertTrue(err.contains(done + " done, 0 failed"), err);
  }

  @Test
  void aFullDiskStopsTheRunAtOnceWithTheCauseAndExit5() throws Exception {
    Path disk = Files.createDirectories(tmp.resolve("small-disk"));
    Process mount = new ProcessBuilder(
            "mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", disk.toString())
        .redirectErrorStream(true)
        .start();
    boolean mounted = mount.waitFor(20, TimeUnit.SECONDS) && mount.exitValue() == 0;
    Assumptions.assumeTrue(
        mounted,
        "skipped: cannot mount a small tmpfs here (needs root): "
            + new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    try {
      Path in = scenes("in", 30, 320, 160);
      CliRunner.Result r = CliRunner.run(
          "segment",
          in.toString(),
          "-m",
          TINY.toString(),
          "-b",
          "onnxruntime",
          "-o",
          disk.toString());
      assertEquals(ExitCode.OUTPUT_FAILED, r.code(), r.err());
      String stopped = r.errLines().stream()
          .filter(l -> l.startsWith("segmenter: stopped: "))
          .findFirst()
          .orElse("");
      assertTrue(stopped.contains("No space left on device"), r.err());
      assertAllOrNone(disk, List.of("classes.png", "color.png", "overlay.png"));
      int done = count(disk, ".overlay.png");
      assertTrue(done < 30, "images written: " + done);
      assertTrue(r.err().contains("not processed"), r.err());
    } finally {
      new ProcessBuilder("umount", disk.toString()).start().waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void anImageWhoseOutputCannotBeRenamedKeepsNoneOfItsOutputsAndTheOthersGoOn() throws IOException {
    Path in = scenes("in", 4, 64, 48);
    Path out = tmp.resolve("out");
    Files.createDirectories(out.resolve("0001.overlay.png").resolve("blocker"));
    CliRunner.Result r = CliRunner.run(
        "segment", in.toString(), "-m", TINY.toString(), "-b", "onnxruntime", "-o", out.toString());
    assertEquals(ExitCode.INPUT_FAILED, r.code(), r.err());
    assertTrue(r.err().contains("3 done, 1 failed"), r.err());
    assertTrue(r.err().contains("0001.overlay.png"), r.err());
    assertFalse(Files.exists(out.resolve("0001.classes.png")), "classes of the failed image kept");
    assertFalse(Files.exists(out.resolve("0001.color.png")), "color of the failed image kept");
    for (String n : List.of("0000", "0002", "0003")) {
      assertTrue(Files.isRegularFile(out.resolve(n + ".overlay.png")), n);
    }
    assertEquals(List.of(), temporaries(out));
  }

  @Test
  void skipExistingResumesAndStaleTemporariesAreRemoved() throws IOException {
    Path in = scenes("in", 4, 64, 48);
    Path out = tmp.resolve("out");
    String[] args = {
      "segment",
      in.toString(),
      "-m",
      TINY.toString(),
      "-b",
      "onnxruntime",
      "-o",
      out.toString(),
      "--skip-existing"
    };
    CliRunner.Result r = CliRunner.run(args);
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertTrue(r.err().contains("4 done, 0 failed"), r.err());
    Path stale = Files.writeString(out.resolve(".0002.color.png.8812.segmenter.tmp"), "half");
    Path old = Files.writeString(out.resolve(".0003.overlay.png.123456.tmp"), "half");
    Path notOurs = Files.writeString(out.resolve("notes.tmp"), "keep");
    r = CliRunner.run(args);
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertTrue(r.err().contains("0 done, 0 failed, 4 skipped"), r.err());
    assertTrue(r.err().contains("removed 2 temporary file(s)"), r.err());
    assertFalse(Files.exists(stale) || Files.exists(old));
    assertTrue(Files.exists(notOurs));
    // an input changed after its outputs were written is done again; a missing output too
    Files.setLastModifiedTime(
        in.resolve("0001.png"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    Files.delete(out.resolve("0002.classes.png"));
    r = CliRunner.run(args);
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertTrue(r.err().contains("2 done, 0 failed, 2 skipped"), r.err());
  }

  private static Process launch(List<String> args, File stdout) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules",
        "jdk.incubator.vector",
        "-Dai.djl.offline=true",
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("OPENCV_LOG_LEVEL", "SILENT");
    pb.redirectOutput(
        stdout != null ? ProcessBuilder.Redirect.to(stdout) : ProcessBuilder.Redirect.DISCARD);
    return pb.start();
  }

  private static int count(Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return (int) s.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
    }
  }

  private static List<Path> temporaries(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(f -> f.getFileName().toString().startsWith(".")
              || f.getFileName().toString().endsWith(".tmp"))
          .toList();
    }
  }

  /** Each image NAME has every one of its outputs or none; no temporary file is left. */
  private static void assertAllOrNone(Path out, List<String> suffixes) throws IOException {
    assertEquals(List.of(), temporaries(out), "temporaries left");
    TreeMap<String, List<String>> byImage = new TreeMap<>();
    try (Stream<Path> s = Files.list(out)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        String n = f.getFileName().toString();
        String base = n.substring(0, n.indexOf('.'));
        byImage.computeIfAbsent(base, k -> new ArrayList<>()).add(n.substring(n.indexOf('.') + 1));
      }
    }
    for (var e : byImage.entrySet()) {
      List<String> got = new ArrayList<>(e.getValue());
      got.sort(null);
      List<String> want = new ArrayList<>(suffixes);
      want.sort(null);
      assertArrayEquals(want.toArray(), got.toArray(), "outputs of " + e.getKey());
      for (String suffix : suffixes) {
        assertTrue(
            Files.size(out.resolve(e.getKey() + "." + suffix)) > 0,
            e.getKey() + "." + suffix + " is empty");
      }
    }
  }
}
