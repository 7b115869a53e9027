package dev.segmenter.cli;

import dev.segmenter.engine.Backends;
import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.pipeline.Preprocessor;
import dev.segmenter.engine.spi.Backend;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.ModelSource;
import dev.segmenter.engine.spi.SessionOptions;
import dev.segmenter.scenes.StreetScene;
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
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Quick end-to-end comparison of backends on a model: per-stage time (mean, p50, p95) and frames/s "
          + "on generated street scenes. For publishable figures use the JMH benchmarks (benchmarks/run)."
    },
    footer = {
      "",
      "Examples:",
      "  segmenter bench",
      "  segmenter bench --backends onnxruntime,opencv --frames 50 --size 1024x512"
    })
final class BenchCommand implements Callable<Integer> {
  @Option(
      names = "--backends",
      split = ",",
      paramLabel = "LIST",
      description = "Backends to compare (default: every available one that reads the model).")
  List<String> backends;

  @Option(names = "--frames", description = "Measured frames per backend (default 20).")
  int frames = 20;

  @Option(
      names = "--warmup",
      description =
          "Unmeasured frames first (default 3; more while the vector kernels are still being compiled, up to 60 s).")
  int warmup = 3;

  @Option(
      names = "--size",
      paramLabel = "WxH",
      description = "Image size (default: the model's input size).")
  String size;

