package dev.segmenter.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.image.BgrImage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames come out in order whatever order the workers finish in; errors keep what was written. */
class VideoPipelineTest {
  static final int W = 192;
  static final int H = 96;

  @TempDir
  Path tmp;

  /** The stage: the negative, after a random delay so that workers finish out of order. */
  static BgrImage negative(BgrImage in, Random random) {
    try {
      Thread.sleep(random.nextInt(8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] d = in.data().clone();
    for (int i = 0; i < d.length; i++) {
      d[i] = (byte) (255 - (d[i] & 0xff));
    }
    return new BgrImage(in.width(), in.height(), d);
  }

  @Test
  void framesComeOutInOrderWithBoundedFramesInFlight() {
    Path src = tmp.resolve("src.avi");
    BgrImage[] frames = Clips.write(src, 30, W, H, 10);
    Path dst = tmp.resolve("neg.avi");
    AtomicLong written = new AtomicLong();
    AtomicLong maxAhead = new AtomicLong();
    Random random = new Random(7);
    int depth = 5;
    VideoPipeline.Result r;
    try (VideoReader in = VideoReader.open(src);
        VideoWriter out = VideoWriter.open(dst, W, H, in.fps())) {
      r = new VideoPipeline(3, depth)
          .run(
              in,
              out,
              (index, image) -> {
                maxAhead.accumulateAndGet(index - written.get(), Math::max);
                return negative(image, random);
              },
              written::set);
    }
    assertEquals(30, r.frames());
    assertTrue(
        maxAhead.get() < depth,
        "frames in flight " + maxAhead.get() + " exceed the depth " + depth);
    try (VideoReader back = VideoReader.open(dst)) {
      for (int i = 0; i < 30; i++) {
        BgrImage f = back.read();
        double own = Clips.meanAbsDiff(negative(frames[i], new Random()), f);
        double other = Clips.meanAbsDiff(negative(frames[(i + 15) % 30], new Random()), f);
        assertTrue(
            own < 6 && own < other / 2, "frame " + i + ": " + own + " vs another frame's " + other);
      }
      assertEquals(null, back.read());
    }
  }

  @Test
  void aCutOffSourceKeepsTheFramesBeforeTheCutAndThenFails() throws IOException {
    Path src = tmp.resolve("cut.mp4");
    Clips.write(src, 40, W, H, 20);
    try (FileChannel ch = FileChannel.open(src, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    Path dst = tmp.resolve("out.mp4");
    long kept;
    try (VideoReader in = VideoReader.open(src);
        VideoWriter out = VideoWriter.open(dst, W, H, in.fps())) {
      VideoException e = assertThrows(
          VideoException.class, () -> new VideoPipeline(2, 4).run(in, out, (i, image) -> image));
      assertTrue(
          e.getMessage().startsWith(src.toString()) && e.getMessage().contains("cut off"),
          e.getMessage());
      kept = out.framesWritten();
      assertEquals(in.framesRead(), kept, "every frame decoded before the cut is written");
    }
    assertTrue(kept > 5 && kept < 40, "kept " + kept);
    try (VideoReader back = VideoReader.open(dst)) {
      long n = 0;
      while (back.read() != null) {
        n++;
      }
      assertEquals(kept, n, "the output is finished and holds every kept frame");
    }
  }

  @Test
  void aStageErrorStopsAtOnceAndIsRethrownAsItIs() {
    Path src = tmp.resolve("src.webm");
    Clips.write(src, 30, W, H, 10);
    Path dst = tmp.resolve("out.webm");
    IllegalStateException boom = new IllegalStateException("model broke on frame 12");
    try (VideoReader in = VideoReader.open(src);
        VideoWriter out = VideoWriter.open(dst, W, H, in.fps())) {
      RuntimeException e = assertThrows(
          RuntimeException.class,
          () -> new VideoPipeline(2, 4).run(in, out, (i, image) -> {
            if (i == 12) {
              throw boom;
            }
            return image;
          }));
      assertSame(boom, e);
      assertTrue(out.framesWritten() <= 12, "written " + out.framesWritten());
    }
  }
}
