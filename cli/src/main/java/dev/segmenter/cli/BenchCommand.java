package dev.segmenter.cli;

import dev.segmenter.engine.Backends;
import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.spi.Backend;
import dev.segmenter.models.scenes.StreetScene;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segmenter bench}: a quick end-to-end comparison of backends; not a substitute for JMH. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Quick end-to-end comparison of backends on a model: per-stage time (mean, p50, p95) and frames/s "
        + "on generated street scenes. For publishable figures use the JMH benchmarks (benchmarks/run)."},
    footer = {"", "Examples:", "  segmenter bench", "  segmenter bench --backends onnxruntime,opencv --frames 50 --size 1024x512"})
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--backends", split = ",", paramLabel = "LIST", description = "Backends to compare (default: every available one that reads the model).")
  List<String> backends;

  @Option(names = "--frames", description = "Measured frames per backend (default 20).")
  int frames = 20;

  @Option(names = "--warmup", description = "Unmeasured frames first (default 3; more while the vector kernels are still being compiled, up to 60 s).")
  int warmup = 3;

  @Option(names = "--size", paramLabel = "WxH", description = "Image size (default: the model's input size).")
  String size;

  @Mixin
  PipelineOptions pipeline;

  @Mixin
  Main.Common common;

  @Override
  public Integer call() {
    if (frames < 1 || warmup < 0) {
      throw new UsageException("--frames must be >= 1 and --warmup >= 0");
    }
    Settings s = pipeline.settings();
    if (pipeline.printConfig) {
      System.err.print(s.describe());
    }
    ModelCard card = pipeline.card(s);
    int[] wh = size == null ? new int[] {card.input().width(), card.input().height()} : ScenesCommand.parseSize(size, "--size");
    List<String> names = new ArrayList<>();
    if (backends != null && !backends.isEmpty()) {
      names.addAll(backends);
    } else {
      for (Backend b : Backends.installed()) {
        if (b.availability().available() && b.formats().stream().anyMatch(card.presentFormats()::contains)) {
          names.add(b.name());
        }
      }
    }
    List<BgrImage> images = new ArrayList<>();
    for (int i = 0; i < Math.min(frames, 8); i++) {
      images.add(BgrImage.from(StreetScene.generate(1_000_000L + i, wh[0], wh[1]).image()));
    }
    PrintStream o = System.out;
    o.printf(Locale.ROOT, "model %s, %dx%d images, %d frames after %d warm-up, device %s, JDK %s%n%n", card.name(), wh[0],
        wh[1], frames, warmup, s.device().id(), System.getProperty("java.version"));
    o.printf(Locale.ROOT, "%-12s %-10s %-22s %-22s %-22s %-22s %8s%n", "backend", "format", "preprocess ms",
        "forward ms", "postprocess ms", "total ms", "frames/s");
    o.printf(Locale.ROOT, "%-12s %-10s %-22s %-22s %-22s %-22s %8s%n", "", "", "mean/p50/p95", "mean/p50/p95",
        "mean/p50/p95", "mean/p50/p95", "");
    for (String name : names) {
      try (Segmenter seg = Segmenter.builder().model(card).backend(name).device(s.device()).runtimeThreads(s.threads())
          .postprocessThreads(s.threads()).resize(s.resize()).build()) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int i = 0; i < warmup || !dev.segmenter.engine.kernels.Kernels.warm() && System.nanoTime() < deadline; i++) {
          seg.segment(images.get(i % images.size()));
        }
        double[][] t = new double[4][frames];
        long t0 = System.nanoTime();
        for (int i = 0; i < frames; i++) {
          Segmentation r = seg.segment(images.get(i % images.size()));
          t[0][i] = r.timings().preprocess();
          t[1][i] = r.timings().forward();
          t[2][i] = r.timings().postprocess();
          t[3][i] = r.timings().total();
        }
        double fps = frames / ((System.nanoTime() - t0) / 1e9);
        o.printf(Locale.ROOT, "%-12s %-10s %-22s %-22s %-22s %-22s %8.1f%n", name, seg.modelSource().format().key(),
            stats(t[0]), stats(t[1]), stats(t[2]), stats(t[3]), fps);
      } catch (RuntimeException e) {
        o.printf(Locale.ROOT, "%-12s failed: %s%n", name, SegmentCommand.oneLine(e));
      }
    }
    return ExitCode.OK;
  }

  private static String stats(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    double mean = Arrays.stream(s).average().orElse(Double.NaN);
    return String.format(Locale.ROOT, "%.2f/%.2f/%.2f", mean, pct(s, 0.5), pct(s, 0.95));
  }

  private static double pct(double[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