  @Option(
      names = "--forward-only",
      description =
          "Time the runtime's forward pass alone (the job's physical limit) for "
              + "every split of the cores between concurrent inferences and runtime threads (1 x N, ..., N x 1), and name the best.")
  boolean forwardOnly;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      description = "With --forward-only: measured seconds per split (default 10).")
  double seconds = 10;

  @Option(
      names = "--json",
      description = "With --forward-only: one JSON object per backend on stdout.")
  boolean json;

  @Mixin
  PipelineOptions pipeline;

  @Mixin
  Verbosity verbosity;

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
    int[] wh = size == null
        ? new int[] {card.input().width(), card.input().height()}
        : ScenesCommand.parseSize(size, "--size");
    List<String> names = new ArrayList<>();
    if (backends != null && !backends.isEmpty()) {
      names.addAll(backends);
    } else {
      for (Backend b : Backends.installed()) {
        if (b.availability().available()
            && b.formats().stream().anyMatch(card.presentFormats()::contains)) {
          names.add(b.name());
        }
      }
    }
    List<BgrImage> images = new ArrayList<>();
    for (int i = 0; i < Math.min(frames, 8); i++) {
      images.add(
          BgrImage.from(StreetScene.generate(1_000_000L + i, wh[0], wh[1]).image()));
    }
    PrintStream o = System.out;
    if (forwardOnly) {
      return forwardOnly(card, s, names, images.get(0), o);
    }
    o.printf(
        Locale.ROOT,
        "model %s, %dx%d images, %d frames after %d warm-up, device %s, JDK %s%n%n",
        card.name(),
        wh[0],
        wh[1],
        frames,
        warmup,
        s.device().id(),
        System.getProperty("java.version"));
    o.printf(
        Locale.ROOT,
        "%-12s %-10s %-22s %-22s %-22s %-22s %8s%n",
        "backend",
        "format",
        "preprocess ms",
        "forward ms",
        "postprocess ms",
        "total ms",
        "frames/s");
    o.printf(
        Locale.ROOT,
        "%-12s %-10s %-22s %-22s %-22s %-22s %8s%n",
        "",
        "",
        "mean/p50/p95",
        "mean/p50/p95",
        "mean/p50/p95",
        "mean/p50/p95",
        "");
    for (String name : names) {
      try (Segmenter seg = Segmenter.builder()
          .model(card)
          .backend(name)
          .device(s.device())
          .runtimeThreads(s.threads())
          .postprocessThreads(s.threads())
          .resize(s.resize())
          .build()) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (int i = 0;
            i < warmup
                || !dev.segmenter.engine.kernels.Kernels.warm() && System.nanoTime() < deadline;
            i++) {
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
        o.printf(
            Locale.ROOT,
            "%-12s %-10s %-22s %-22s %-22s %-22s %8.1f%n",
            name,
            seg.modelSource().format().key(),
            stats(t[0]),
            stats(t[1]),
            stats(t[2]),
            stats(t[3]),
            fps);
      } catch (RuntimeException e) {
        o.printf(Locale.ROOT, "%-12s failed: %s%n", name, SegmentCommand.oneLine(e));
      }
    }
    return ExitCode.OK;
  }

  /**
   * Forward passes only, on one preprocessed image, for each split of the cores: {@code c} threads each calling
   * forward in a loop, each runtime on {@code t} threads (c x t = cores; OpenCV gets one session per thread, the
   * thread-safe runtimes one shared session, as {@link Segmenter} does).
   */
  private int forwardOnly(
      ModelCard card, Settings s, List<String> names, BgrImage image, PrintStream o) {
    int cores = Runtime.getRuntime().availableProcessors();
    Tensor blob = new Preprocessor(card.input()).apply(image).tensor();
    if (!json) {
      o.printf(
          Locale.ROOT,
          "model %s, forward pass only on a %dx%d input, %.0f s per split, %d cores, JDK %s%n",
          card.name(),
          blob.shape()[blob.shape().length - 1],
          blob.shape()[blob.shape().length - 2],
          seconds,
          cores,
          System.getProperty("java.version"));
    }
    for (String name : names) {
      Json j = new Json()
          .beginObject()
          .field("backend", name)
          .field("model", card.name())
          .field("cores", cores)
          .name("splits")
          .beginArray();
      double best = 0;
      String bestSplit = "";
      for (int c = 1; c <= cores; c++) {
        if (cores % c != 0) {
          continue;
        }
        int t = cores / c;
        double fps;
        try (Segmenter seg = Segmenter.builder()
            .model(card)
            .backend(name)
            .device(s.device())
            .runtimeThreads(t)
            .build()) {
          fps = forwardRate(
              seg.backend(), seg.modelSource(), new SessionOptions(s.device(), t), blob, c);
        } catch (RuntimeException e) {
          o.printf(
              Locale.ROOT, "%-12s %d x %d failed: %s%n", name, c, t, SegmentCommand.oneLine(e));
          continue;
        }
        j.beginObject()
            .field("concurrency", c)
            .field("threads", t)
            .field("fps", fps)
            .endObject();
        if (!json) {
          o.printf(
              Locale.ROOT,
              "%-12s %d inference(s) x %d thread(s): %6.1f forward passes/s%n",
              name,
              c,
              t,
              fps);
        }
        if (fps > best) {
          best = fps;
          bestSplit = c + "x" + t;
        }
      }
      j.endArray().field("best_fps", best).field("best_split", bestSplit);
      o.println(
          json
              ? j.endObject().toString()
              : String.format(Locale.ROOT, "%-12s best: %s, %.1f/s%n", name, bestSplit, best));
    }
    return ExitCode.OK;
  }

  private double forwardRate(
      Backend backend, ModelSource source, SessionOptions options, Tensor blob, int threads) {
    List<BackendSession> sessions = new ArrayList<>();
    try {
      BackendSession first = backend.open(source, options);
      sessions.add(first);
      for (int i = 1; i < threads && !first.isThreadSafe(); i++) {
        sessions.add(backend.open(source, options));
      }
      java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicBoolean measuring =
          new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.CyclicBarrier start =
          new java.util.concurrent.CyclicBarrier(threads + 1);
      List<Thread> workers = new ArrayList<>();
      java.util.concurrent.atomic.AtomicBoolean stop =
          new java.util.concurrent.atomic.AtomicBoolean();
      RuntimeException[] failure = new RuntimeException[1];
      for (int i = 0; i < threads; i++) {
        BackendSession session = sessions.get(Math.min(i, sessions.size() - 1));
        Thread w = new Thread(() -> {
          try {
            Tensor spare = null;
            for (int k = 0; k < 3; k++) {
              spare = session.forward(blob, spare);
            }
            start.await();
            while (!Thread.currentThread().isInterrupted() && !stop.get()) {
              spare = session.forward(blob, spare);
              if (measuring.get()) {
                count.incrementAndGet();
              }
            }
          } catch (RuntimeException e) {
            failure[0] = e;
          } catch (InterruptedException | java.util.concurrent.BrokenBarrierException e) {
            Thread.currentThread().interrupt();
          }
        });
        workers.add(w);
        w.start();
      }
      start.await();
      Thread.sleep(1000); // every worker in its loop before the window opens
      measuring.set(true);
      long t0 = System.nanoTime();
      Thread.sleep((long) (seconds * 1000));
      measuring.set(false);
      long n = count.get();
      double secs = (System.nanoTime() - t0) / 1e9;
      stop.set(true);
      for (Thread w : workers) {
        w.join();
      }
      if (failure[0] != null) {
        throw failure[0];
      }
      return n / secs;
    } catch (InterruptedException | java.util.concurrent.BrokenBarrierException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      for (BackendSession session : sessions) {
        session.close();
      }
    }
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
