package dev.segmenter.cli.robust;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.scenes.StreetScene;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** close() is idempotent, use after close is an IllegalStateException, and open/close cycles do not leak memory. */
class LifecycleTest {
  static final Path MODEL = Cli.testnet("tiny-nchw");
  static final BgrImage IMAGE = BgrImage.from(StreetScene.generate(7, 120, 90).image());

  private static Segmenter open(String backend) {
    return Segmenter.builder()
        .model(MODEL)
        .backend(backend)
        .runtimeThreads(1)
        .postprocessThreads(1)
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"onnxruntime", "opencv", "pytorch"})
  @Timeout(120)
  void closeIsIdempotentAndUseAfterCloseThrows(String backend) throws Exception {
    Path png = Cli.workDir("lifecycle-" + backend).resolve("img.png");
    ImageIO.write(IMAGE.toBufferedImage(), "png", png.toFile());
    Segmenter s = open(backend);
    ClassMap before = s.segment(IMAGE).classMap();
    assertEquals(IMAGE.width(), before.width());
    s.close();
    assertDoesNotThrow(s::close, "second close");
    assertDoesNotThrow(s::close, "third close");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.segment(IMAGE));
    assertTrue(
        e.getMessage().contains("closed") && e.getMessage().contains("tiny-nchw"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> s.segment(png));
    assertThrows(IllegalStateException.class, () -> s.segment(IMAGE.toBufferedImage()));
    assertThrows(IllegalStateException.class, s::device);
    // a fresh segmenter on the same model is unaffected
    try (Segmenter again = open(backend)) {
      assertEquals(1.0, again.segment(IMAGE).classMap().agreement(before));
    }
  }

  /**
   * 200 open / segment / close cycles per backend, in a JVM of its own with a fixed, pre-touched heap (so that
   * a growing Java heap does not count): resident memory after them stays within 48 MiB of the level after 20
   * warm-up cycles. Figures are printed and written to target/robust/cycles-BACKEND/figures.txt.
   */
  @ParameterizedTest
  @ValueSource(strings = {"onnxruntime", "opencv", "pytorch"})
  @Timeout(600)
  void openCloseCyclesDoNotGrowResidentMemory(String backend) throws Exception {
    assumeTrue(Rss.available(), "no /proc/self/status here");
    int warmup = Integer.getInteger("robust.cycles.warmup", 20);
    int cycles = Integer.getInteger("robust.cycles", 200);
    Path dir = Cli.workDir("cycles-" + backend);
    Path log = dir.resolve("runner.log");
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(
            javaBin,
            "-Xms256m",
            "-Xmx256m",
            "-XX:+AlwaysPreTouch",
            "-Xss4m",
            "-Dai.djl.offline=true",
            "--add-modules",
            "jdk.incubator.vector",
            "-cp",
            cp,
            CycleRunner.class.getName(),
            MODEL.toString(),
            backend,
            Integer.toString(warmup),
            Integer.toString(cycles))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    if (!p.waitFor(540, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(backend + ": cycle runner hung; log: " + Files.readString(log));
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), backend + ": cycle runner failed: " + out);
    assertTrue(out.contains("DONE"), out);
    java.util.List<long[]> samples = out.lines()
        .filter(l -> l.startsWith("RSS "))
        .map(l -> l.split(" "))
        .map(f -> new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])})
        .toList();
    long warm = samples.get(0)[1];
    long end = samples.get(samples.size() - 1)[1];
    long growth = end - warm;
    StringBuilder trail = new StringBuilder();
    for (long[] smp : samples) {
      trail.append(' ').append(smp[0]).append(':').append(Rss.mib(smp[1]));
    }
    String figures = String.format(
        Locale.ROOT,
        "%s: %d open/segment/close cycles (+%d warm-up) in %.1f s, heap fixed "
            + "at 256 MiB; VmRSS after warm-up %s, at the end %s, growth %s; samples (cycle:VmRSS):%s",
        backend,
        cycles,
        warmup,
        secs,
        Rss.mib(warm),
        Rss.mib(end),
        Rss.mib(growth),
        trail);
    System.out.println("robust: " + figures);
    Files.writeString(dir.resolve("figures.txt"), figures + "\n");
    assertTrue(growth < 48 * 1024, figures);
  }
}
