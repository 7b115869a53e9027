package dev.segmenter.video;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.scenes.StreetScene;
import java.nio.file.Path;

/** Synthetic test clips: a camera panning across one generated street scene. */
final class Clips {
  private Clips() {}

  /** Frame {@code i} of a pan, 2 pixels per frame, across scene {@code seed}. */
  static BgrImage frame(BgrImage wide, int i, int w, int h) {
    byte[] data = new byte[w * h * 3];
    int x0 = 2 * i;
    for (int y = 0; y < h; y++) {
      System.arraycopy(wide.data(), (y * wide.width() + x0) * 3, data, y * w * 3, w * 3);
    }
    return new BgrImage(w, h, data);
  }

  static BgrImage wide(long seed, int frames, int w, int h) {
    return BgrImage.from(
        StreetScene.generate(1_000_000L + seed, w + 2 * frames, h).image());
  }

  /** Writes a pan of {@code frames} frames and returns its frames. */
  static BgrImage[] write(Path file, int frames, int w, int h, double fps) {
    BgrImage wide = wide(frames, frames, w, h);
    BgrImage[] out = new BgrImage[frames];
    try (VideoWriter vw = VideoWriter.open(file, w, h, fps)) {
      for (int i = 0; i < frames; i++) {
        out[i] = frame(wide, i, w, h);
        vw.write(out[i]);
      }
    }
    return out;
  }

  /** Mean absolute difference over all bytes. */
  static double meanAbsDiff(BgrImage a, BgrImage b) {
    long sum = 0;
    byte[] x = a.data();
    byte[] y = b.data();
    for (int i = 0; i < x.length; i++) {
      sum += Math.abs((x[i] & 0xff) - (y[i] & 0xff));
    }
    return (double) sum / x.length;
  }
}
