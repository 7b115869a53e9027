package dev.segmenter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a newcomer met in the first hour (issue 15): folders run twice, bad entries, up-front usage errors, messages. */
class NewcomerTest {
  @TempDir
  Path tmp;

  private static final String ENET = TestModels.ENET.toString();

  private Path scene(String name, long seed, int w, int h) throws Exception {
    Path f = tmp.resolve(name);
    Files.createDirectories(f.getParent());
    ImageIO.write(TestModels.scene(seed, w, h).toBufferedImage(), "png", f.toFile());
    return f;
  }

  private static long jsonLines(CliRunner.Result r) {
    return r.out().lines().filter(l -> l.startsWith("{")).count();
  }

  @Test
  void runningAFolderTwiceNeverReadsItsOwnOutputs() throws Exception {
    scene("dir/a.png", 1, 96, 48);
    Path dir = tmp.resolve("dir");
    Path out = dir.resolve("segmenter-out"); // the default output folder, inside the input folder
    for (int run = 1; run <= 3; run++) {
      CliRunner.Result r = CliRunner.run(
          "segment",
          dir.toString(),
          "--model",
          ENET,
          "--out",
          out.toString(),
          "--json",
          "--outputs",
          "classes,overlay,mask-road");
      assertEquals(0, r.code(), r.err());
      assertEquals(1, jsonLines(r), "run " + run + " segments a.png only: " + r.out());
      assertTrue(r.err().contains("1 done, 0 failed"), r.err());
    }
    assertFalse(Files.exists(out.resolve("segmenter-out")), "no segmenter-out/segmenter-out");
    try (var s = Files.list(out)) {
      assertEquals(
          List.of("a.classes.png", "a.mask-road.png", "a.overlay.png"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
    // outputs written elsewhere earlier (another --out) and copied next to the photos are not
    // inputs either
    Files.copy(out.resolve("a.overlay.png"), dir.resolve("a.overlay.png"));
    CliRunner.Result r = CliRunner.run(
        "segment",
        dir.toString(),
        "--model",
        ENET,
        "--out",
        tmp.resolve("o2").toString(),
        "--json");
    assertEquals(0, r.code(), r.err());
    assertEquals(1, jsonLines(r), r.out());
    // the copy, and the three outputs of the earlier runs in the folder that is no longer --out
    assertTrue(r.err().contains("skipped 4 file(s) named like segmenter outputs"), r.err());
  }

  @Test
  void aLinkLoopOrAnUnreadableFolderDoesNotDiscardTheRest() throws Exception {
    scene("t/x/photo.png", 2, 80, 40);
    Files.createSymbolicLink(tmp.resolve("t/x/up"), Path.of(".."));
    Path out = tmp.resolve("out");
    CliRunner.Result r = CliRunner.run(
        "segment", tmp.resolve("t").toString(), "--model", ENET, "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.isRegularFile(out.resolve("x/photo.overlay.png")), r.err());
    assertTrue(
        r.err().contains("up: skipped: a link back to a folder already being walked"), r.err());
    assertTrue(r.err().contains("1 done, 0 failed"), r.err());
  }

  @Test
  void anUnreadableSubfolderIsReportedAndTheRestProcessed() throws Exception {
    assumeFalse(
        "root".equals(System.getProperty("user.name")),
        "root reads every folder: no permission to deny");
    scene("t/a.png", 3, 80, 40);
    scene("t/locked/b.png", 4, 80, 40);
    Path locked = tmp.resolve("t/locked");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    try {
      Path out = tmp.resolve("out");
      CliRunner.Result r = CliRunner.run(
          "segment", tmp.resolve("t").toString(), "--model", ENET, "--out", out.toString());
      assertEquals(1, r.code(), r.err());
      assertTrue(Files.isRegularFile(out.resolve("a.overlay.png")), r.err());
      assertTrue(r.err().contains("failed: " + locked + ": permission denied"), r.err());
      assertTrue(r.err().contains("2 input(s)") && r.err().contains("1 done, 1 failed"), r.err());
      CliRunner.Result under = CliRunner.run(
          "segment", locked.resolve("b.png").toString(), "--model", ENET, "--out", out.toString());
      assertTrue(under.err().contains("permission denied"), under.err());
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void aPermissionProblemIsNotCalledAMissingFile() {
    assertEquals("permission denied", Inputs.problem(new AccessDeniedException("/x/y")));
    assertEquals("no such file or folder", Inputs.whyNot(tmp.resolve("nope.png")));
  }

  @Test
  void runWideOptionsAreOneUsageErrorBeforeAnyInput() throws Exception {
    Path img = scene("a.png", 5, 64, 32);
    Path out = tmp.resolve("out");
    CliRunner.Result r = CliRunner.run(
        "segment",
        img.toString(),
        "--model",
        ENET,
        "--out",
        out.toString(),
        "--outputs",
        "classes,mask-cat");
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.errLines().size(), "one line: " + r.err());
    assertTrue(
        r.err().contains("mask-cat")
            && r.err().contains("class 'cat' is not one of the model's classes"),
        r.err());
    assertFalse(
        Files.exists(out.resolve("a.classes.png")), "nothing written before the usage error");

    CliRunner.Result empty = CliRunner.run(
        "segment", img.toString(), "--model", ENET, "--out", out.toString(), "--outputs", "");
    assertEquals(2, empty.code(), empty.err());
    assertTrue(
        empty.err().contains("outputs '' is not accepted; accepted: at least one of"), empty.err());

    Path file = Files.writeString(tmp.resolve("results"), "a file, not a folder");
    for (Path o : List.of(file, file.resolve("sub"))) {
      CliRunner.Result f = CliRunner.run(
          "segment", img.toString(), img.toString(), "--model", ENET, "--out", o.toString());
      assertEquals(2, f.code(), f.err());
      assertEquals(1, f.errLines().size(), "one line, not one per image: " + f.err());
      assertTrue(
          f.err().contains("--out " + o + ": ") && f.err().contains("is a file, not a folder"),
          f.err());
      assertFalse(f.err().contains("FileAlreadyExistsException"), f.err());
    }
  }

  @Test
  void theHeaderAndTheSummaryCountTheSameInputs() throws Exception {
    Path a = scene("a.png", 6, 64, 32);
    Path b = scene("b.png", 7, 64, 32);
    CliRunner.Result r = CliRunner.run(
        "segment",
        a.toString(),
        tmp.resolve("missing.png").toString(),
        b.toString(),
        "--model",
        ENET,
        "--out",
        tmp.resolve("out").toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("3 input(s)"), r.err());
    assertTrue(r.err().contains("2 done, 1 failed"), r.err());
    assertTrue(r.err().contains("missing.png: no such file or folder"), r.err());
  }

  @Test
  void evalWithoutLabelsSaysWhereItLookedAndStops() throws Exception {
    Path images = tmp.resolve("photos");
    scene("photos/a.jpg.png", 8, 64, 32);
    Files.move(images.resolve("a.jpg.png"), images.resolve("a.jpg"));
    scene("photos/b.png", 9, 64, 32);
    CliRunner.Result r = CliRunner.run("eval", "--images", images.toString(), "--model", ENET);
    assertEquals(1, r.code(), r.err());
    assertEquals("", r.out(), "no table of NaN");
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("no label image for any of the 2 image(s)"), r.err());
    assertTrue(
        r.err()
            .contains(
                "looked for " + images.resolve("a.labels.png") + " or " + images.resolve("a.png")),
        r.err());
  }

  @Test
  void commandsOfferOnlyWhatTheyUseAndEveryOneHasAVersion() {
    for (String opt : List.of(
        "--outputs=all",
        "--alpha=0.3",
        "--transparent=road",
        "--legend-all",
        "--void-color=1,2,3")) {
      CliRunner.Result r = CliRunner.run("eval", "--images", tmp.toString(), opt);
      assertEquals(2, r.code(), opt + ": " + r.err());
      assertTrue(r.err().contains("Unknown option"), r.err());
    }
    CliRunner.Result demoHelp = CliRunner.run("demo", "--help");
    assertTrue(
        demoHelp.out().contains("--alpha") && !demoHelp.out().contains("--outputs"),
        demoHelp.out());
    assertTrue(CliRunner.run("segment", "--help").out().contains("--outputs"));
    for (String cmd : List.of("segment", "eval", "demo", "models", "bench")) {
      for (String flag : List.of("-V", "--version")) {
        CliRunner.Result v = CliRunner.run(cmd, flag);
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().startsWith("segmenter 0."), cmd + " " + flag + ": '" + v.out() + "'");
      }
    }
  }

  @Test
  void theModelSaysWhatItWasTrainedFor() throws Exception {
    Path img = scene("a.png", 10, 64, 32);
    Path out = tmp.resolve("out");
    CliRunner.Result r = CliRunner.run(
        "segment", img.toString(), "--model", ENET, "--out", out.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.err().contains("model enet-streets was trained for: generated dash-cam street scenes"),
        r.err());
    assertTrue(r.out().contains("\"domain\":\"generated dash-cam street scenes"), r.out());
    CliRunner.Result m = CliRunner.run("models");
    assertTrue(
        m.out().matches("(?s).*enet-streets .*for: generated dash-cam street scenes.*"), m.out());
    CliRunner.Result mj = CliRunner.run("models", "--json");
    assertTrue(mj.out().contains("\"domain\":\"generated dash-cam"), mj.out());
  }

  @Test
  void anImageTooLargeForTheHeapIsRefusedAndTheBatchGoesOn() throws Exception {
    Path dir = tmp.resolve("in");
    Files.createDirectories(dir);
    // 4000x3000 in one color: a small file that decodes to 36 MB and needs ~280 MB to segment and
    // draw
    ImageIO.write(
        new java.awt.image.BufferedImage(4000, 3000, java.awt.image.BufferedImage.TYPE_3BYTE_BGR),
        "png",
        dir.resolve("a-big.png").toFile());
    scene("in/b-small.png", 11, 96, 48);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(
            java.toString(),
            "-Xmx64m",
            "--add-modules",
            "jdk.incubator.vector",
            "-Dai.djl.offline=true",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "segment",
            dir.toString(),
            "--model",
            ENET,
            "--backend",
            "onnxruntime",
            "--out",
            tmp.resolve("out").toString())
        .redirectErrorStream(true)
        .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finishes");
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, p.exitValue(), log);
    assertTrue(
        log.matches(
            "(?s).*failed: .*a-big.png: 4000x3000 needs ~\\d+ MB, heap has \\d+ MB free of \\d+ MB "
                + "\\(raise -Xmx / SEGMENTER_JAVA_OPTS\\).*"),
        log);
    assertTrue(log.contains("1 done, 1 failed"), log);
    assertFalse(log.contains("OutOfMemoryError") || log.contains("corrupt"), log);
    assertTrue(Files.isRegularFile(tmp.resolve("out").resolve("b-small.overlay.png")), log);
    assertFalse(log.contains("\tat "), "no stack trace: " + log);
    assertTrue(new File(tmp.resolve("out").toString()).isDirectory());
  }
}
