package dev.segmenter.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.image.BgrImage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Frames written in each format come back with the same count, rate, size and (nearly) the same pixels. */
class VideoIoTest {
  static final int W = 256;
  static final int H = 128;

  @TempDir
  Path tmp;

  @ParameterizedTest
  @EnumSource(VideoFormat.class)
  void framesComeBackInEveryFormat(VideoFormat format) {
    Path file = tmp.resolve("pan." + format.extension());
    BgrImage[] frames = Clips.write(file, 24, W, H, 12);
    try (VideoReader in = VideoReader.open(file)) {
      assertEquals(W, in.width());
      assertEquals(H, in.height());
      assertEquals(12.0, in.fps(), 1e-6);
      if (format != VideoFormat.WEBM && format != VideoFormat.MKV) {
        assertEquals(24, in.frameCount().orElse(-1), "declared frame count");
      }
      int n = 0;
      double worst = 0;
      for (BgrImage f; (f = in.read()) != null; n++) {
        worst = Math.max(worst, Clips.meanAbsDiff(frames[n], f));
      }
      assertEquals(24, n);
      // lossy codecs at 0.2+ bits per pixel: a few levels on average, never a wrong or shifted
      // frame (~40+)
      assertTrue(worst < 8, format + ": worst mean abs difference " + worst);
      assertNull(in.read(), "stays at the end");
      in.close();
      in.close();
      assertThrows(IllegalStateException.class, in::read);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = VideoFormat.class,
      names = {"MP4", "WEBM", "AVI"})
  void aCutOffFileGivesItsFramesThenOneLineNamingTheFile(VideoFormat format) throws IOException {
    Path file = tmp.resolve("cut." + format.extension());
    Clips.write(file, 48, W, H, 24);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() * 6 / 10);
    }
    int n = 0;
    VideoException e;
    try (VideoReader in = VideoReader.open(file)) {
      e = assertThrows(VideoException.class, () -> {
        while (in.read() != null) {
          // counted below
        }
      });
      n = (int) in.framesRead();
    }
    assertTrue(n > 10 && n < 48, format + ": frames before the cut: " + n);
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("cut off"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void garbageIsOneLine() throws IOException {
    Path file = tmp.resolve("garbage.mp4");
    Files.writeString(file, "not a video at all, just text");
    VideoException e = assertThrows(VideoException.class, () -> VideoReader.open(file));
    assertTrue(
        e.getMessage()
            .startsWith(
                file + ": cannot open the video: Invalid data found when processing input ("),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void aPictureIsNoVideo() throws IOException {
    Path file = tmp.resolve("still.mp4");
    Files.write(file, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    VideoException e = assertThrows(VideoException.class, () -> VideoReader.open(file));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }

  @Test
  void missingFileUnknownExtensionAndOddSizesAreRefused() {
    VideoException missing =
        assertThrows(VideoException.class, () -> VideoReader.open(tmp.resolve("none.mp4")));
    assertEquals(tmp.resolve("none.mp4") + ": no such video file", missing.getMessage());
    VideoException ext =
        assertThrows(VideoException.class, () -> VideoWriter.open(tmp.resolve("x.gif"), W, H, 25));
    assertTrue(
        ext.getMessage().contains("accepted: .mp4, .mov, .mkv, .webm, .avi"), ext.getMessage());
    VideoException odd = assertThrows(
        VideoException.class, () -> VideoWriter.open(tmp.resolve("x.mp4"), 255, 128, 25));
    assertTrue(odd.getMessage().contains("e.g. 256x128"), odd.getMessage());
  }

  @Test
  void writerCloseIsIdempotentAndWriteAfterCloseFails() {
    Path file = tmp.resolve("twice.mp4");
    VideoWriter w = VideoWriter.open(file, W, H, 25);
    w.write(BgrImage.allocate(W, H));
    w.close();
    w.close();
    assertThrows(IllegalStateException.class, () -> w.write(BgrImage.allocate(W, H)));
    assertThrows(VideoException.class, () -> {
      try (VideoWriter w2 = VideoWriter.open(tmp.resolve("size.mp4"), W, H, 25)) {
        w2.write(BgrImage.allocate(W, H + 2));
      }
    });
  }
}
