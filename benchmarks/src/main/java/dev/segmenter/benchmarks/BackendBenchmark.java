package dev.segmenter.benchmarks;

import dev.segmenter.engine.Backends;
import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.Device;
import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.model.ModelCards;
import dev.segmenter.engine.pipeline.Postprocessor;
import dev.segmenter.engine.pipeline.Preprocessor;
import dev.segmenter.engine.pipeline.ResizeMode;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.SessionOptions;
import dev.segmenter.scenes.StreetScene;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What each backend costs, and what our adapter and post-processing add to it.
 *
 * <ul>
 *   <li>{@code raw}: the runtime's own call on an input prepared once, without our adapter
 *       ({@code OrtSession.run} on an {@code OnnxTensor} over a direct buffer; OpenCV {@code Net.setInput} +
 *       {@code forward}; DJL {@code PtSymbolBlock.forward}), same model file and thread count.
 *   <li>{@code forward}: our {@link BackendSession#forward(Tensor, Tensor)} on the same blob, called as
 *       {@link Segmenter} calls it: the previous frame's output is handed back as the spare array to fill (input
 *       copy in, output copy out). Adapter overhead = forward / raw - 1.
 *   <li>{@code postprocessOnly}: {@link Postprocessor#decode} of a captured output to a class map at image size
 *       (argmax, plus nearest resize when the image is not the network's size). Post-processing share =
 *       postprocessOnly / forward. Does not depend on the backend: run it with one.
 *   <li>{@code endToEnd}: {@link Segmenter#segment(BgrImage)} on a prepared street scene of {@code imageSize}
 *       (scores not kept: the post-processor reads the runtime's output in place). Run with {@code -prof gc}:
 *       its {@code gc.alloc.rate.norm} is what one frame allocates, to compare with the scores' size.
 *   <li>{@code forwardView}: {@link BackendSession#forwardView(Tensor, Tensor)}, the forward pass that hands back
 *       a view of the runtime's output instead of a copy (what {@link Segmenter} calls when scores are not kept).
 *   <li>{@code postprocessView}: {@link Postprocessor#decode} of such a view, in place (post-processing share =
 *       postprocessView / forwardView).
 *   <li>{@code frameView} and {@code frameCopy}: forward plus decode, one frame as {@link Segmenter} runs it, with
 *       the view and with the copy into a Java array that preceded it (the A/B of issue #17: same session, same
 *       blob, the copy is the only difference).
 * </ul>
 *
 * <p>Models are names under {@code models/shipped}, {@code models/timing}, {@code models/testnets} of the root
 * ({@code -Dsegmenter.root=}, else the working directory), or paths. Each {@code @Setup} checks its variant:
 * adapter and raw outputs agree, and a trained model's class map is not one class.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar BackendBenchmark -p model=lraspp-mobilenet-v3-large -rf json
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 3,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true", "-Xmx4g"})
public class BackendBenchmark {

  /** The model, image and blob every variant shares. */
  @State(Scope.Benchmark)
  public static class Inputs {
    @Param({"onnxruntime", "opencv", "pytorch"})
    public String backend;

    @Param({
      "enet-streets",
      "lraspp-mobilenet-v3-large",
      "deeplabv3-mobilenet-v3-large",
      "fcn-resnet50"
    })
    public String model;

    /** Size of the image given to the pipeline (the blob is always the network's input size). */
    @Param({"1024x512"})
    public String imageSize;

    /** Runtime and post-processing threads; 0 = every core (the engine's default). */
    @Param({"0"})
    public int threads;

    ModelCard card;
    BgrImage image;
    Preprocessor.Blob blob;
    int nThreads;
    /** The backend and the model file it reads, as the pipeline would choose them. */
    Backends.Selection selected;

    @Setup(Level.Trial)
    public void setup() {
      card = ModelCards.load(BackendBenchSupport.modelDir(model));
      int[] wh = BackendBenchSupport.parseSize(imageSize);
      image = BgrImage.from(StreetScene.generate(1_000_000L, wh[0], wh[1]).image());
      blob = new Preprocessor(card.input()).apply(image);
      nThreads = BackendBenchSupport.threads(threads);
      selected = Backends.select(card, backend, Device.CPU);
    }

    BackendSession open() {
      return selected.backend().open(selected.source(), new SessionOptions(Device.CPU, nThreads));
    }
  }

  /** Our adapter's session. */
  @State(Scope.Benchmark)
  public static class Adapter {
    BackendSession session;

    @Setup(Level.Trial)
    public void setup(Inputs in) {
      session = in.open();
      Tensor out = session.forward(in.blob.tensor());
      if (out.dtype() == Tensor.DType.FLOAT32) {
        BackendBenchSupport.maxAbs(out.floats()); // throws on NaN or infinity
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      session.close();
    }
  }

  /** The previous frame's output, handed back to the adapter as {@link Segmenter} does when scores are not kept. */
  @State(Scope.Thread)
  public static class Spare {
    Tensor previous;
  }

  /** The runtime without our adapter; checked against the adapter's output. */
  @State(Scope.Benchmark)
  public static class Raw {
    BackendBenchSupport.RawRunner runner;

    @Setup(Level.Trial)
    public void setup(Inputs in) {
      runner = BackendBenchSupport.openRaw(
          in.backend, in.selected.source(), in.blob.tensor(), in.nThreads);
      float[] raw = runner.output();
      try (BackendSession s = in.open()) {
        float[] ours = s.forward(in.blob.tensor()).floats();
        double diff = BackendBenchSupport.maxAbsDiff(raw, ours);
        double scale = Math.max(1e-6, BackendBenchSupport.maxAbs(ours));
        System.out.printf(
            Locale.ROOT,
            "%n[check] %s %s: raw vs adapter max |diff| %.3g (max |out| %.3g)%n",
            in.backend,
            in.model,
            diff,
            scale);
        if (diff > 1e-4 * scale) {
          throw new IllegalStateException(in.backend + " " + in.model
              + ": raw and adapter outputs differ by " + diff + " (max |out| " + scale + ")");
        }
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      runner.close();
    }
  }

  /** A whole pipeline on the backend. */
  @State(Scope.Benchmark)
  public static class Pipeline {
    Segmenter segmenter;

    @Setup(Level.Trial)
    public void setup(Inputs in) {
      segmenter = Segmenter.builder()
          .model(in.card)
          .backend(in.backend)
          .runtimeThreads(in.nThreads)
          .postprocessThreads(in.nThreads)
          .build();
      Segmentation r = segmenter.segment(in.image);
      Checks.classMap(r.classMap(), in);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      segmenter.close();
    }
  }

  /** One output captured from the backend, and the post-processor that decodes it. */
  @State(Scope.Benchmark)
  public static class Captured {
    Tensor output;
    Postprocessor postprocessor;

    @Setup(Level.Trial)
    public void setup(Inputs in) {
      try (BackendSession s = in.open()) {
        output = s.forward(in.blob.tensor());
      }
      postprocessor =
          new Postprocessor(in.card.output(), in.card.classCount(), in.card.name(), Kernels.get());
      ClassMap map = decode(in);
      Checks.classMap(map, in);
    }

    ClassMap decode(Inputs in) {
      return postprocessor
          .decode(
              output,
              in.blob.placement(),
              in.image.width(),
              in.image.height(),
              ResizeMode.NEAREST,
              false,
              in.nThreads)
          .classMap();
    }
  }

  /** A session whose last output is a view, and the post-processor that decodes it in place. */
  @State(Scope.Benchmark)
  public static class CapturedView {
    BackendSession session;
    Tensor view;
    Postprocessor postprocessor;

    @Setup(Level.Trial)
    public void setup(Inputs in) {
      session = in.open();
      session.forwardView(
          in.blob.tensor(), null); // the first frame of a shape may allocate: a second one
      view = session.forwardView(in.blob.tensor(), null);
      if (!view.isView()) {
        throw new IllegalStateException(
            in.backend + " gives no view of its output; postprocessView measures one");
      }
      postprocessor =
          new Postprocessor(in.card.output(), in.card.classCount(), in.card.name(), Kernels.get());
      Checks.classMap(decode(in, postprocessor, view), in);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      session.close();
    }
  }

  static ClassMap decode(Inputs in, Postprocessor postprocessor, Tensor output) {
    return postprocessor
        .decode(
            output,
            in.blob.placement(),
            in.image.width(),
            in.image.height(),
            ResizeMode.NEAREST,
            false,
            in.nThreads)
        .classMap();
  }

  @Benchmark
  public long raw(Raw r) {
    return r.runner.run();
  }

  @Benchmark
  public Tensor forward(Inputs in, Adapter a, Spare spare) {
    Tensor out = a.session.forward(in.blob.tensor(), spare.previous);
    spare.previous = out;
    return out;
  }

  @Benchmark
  public ClassMap postprocessOnly(Inputs in, Captured c) {
    return c.decode(in);
  }

  @Benchmark
  public Tensor forwardView(Inputs in, Adapter a) {
    return a.session.forwardView(in.blob.tensor(), null);
  }

  @Benchmark
  public ClassMap postprocessView(Inputs in, CapturedView c) {
    return decode(in, c.postprocessor, c.view);
  }

  @Benchmark
  public ClassMap frameView(Inputs in, Adapter a, Captured c) {
    return decode(in, c.postprocessor, a.session.forwardView(in.blob.tensor(), null));
  }

  @Benchmark
  public ClassMap frameCopy(Inputs in, Adapter a, Captured c, Spare spare) {
    Tensor out = a.session.forward(in.blob.tensor(), spare.previous);
    spare.previous = out;
    return decode(in, c.postprocessor, out);
  }

  @Benchmark
  public Segmentation endToEnd(Inputs in, Pipeline p) {
    return p.segmenter.segment(in.image);
  }

  /** Setup checks shared by the states. */
  static final class Checks {
    private Checks() {}

    /** A trained model must not paint the street scene one class; any model's map must have the image's size. */
    static void classMap(ClassMap map, Inputs in) {
      if (map.width() != in.image.width() || map.height() != in.image.height()) {
        throw new IllegalStateException(
            in.model + " on " + in.backend + ": class map is " + map.width() + "x" + map.height()
                + ", image " + in.image.width() + "x" + in.image.height());
      }
      int classes = in.card.classCount();
      double top = BackendBenchSupport.topClassShare(map, classes);
      int seen = BackendBenchSupport.classesAbove(map, classes, 0.01);
      System.out.printf(
          Locale.ROOT,
          "%n[check] %s %s: %d classes hold >= 1%% of the pixels, the largest %.1f%%; "
              + "histogram %s%n",
          in.backend,
          in.model,
          seen,
          100 * top,
          Arrays.toString(map.histogram(classes)));
      if (in.card.trained() && (top > 0.95 || seen < 3)) {
        throw new IllegalStateException(
            in.model + " on " + in.backend + ": trained model gives a degenerate class map (" + seen
                + " classes >= 1%, largest " + 100 * top + "%)");
      }
    }
  }
}
