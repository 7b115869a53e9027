package dev.segmenter.scenes;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a batch of street scenes: {@code --count N --seed S --size WxH --out DIR} writes
 * {@code DIR/NNNN.png} and {@code DIR/NNNN.labels.png}; scene {@code i} uses seed {@code S + i}.
 */
public final class SceneWriter {
  private SceneWriter() {}

  public static void main(String[] args) {
    int count = 100;
    long seed = 1;
    int width = 512;
    int height = 256;
    Path out = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + a + " needs a value");
        }
        String v = args[++i];
        switch (a) {
          case "--count" -> count = Integer.parseInt(v);
          case "--seed" -> seed = Long.parseLong(v);
          case "--size" -> {
            String[] p = v.toLowerCase().split("x");
            if (p.length != 2) {
              throw new IllegalArgumentException("--size must be WxH, e.g. 512x256, got " + v);
            }
            width = Integer.parseInt(p[0]);
            height = Integer.parseInt(p[1]);
          }
          case "--out" -> out = Path.of(v);
          default ->
            throw new IllegalArgumentException(
                "unknown option " + a + "; accepted: --count N --seed S --size WxH --out DIR");
        }
      }
      if (out == null) {
        throw new IllegalArgumentException("--out DIR is required");
      }
      if (count < 0) {
        throw new IllegalArgumentException("--count must be >= 0, got " + count);
      }
      long t0 = System.nanoTime();
      int n = write(count, seed, width, height, out);
      System.out.printf(
          "wrote %d scenes %dx%d to %s in %.1f s%n",
          n, width, height, out, (System.nanoTime() - t0) / 1e9);
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("scene-writer: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Writes {@code count} scenes with seeds {@code seed .. seed+count-1}; returns the number written. */
  public static int write(int count, long seed, int width, int height, Path out)
      throws IOException {
    int digits = Math.max(4, String.valueOf(Math.max(0, count - 1)).length());
    String fmt = "%0" + digits + "d";
    for (int i = 0; i < count; i++) {
      StreetScene.generate(seed + i, width, height).write(out, String.format(fmt, i));
    }
    return count;
  }
}
