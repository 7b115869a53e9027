package dev.segmenter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.image.ImageDecoder;
import dev.segmenter.engine.render.PngOutputs;
import dev.segmenter.scenes.StreetScene;
import dev.segmenter.video.VideoReader;
import dev.segmenter.video.VideoWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MP4 and WebM through the command line: the overlay video keeps the frame count, rate and size, and its frames are
 * the PNG overlay of the matching input frames; a cut-off MP4 keeps what was processed; garbage is one line.
 */
class VideoFormatsTest {
  static final int W = 256;
  static final int H = 128;
  static final int FRAMES = 48;

  @TempDir
  Path tmp;

  /** A camera panning 3 pixels per frame across one street scene. */
  static void writePan(Path file, int frames, double fps) {
    BgrImage wide =
        BgrImage.from(StreetScene.generate(1_000_777L, W + 3 * frames, H).image());
    try (VideoWriter w = VideoWriter.open(file, W, H, fps)) {
      for (int i = 0; i < frames; i++) {
        byte[] d = new byte[W * H * 3];
        for (int y = 0; y < H; y++) {
          System.arraycopy(wide.data(), (y * wide.width() + 3 * i) * 3, d, y * W * 3, W * 3);
        }
        w.write(new BgrImage(W, H, d));
      }
    }
  }

  static List<BgrImage> readAll(Path file) {
    List<BgrImage> out = new java.util.ArrayList<>();
    try (VideoReader r = VideoReader.open(file)) {
      for (BgrImage f; (f = r.read()) != null; ) {
        out.add(f);
      }
    }
    return out;
  }

  static double meanAbsDiff(BgrImage a, BgrImage b) {
    long sum = 0;
    for (int i = 0; i < a.data().length; i++) {
      sum += Math.abs((a.data()[i] & 0xff) - (b.data()[i] & 0xff));
    }
    return (double) sum / a.data().length;
  }

  @ParameterizedTest
  @CsvSource({"mp4, mp4", "webm, webm"})
  void overlayVideoKeepsCountRateSizeAndMatchesThePngOverlay(String ext, String outExt)
      throws IOException {
    Path in = tmp.resolve("drive." + ext);
    writePan(in, FRAMES, 24);
    Path out = tmp.resolve("out");
    CliRunner.Result r = CliRunner.run(
        "segment",
        in.toString(),
        "--model",
        TestModels.ENET.toString(),
        "--out",
        out.toString(),
        "--json",
        "-q");
    assertEquals(0, r.code(), r.err());
    Path video = out.resolve("drive.overlay." + outExt);
    assertTrue(r.out().contains("\"frames\":" + FRAMES), r.out());
    assertTrue(r.out().contains("\"output\":\"" + video + "\""), r.out());
    assertTrue(r.out().contains("\"encode\":"), r.out());
    try (VideoReader back = VideoReader.open(video)) {
      assertEquals(24.0, back.fps(), 1e-6);
      assertEquals(W, back.width());
      assertEquals(H, back.height());
    }
    List<BgrImage> inputs = readAll(in);
    List<BgrImage> overlays = readAll(video);
    assertEquals(FRAMES, overlays.size());
    // frame k of the overlay video = NAME.overlay.png of input frame k, up to the encoder's loss
    int[] ks = {0, 23, FRAMES - 1};
    String[] args = {
      "segment", "", "", "", "--model", TestModels.ENET.toString(), "--out", out.toString(), "-q"
    };
    for (int i = 0; i < ks.length; i++) {
      Path png = tmp.resolve("frame" + ks[i] + ".png");
      PngOutputs.writeImage(inputs.get(ks[i]), png);
      args[1 + i] = png.toString();
    }
    CliRunner.Result p = CliRunner.run(args);
    assertEquals(0, p.code(), p.err());
    for (int k : ks) {
      BgrImage expected = new ImageDecoder().read(out.resolve("frame" + k + ".overlay.png"));
      double own = meanAbsDiff(expected, overlays.get(k));
      double other = meanAbsDiff(expected, overlays.get((k + FRAMES / 2) % FRAMES));
      // H.264 at 0.2 bits/pixel: ~3 levels; VP8 realtime: ~6; a frame 24 frames off: ~25+
      assertTrue(
          own < 8 && own < other / 3,
          ext + " frame " + k + ": " + own + " vs another frame's " + other);
    }
  }

