package dev.segmenter.benchmarks;

import dev.segmenter.engine.Backends;
import dev.segmenter.engine.Device;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.model.ModelCards;
import dev.segmenter.engine.pipeline.Preprocessor;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.SessionOptions;
import dev.segmenter.scenes.StreetScene;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Adapter overhead as paired A/B: our adapter ({@link BackendSession#forward(Tensor, Tensor)}, called as the
 * pipeline calls it) and the runtime's own call ({@link BackendBenchSupport.RawRunner}) alternate in one process
 * on one thread, in ABBA order, so that drift (other load, clock, the runtime's allocator) hits both alike.
 * Overhead = median over pairs of forward / raw - 1, with the interquartile range of the pair ratios.
 * JMH's {@code BackendBenchmark} runs raw and forward in separate forks minutes apart, and on this 2-core
 * machine their difference swung by +-10% between runs, more than the 5% being measured.
 *
 * <pre>
 * taskset -c 1 java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     dev.segmenter.benchmarks.AdapterOverhead --backends onnxruntime,opencv,pytorch \
 *     --models lraspp-mobilenet-v3-large --pairs 40 --out adapter.md   [--spare false: a new output array per call]
 * </pre>
 */
public final class AdapterOverhead {

  /** Keeps the raw runs' results alive, so that nothing is optimised away. */
  static volatile long SINK;

  private AdapterOverhead() {}

  /** One backend and model: per-pair times in ms. */
  record Result(String backend, String model, double[] raw, double[] forward) {
    double[] ratios() {
      double[] r = new double[raw.length];
      for (int i = 0; i < r.length; i++) {
        r[i] = forward[i] / raw[i];
      }
      return r;
    }
  }

  public static void main(String[] args) throws IOException {
    List<String> backends = List.of("onnxruntime", "opencv", "pytorch");
    List<String> models = List.of("lraspp-mobilenet-v3-large");
    int pairs = 40;
    int warmup = 5;
    int threads = 1;
    String imageSize = "1024x512";
    Path out = null;
    boolean spare = true;
    for (int i = 0; i < args.length; i += 2) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      if (v == null) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      switch (args[i]) {
        case "--backends" -> backends = List.of(v.split(","));
        case "--models" -> models = List.of(v.split(","));
        case "--pairs" -> pairs = Integer.parseInt(v);
        case "--warmup" -> warmup = Integer.parseInt(v);
        case "--threads" -> threads = Integer.parseInt(v);
        case "--image-size" -> imageSize = v;
        case "--out" -> out = Path.of(v);
        case "--spare" -> spare = Boolean.parseBoolean(v);
        default ->
          throw new IllegalArgumentException(
              "unknown option " + args[i]
                  + "; accepted: --backends --models --pairs --warmup --threads --image-size --out --spare");
      }
    }
    List<Result> results = new ArrayList<>();
    for (String model : models) {
      for (String backend : backends) {
        Result r = measure(backend, model, imageSize, threads, warmup, pairs, spare);
        results.add(r);
        System.out.println(line(r));
      }
    }
    String report = report(results, pairs, threads, imageSize, spare);
    if (out != null) {
      Files.writeString(out, report);
    }
    System.out.print(report);
  }

  /** {@code reuse}: hand the previous output back as the spare (as the pipeline does), else a fresh array each call. */
  static Result measure(
      String backend,
      String model,
      String imageSize,
      int threads,
      int warmup,
      int pairs,
      boolean reuse) {
    ModelCard card = ModelCards.load(BackendBenchSupport.modelDir(model));
    int[] wh = BackendBenchSupport.parseSize(imageSize);
    BgrImage image =
        BgrImage.from(StreetScene.generate(1_000_000L, wh[0], wh[1]).image());
    Tensor blob = new Preprocessor(card.input()).apply(image).tensor();
    Backends.Selection selected = Backends.select(card, backend, Device.CPU);
    double[] raw = new double[pairs];
    double[] fwd = new double[pairs];
    try (BackendSession session =
            selected.backend().open(selected.source(), new SessionOptions(Device.CPU, threads));
        BackendBenchSupport.RawRunner runner =
            BackendBenchSupport.openRaw(backend, selected.source(), blob, threads)) {
      Tensor spare = null;
      long sink = 0;
      for (int i = 0; i < warmup; i++) {
        sink += runner.run();
        spare = session.forward(blob, spare);
      }
      float[] reference = runner.output();
      double diff =
          BackendBenchSupport.maxAbsDiff(reference, session.forward(blob).floats());
      if (!(diff <= 1e-3 * Math.max(1, BackendBenchSupport.maxAbs(reference)))) {
        throw new IllegalStateException(
            backend + " " + model + ": raw and adapter outputs differ by " + diff);
      }
      for (int i = 0; i < pairs; i++) {
        boolean rawFirst = i % 2 == 0; // ABBA: each side goes first half the time
        for (int k = 0; k < 2; k++) {
          long t0 = System.nanoTime();
          if ((k == 0) == rawFirst) {
            sink += runner.run();
            raw[i] = (System.nanoTime() - t0) / 1e6;
          } else {
            spare = session.forward(blob, reuse ? spare : null);
            fwd[i] = (System.nanoTime() - t0) / 1e6;
          }
        }
      }
      SINK = sink;
    }
    return new Result(backend, model, raw, fwd);
  }

  static double quantile(double[] v, double q) {
    double[] s = v.clone();
    Arrays.sort(s);
    double pos = q * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }

  static String line(Result r) {
    double[] ratios = r.ratios();
    return String.format(
        Locale.ROOT,
        "%s %s: raw %.2f ms, forward %.2f ms, overhead %+.1f%% (IQR %+.1f%% .. %+.1f%%)",
        r.backend(),
        r.model(),
        quantile(r.raw(), 0.5),
        quantile(r.forward(), 0.5),
        100 * (quantile(ratios, 0.5) - 1),
        100 * (quantile(ratios, 0.25) - 1),
        100 * (quantile(ratios, 0.75) - 1));
  }

  static String report(
      List<Result> results, int pairs, int threads, String imageSize, boolean spare) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(
        Locale.ROOT,
        "Adapter overhead, paired A/B: %d pairs (ABBA), %d runtime thread(s), %s image,"
            + " JDK %s, output array %s%n%n",
        pairs,
        threads,
        imageSize,
        Runtime.version(),
        spare ? "handed back (as the pipeline does)" : "new each call"));
    b.append(
        "| backend | model | raw ms (median) | forward ms (median) | overhead (median of pair ratios) | IQR |\n");
    b.append("|---|---|---|---|---|---|\n");
    for (Result r : results) {
      double[] ratios = r.ratios();
      b.append(String.format(
          Locale.ROOT,
          "| %s | %s | %.2f | %.2f | %+.1f%% | %+.1f%% .. %+.1f%% |%n",
          r.backend(),
          r.model(),
          quantile(r.raw(), 0.5),
          quantile(r.forward(), 0.5),
          100 * (quantile(ratios, 0.5) - 1),
          100 * (quantile(ratios, 0.25) - 1),
          100 * (quantile(ratios, 0.75) - 1)));
    }
    return b.toString();
  }
}
