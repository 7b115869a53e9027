package dev.segmenter.cli.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.scenes.StreetScene;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Soak: 5,000 frames per backend in one process; results identical to the first pass on every frame, and
 * resident memory flat after warm-up (growth under 5% between frame 1,000 and the last). Runs only under the
 * {@code soak} Maven profile (which sets {@code segmenter.soak=true} and a fixed, pre-touched heap):
 * {@code mvn -B -Psoak -pl cli -am verify -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false}.
 * Options: {@code -Dsoak.model=DIR} (default models/testnets/tiny-nchw), {@code -Dsoak.frames=N} (5000),
 * {@code -Dsoak.warmup=N} (1000), {@code -Dsoak.backends=a,b} (all three). Figures go to stdout and
 * target/robust/soak-BACKEND/figures.txt.
 */
@EnabledIfSystemProperty(named = "segmenter.soak", matches = "true")
class SoakTest {

  static Stream<String> backends() {
    return Arrays.stream(
            System.getProperty("soak.backends", "onnxruntime,opencv,pytorch").split(","))
        .map(String::trim);
  }

  @ParameterizedTest
  @MethodSource("backends")
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void framesGiveStableResultsAndFlatMemory(String backend) throws Exception {
    Path model =
        Path.of(System.getProperty("soak.model", Cli.testnet("tiny-nchw").toString()));
    int frames = Integer.getInteger("soak.frames", 5000);
    int warmup = Integer.getInteger("soak.warmup", 1000);
    assertTrue(warmup < frames, "soak.warmup must be below soak.frames");
    try (Segmenter s = Segmenter.builder().model(model).backend(backend).build()) {
      int w = s.model().input().width() * 5 / 4;
      int h = s.model().input().height() * 5 / 4;
      List<BgrImage> images = new ArrayList<>();
      List<ClassMap> expected = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        images.add(BgrImage.from(
            StreetScene.generate(2_000_000L + i, w + i, h + (i % 5)).image()));
        expected.add(s.segment(images.get(i)).classMap());
      }
      long first = Rss.settledKib();
      long atWarmup = 0;
      long nonHeapWarm = 0;
      long peak = 0;
      StringBuilder trail = new StringBuilder();
      long t0 = System.nanoTime();
      long tWarm = 0;
      for (int f = 1; f <= frames; f++) {
        int k = f % images.size();
        ClassMap got = s.segment(images.get(k)).classMap();
        assertEquals(
            1.0,
            got.agreement(expected.get(k)),
            backend + " frame " + f + " image " + k + ": class map differs from the first pass");
        if (f == warmup) {
          atWarmup = Rss.settledKib();
          nonHeapWarm = nonHeapKib();
          tWarm = System.nanoTime();
        }
        if (f % 500 == 0) {
          long now = Rss.kib();
          peak = f >= warmup ? Math.max(peak, now) : peak;
          trail.append(' ').append(f).append(':').append(Rss.mib(now));
        }
      }
      long end = Rss.settledKib();
      long nonHeapEnd = nonHeapKib();
      double secs = (System.nanoTime() - t0) / 1e9;
      double fps = (frames - warmup) / ((System.nanoTime() - tWarm) / 1e9);
      double growth = 100.0 * (end - atWarmup) / atWarmup;
      String figures = String.format(
          Locale.ROOT,
          "%s | model %s | %d frames of %dx%d in %.1f s (%.0f frames/s after "
              + "warm-up) | VmRSS after setup %s, at frame %d %s, at frame %d %s (growth %+.2f%%), peak after warm-up %s "
              + "| JVM non-heap committed (code cache, metaspace) %s -> %s | JDK %s, max heap %d MiB | samples "
              + "(frame:VmRSS):%s",
          backend,
          s.model().name(),
          frames,
          w,
          h,
          secs,
          fps,
          Rss.mib(first),
          warmup,
          Rss.mib(atWarmup),
          frames,
          Rss.mib(end),
          growth,
          Rss.mib(peak),
          Rss.mib(nonHeapWarm),
          Rss.mib(nonHeapEnd),
          System.getProperty("java.version"),
          Runtime.getRuntime().maxMemory() >> 20,
          trail);
      System.out.println("soak: " + figures);
      Files.writeString(Cli.workDir("soak-" + backend).resolve("figures.txt"), figures + "\n");
      assertTrue(growth < 5.0, "resident memory grew " + growth + "% after warm-up: " + figures);
    }
  }

  /** Committed non-heap JVM memory (code cache, metaspace, class space) in KiB: VmRSS that is not the runtimes'. */
  private static long nonHeapKib() {
    return java.lang.management.ManagementFactory.getMemoryMXBean()
            .getNonHeapMemoryUsage()
            .getCommitted()
        / 1024;
  }
}