  @Test
  void aBackgroundVideoComesBesideTheOverlayWithEveryFrameOverTheColor() throws IOException {
    Path in = tmp.resolve("walk.mp4");
    writePan(in, 12, 12);
    Path out = tmp.resolve("out");
    CliRunner.Result r = CliRunner.run(
        "segment",
        in.toString(),
        "--model",
        "selfie",
        "--background",
        "0,255,0",
        "--out",
        out.toString(),
        "-q");
    assertEquals(0, r.code(), r.err());
    List<BgrImage> overlays = readAll(out.resolve("walk.overlay.mp4"));
    List<BgrImage> backgrounds = readAll(out.resolve("walk.background.mp4"));
    assertEquals(12, overlays.size());
    assertEquals(12, backgrounds.size());
    // frame 6 of the background video = NAME.background.png of input frame 6, up to the encoder's
    // loss
    Path png = tmp.resolve("frame6.png");
    PngOutputs.writeImage(readAll(in).get(6), png);
    CliRunner.Result p = CliRunner.run(
        "segment",
        png.toString(),
        "--model",
        "selfie",
        "--background",
        "0,255,0",
        "--outputs",
        "classes",
        "--out",
        out.toString(),
        "-q");
    assertEquals(0, p.code(), p.err());
    BgrImage expected = new ImageDecoder().read(out.resolve("frame6.background.png"));
    double own = meanAbsDiff(expected, backgrounds.get(6));
    double overlay = meanAbsDiff(expected, overlays.get(6));
    assertTrue(
        own < 8 && own < overlay,
        "background frame vs its PNG: " + own + " (the overlay: " + overlay + ")");
  }

  @Test
  void aCutOffMp4FailsWithOneLineAndKeepsTheFramesBeforeTheCut() throws IOException {
    Path in = tmp.resolve("cut.mp4");
    writePan(in, 24, 24);
    try (FileChannel ch = FileChannel.open(in, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    Path out = tmp.resolve("out");
    CliRunner.Result r = CliRunner.run(
        "segment",
        in.toString(),
        "--model",
        TestModels.ENET.toString(),
        "--out",
        out.toString(),
        "-q");
    assertEquals(1, r.code(), r.err());
    List<String> lines = r.errLines();
    assertEquals(1, lines.size(), r.err());
    Matcher m = Pattern.compile("segmenter: failed: " + Pattern.quote(in.toString())
            + ": the stream ends after frame (\\d+) of the 24 .*cut off.*; the (\\d+) frames before it are in "
            + Pattern.quote(out.resolve("cut.overlay.mp4").toString()))
        .matcher(lines.get(0));
    assertTrue(m.matches(), lines.get(0));
    int kept = Integer.parseInt(m.group(2));
    assertEquals(Integer.parseInt(m.group(1)), kept);
    assertTrue(kept > 3 && kept < 24, "kept " + kept);
    assertEquals(kept, readAll(out.resolve("cut.overlay.mp4")).size(), "the kept frames play");
    try (var files = Files.list(out)) {
      assertFalse(
          files.anyMatch(f -> f.getFileName().toString().contains(".part")),
          "no temporary file left");
    }
  }

  @Test
  void garbageAndUnsupportedFilesAreOneLineEach() throws IOException {
    Path garbage = tmp.resolve("noise.webm");
    byte[] noise = new byte[4096];
    new java.util.Random(3).nextBytes(noise);
    Files.write(garbage, noise);
    Path text = tmp.resolve("notes.mkv");
    Files.writeString(text, "just some text\n");
    CliRunner.Result r = CliRunner.run(
        "segment",
        garbage.toString(),
        text.toString(),
        "--model",
        TestModels.ENET.toString(),
        "--out",
        tmp.resolve("o").toString(),
        "-q");
    assertEquals(1, r.code(), r.err());
    List<String> lines = r.errLines();
    assertEquals(2, lines.size(), r.err());
    assertTrue(
        lines.get(0).startsWith("segmenter: failed: " + garbage + ": cannot open the video: "),
        lines.get(0));
    assertTrue(
        lines.get(1).startsWith("segmenter: failed: " + text + ": cannot open the video: "),
        lines.get(1));
  }
}
