package dev.segmenter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.model.ModelCards;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory of tiled inference grows with the image, not with image x classes: a 1600x1200 image with 24 classes
 * (184 MB of whole-image scores) segments in a child JVM whose heap is 64 MB, while the same image through the
 * whole-image path runs out of memory in that heap. A batch job of four such images on two inference slots fits
 * in the same heap: one band of scores per image being segmented, whatever number of tiles run.
 */
class TiledMemoryTest {
  @TempDir
  Path tmp;

  static final int W = 1600;
  static final int H = 1200;
  static final int CLASSES = 24;

  /** Child entry point: args = model dir, tiled|whole|tiled-batch. Prints the class of two pixels of each image. */
  public static void main(String[] args) {
    BgrImage img = BgrImage.allocate(W, H);
    byte[] d = img.data();
    for (int i = 0; i < W * H; i++) {
      d[3 * i + ((i % W) < W / 2 ? 0 : 2)] = (byte) 255; // left blue, right red
    }
    Segmenter.Builder b = Segmenter.builder()
        .model(Path.of(args[0]))
        .backend(TestOnlyConvBackend.NAME)
        .postprocessThreads(1);
    if (args[1].startsWith("tiled")) {
      b.tile(256, 64).tileOverlap(16);
    }
    if (args[1].equals("tiled-batch")) {
      try (Segmenter s = b.runtimeThreads(1).build();
          BatchJob job = s.batch(BatchJob.Options.withConcurrency(2).inFlight(4))) {
        List<BatchJob.Input> in = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          in.add(BatchJob.Input.of("img-" + i, img));
        }
        job.run(in.iterator(), item -> {
          if (item.failure() != null) {
            throw new IllegalStateException(item.input().name(), item.failure());
          }
          ClassMap m = item.result().classMap();
          System.out.println("classes " + m.get(10, 10) + " " + m.get(W - 10, H - 10));
        });
      }
      return;
    }
    try (Segmenter s = b.build()) {
      ClassMap m = s.segment(img).classMap();
      System.out.println("classes " + m.get(10, 10) + " " + m.get(W - 10, H - 10));
    }
  }

  private Path model(int w, int h) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("m" + w));
    StringBuilder classes = new StringBuilder("classes: [");
    StringBuilder weights = new StringBuilder("weights=");
    for (int k = 0; k < CLASSES; k++) {
      classes.append(k == 0 ? "" : ", ").append("c").append(k);
      // an RGB network: class 0 follows blue, class 2 red, the rest a constant below them
      weights
          .append(k == 0 ? "" : "; ")
          .append(k == 0 ? "0 0 1" : k == 2 ? "1 0 0" : "0.1 0.1 0.1");
    }
    Files.writeString(
        dir.resolve(ModelCards.CARD_FILE),
        "name: mem\n" + classes + "]\n"
            + "input: {width: " + w + ", height: " + h
            + ", color: RGB, scale: 0.00392156862745098}\n"
            + "files: {onnx: conv.onnx}\n");
    Files.writeString(dir.resolve("conv.onnx"), weights + "\n");
    return dir;
  }

  private static String child(Path dir, String mode, StringBuilder out)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m",
        "-XX:+UseSerialGC",
        "-Dai.djl.offline=true",
        "-cp",
        System.getProperty("java.class.path"),
        TiledMemoryTest.class.getName(),
        dir.toString(),
        mode));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] all = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child finished");
    out.append(new String(all, StandardCharsets.UTF_8));
    return p.exitValue() == 0 ? "ok" : "failed";
  }

  @Test
  void tiledMemoryGrowsWithTheImageNotWithImageTimesClasses()
      throws IOException, InterruptedException {
    StringBuilder tiled = new StringBuilder();
    assertEquals("ok", child(model(256, 64), "tiled", tiled), tiled.toString());
    assertTrue(tiled.toString().contains("classes 0 2"), tiled.toString());
    StringBuilder batch = new StringBuilder();
    assertEquals("ok", child(model(256, 64), "tiled-batch", batch), batch.toString());
    assertEquals(4, batch.toString().split("classes 0 2", -1).length - 1, batch.toString());
    StringBuilder whole = new StringBuilder();
    assertEquals(
        "failed",
        child(model(W, H), "whole", whole),
        "the whole-image path must not fit: " + whole);
    assertTrue(whole.toString().contains("OutOfMemoryError"), whole.toString());
  }
}
