import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.scenes.StreetScene;
import dev.segmenter.video.VideoReader;
import dev.segmenter.video.VideoWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Helper of video-bench.sh (run as a single-file program on the CLI's class path):
 * {@code make OUT W H FRAMES FPS} writes a clip of a camera panning across a street scene and prints the encoder's
 * ms/frame (after opening, flush included); {@code decode IN} reads a clip and prints the decoder's ms/frame (after opening: FFmpeg decode + BGR conversion + copy).
 */
public class VideoClip {
  public static void main(String[] a) {
    if (a[0].equals("make")) {
      Path out = Path.of(a[1]);
      int w = Integer.parseInt(a[2]);
      int h = Integer.parseInt(a[3]);
      int frames = Integer.parseInt(a[4]);
      double fps = Double.parseDouble(a[5]);
      int step = 2;
      int span = Math.min(frames, 400);
      BgrImage wide = BgrImage.from(StreetScene.generate(1_000_123L, w + step * span, h).image());
      long nanos = 0;
      try (VideoWriter vw = VideoWriter.open(out, w, h, fps)) {
        for (int i = 0; i < frames; i++) {
          int x0 = step * (i % (2 * span) < span ? i % span : span - i % span);
          byte[] d = new byte[w * h * 3];
          for (int y = 0; y < h; y++) {
            System.arraycopy(wide.data(), (y * wide.width() + x0) * 3, d, y * w * 3, w * 3);
          }
          long t0 = System.nanoTime();
          vw.write(new BgrImage(w, h, d));
          nanos += System.nanoTime() - t0;
        }
        long t0 = System.nanoTime();
        vw.close();
        nanos += System.nanoTime() - t0;
      }
      System.out.printf(Locale.ROOT, "encode %s %dx%d %d frames: %.2f ms/frame%n", out.getFileName(), w, h, frames,
          nanos / 1e6 / frames);
    } else {
      Path in = Path.of(a[1]);
      long t0;
      long n = 0;
      try (VideoReader r = VideoReader.open(in)) {
        t0 = System.nanoTime();
        while (r.read() != null) {
          n++;
        }
      }
      System.out.printf(Locale.ROOT, "decode %s %d frames: %.2f ms/frame%n", in.getFileName(), n,
          (System.nanoTime() - t0) / 1e6 / n);
    }
  }
}
