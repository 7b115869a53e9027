package dev.segmenter.spark;

import dev.segmenter.scenes.StreetScene;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The folder the Spark tests read: 24 street scenes (256x128, evaluation seeds) with their labels
 * ({@code scene-NN.png}, {@code scene-NN.labels.png}), and 3 corrupt images. Made once per JVM.
 */
final class TestScenes {
  static final int SCENES = 24;
  static final int WIDTH = 256;
  static final int HEIGHT = 128;
  /** Three files that are no image (a zero-byte file is not among them: Spark's file sources skip empty files). */
  static final List<String> CORRUPT =
      List.of("broken-header.jpg", "broken-text.png", "broken-truncated.png");

  private static Path dir;

  private TestScenes() {}

  static synchronized Path dir() {
    if (dir == null) {
      try {
        Path d = Files.createTempDirectory("segmenter-spark-scenes");
        for (int i = 0; i < SCENES; i++) {
          StreetScene.generate(1_000_000L + i, WIDTH, HEIGHT)
              .write(d, String.format("scene-%02d", i));
        }
        Files.write(d.resolve("broken-header.jpg"), new byte[] {
          (byte) 0xFF,
          (byte) 0xD8,
          (byte) 0xFF,
          (byte) 0xE0,
          0,
          16,
          'J',
          'F',
          'I',
          'F',
          0,
          1,
          1,
          0,
          0,
          1,
          0,
          1,
          0,
          0,
          (byte) 0xFF,
          (byte) 0xD9
        });
        Files.writeString(d.resolve("broken-text.png"), "not a picture\n");
        byte[] png = Files.readAllBytes(d.resolve("scene-00.png"));
        Files.write(d.resolve("broken-truncated.png"), Arrays.copyOf(png, png.length / 2));
        dir = d;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }

  /** A new folder holding the first {@code n} scene pictures (no labels) and the corrupt files. */
  static Path subset(Path parent, int n) throws IOException {
    Path d = Files.createDirectories(parent.resolve("subset-" + n));
    for (int i = 0; i < n; i++) {
      String name = String.format("scene-%02d.png", i);
      Files.copy(dir().resolve(name), d.resolve(name));
    }
    for (String c : CORRUPT) {
      Files.copy(dir().resolve(c), d.resolve(c));
    }
    return d;
  }

  /**
   * A local Spark: 2 task slots, 4 attempts per task (a failed task is retried), nothing listening beyond
   * loopback.
   */
  static SparkSession spark() {
    return SparkSession.builder()
        .master("local[2,4]")
        .appName("segmenter-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }
}
