package dev.segmenter.benchmarks;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.image.ImageDecoder;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.model.ModelCards;
import dev.segmenter.engine.render.CardPalettes;
import dev.segmenter.engine.render.ColorMap;
import dev.segmenter.engine.render.Overlay;
import dev.segmenter.engine.render.PngOutputs;
import dev.segmenter.engine.spi.ModelSource;
import dev.segmenter.palettes.Palette;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;

/**
 * What {@link BackendBenchmark} and {@code benchmarks/python/compare.sh} share: finding models and images, the
 * runtimes' own calls without our adapters ({@link RawRunner}), output checks, and {@link #main}, the driver
 * that times our whole pipeline on the same image files as {@code benchmarks/python/classic_pipeline.py}.
 */
public final class BackendBenchSupport {
  private BackendBenchSupport() {}

  /** Project root: {@code -Dsegmenter.root}, else the working directory or the first parent holding {@code models/}. */
  static Path root() {
    String r = System.getProperty("segmenter.root");
    if (r != null && !r.isBlank()) {
      return Path.of(r).toAbsolutePath();
    }
    Path p = Path.of("").toAbsolutePath();
    for (Path q = p; q != null; q = q.getParent()) {
      if (Files.isDirectory(q.resolve("models"))) {
        return q;
      }
    }
    return p;
  }

  /**
   * A model directory: a path (absolute or relative to the root), or a name looked up in
   * {@code models/shipped}, {@code models/timing}, {@code models/testnets} under the root.
   */
  static Path modelDir(String model) {
    Path root = root();
    List<Path> tried = new ArrayList<>();
    for (Path p : List.of(
        Path.of(model),
        root.resolve(model),
        root.resolve("models/shipped").resolve(model),
        root.resolve("models/timing").resolve(model),
        root.resolve("models/testnets").resolve(model))) {
      tried.add(p);
      if (Files.isRegularFile(p.resolve(ModelCards.CARD_FILE))) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "model '" + model + "': no model.yaml in any of " + tried
            + "; make the timing models with models/recipes/timing/make_timing_models.py or set -Dsegmenter.root");
  }

  static int[] parseSize(String wxh) {
    String[] p = wxh.toLowerCase(Locale.ROOT).split("x");
    if (p.length != 2) {
      throw new IllegalArgumentException("size '" + wxh + "': expected WxH, e.g. 1024x512");
    }
    return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
  }

  /** 0 means every core, as the engine's default. */
  static int threads(int requested) {
    return requested > 0 ? requested : Runtime.getRuntime().availableProcessors();
  }

  /** The runtime's own inference call on an input prepared once, without our adapter's copies and checks. */
  interface RawRunner extends AutoCloseable {
    /** One forward pass; returns something derived from the output so that it cannot be optimised away. */
    long run();

    /** One forward pass, its first output copied out (for checks, not timed). */
    float[] output();

    @Override
    void close();
  }

  static RawRunner openRaw(String backend, ModelSource src, Tensor blob, int threads) {
    return switch (backend) {
      case "onnxruntime" -> new OrtRaw(src, blob, threads);
      case "opencv" -> new OpenCvRaw(src, blob, threads);
      case "pytorch" -> new TorchRaw(src, blob, threads);
      default -> throw new IllegalArgumentException("no raw runner for backend '" + backend + "'");
    };
  }

  private static long[] longShape(Tensor t) {
    return Arrays.stream(t.shape()).asLongStream().toArray();
  }

  /** {@code OrtSession.run} on an {@link OnnxTensor} over a direct buffer filled once; same session options as the adapter. */
  private static final class OrtRaw implements RawRunner {
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final OnnxTensor input;
    private final Map<String, OnnxTensor> feed;

    OrtRaw(ModelSource src, Tensor blob, int threads) {
      try {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (threads > 0) {
          options.setIntraOpNumThreads(threads);
        }
        session = env.createSession(src.file().toString(), options);
        float[] in = blob.floats();
        FloatBuffer direct = ByteBuffer.allocateDirect(in.length * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
        direct.put(in).rewind();
        input = OnnxTensor.createTensor(env, direct, longShape(blob));
        String name = src.inputName() != null
            ? src.inputName()
            : session.getInputNames().iterator().next();
        feed = Map.of(name, input);
      } catch (OrtException e) {
        throw new IllegalStateException("onnxruntime raw: " + e.getMessage(), e);
      }
    }

    @Override
    public long run() {
      try (OrtSession.Result r = session.run(feed)) {
        return ((OnnxTensor) r.get(0)).getInfo().getShape()[1];
      } catch (OrtException e) {
        throw new IllegalStateException("onnxruntime raw: " + e.getMessage(), e);
      }
    }

    @Override
    public float[] output() {
      try (OrtSession.Result r = session.run(feed)) {
        FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
      } catch (OrtException e) {
        throw new IllegalStateException("onnxruntime raw: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      input.close();
      try {
        session.close();
      } catch (OrtException e) {
        // nothing to do in a benchmark's tear-down
      }
      options.close();
    }
  }

  /** {@code Net.setInput} + {@code Net.forward} on a blob {@link Mat} filled once; same backend and target as the adapter. */
  private static final class OpenCvRaw implements RawRunner {
    private final Net net;
    private final Mat input;
    private final String inputName;
    private final String outputName;

    OpenCvRaw(ModelSource src, Tensor blob, int threads) {
      nu.pattern.OpenCV.loadLocally();
      if (threads > 0) {
        Core.setNumThreads(threads);
      }
      net = Dnn.readNetFromONNX(src.file().toString());
      net.setPreferableBackend(Dnn.DNN_BACKEND_OPENCV);
      net.setPreferableTarget(Dnn.DNN_TARGET_CPU);
      input = new Mat(blob.shape(), CvType.CV_32F);
      input.put(new int[blob.rank()], blob.floats());
      inputName = src.inputName() == null ? "" : src.inputName();
      outputName = src.outputName();
    }

    private Mat forward() {
      net.setInput(input, inputName);
      return outputName == null ? net.forward() : net.forward(outputName);
    }

    @Override
    public long run() {
      Mat out = forward();
      long n = out.total();
      out.release();
      return n;
    }

    @Override
    public float[] output() {
      Mat out = forward();
      float[] a = new float[Math.toIntExact(out.total() * out.channels())];
      out.get(new int[out.dims()], a);
      out.release();
      return a;
    }

    @Override
    public void close() {
      input.release();
    }
  }

  /** DJL {@code PtSymbolBlock.forward} on an {@link NDArray} made once; its outputs are freed after each call. */
  private static final class TorchRaw implements RawRunner {
    private final Model model;
    private final NDManager manager;
    private final NDArray input;

    TorchRaw(ModelSource src, Tensor blob, int threads) {
      if (System.getProperty("ai.djl.offline") == null) {
        System.setProperty("ai.djl.offline", "true");
      }
      if (threads > 0) {
        JniUtils.setNumThreads(threads);
      }
      model =
          Model.newInstance(src.file().getFileName().toString(), ai.djl.Device.cpu(), "PyTorch");
      try {
        model.load(src.file(), null, Map.of("mapLocation", "true"));
      } catch (IOException | ai.djl.MalformedModelException e) {
        model.close();
        throw new IllegalStateException("pytorch raw: " + e.getMessage(), e);
      }
      manager = model.getNDManager().newSubManager();
      input = manager.create(blob.floats(), new Shape(longShape(blob)));
    }

    private NDList forward() {
      return model.getBlock().forward(new ParameterStore(manager, false), new NDList(input), false);
    }

    @Override
    public long run() {
      NDList out = forward();
      long n = out.get(0).size();
      out.close();
      return n;
    }

    @Override
    public float[] output() {
      NDList out = forward();
      float[] a = out.get(0).toFloatArray();
      out.close();
      return a;
    }

    @Override
    public void close() {
      manager.close();
      model.close();
    }
  }

  /** Largest |a - b| over the arrays, or an exception when their lengths differ. */
  static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalStateException("outputs differ in size: " + a.length + " vs " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }

  static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      if (!Float.isFinite(v)) {
        throw new IllegalStateException("output holds a non-finite value " + v);
      }
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** The fraction of pixels held by the most frequent class. */
  static double topClassShare(ClassMap map, int classes) {
    long[] h = map.histogram(classes);
    return (double) Arrays.stream(h).max().orElse(0) / map.pixels();
  }

  /** Number of classes that hold at least {@code minShare} of the pixels. */
  static int classesAbove(ClassMap map, int classes, double minShare) {
    long[] h = map.histogram(classes);
    return (int) Arrays.stream(h).filter(c -> c >= minShare * map.pixels()).count();
  }

  // ---- the compare driver
  // ----------------------------------------------------------------------------------

  /**
   * Times our whole pipeline (preprocess, forward, argmax + nearest resize to image size, palette, blend) on
   * the PNG files of a folder, per backend, as {@code classic_pipeline.py} times the classic Python one.
   *
   * <pre>
   * java --add-modules jdk.incubator.vector -Dai.djl.offline=true -cp benchmarks/target/benchmarks.jar \
   *   dev.segmenter.benchmarks.BackendBenchSupport --model DIR --images DIR [--backends a,b] [--frames 50]
   *   [--warmup 10] [--threads N] [--out DIR]
   * </pre>
   *
   * Prints one JSON object per backend on standard output (per-stage medians in ms, frames/s). With
   * {@code --out} it writes {@code BACKEND-classes.png} (class ids of the first image) and
   * {@code lut-bgr.txt} (the palette, one {@code B G R} a line) there.
   */
  public static void main(String[] args) throws IOException {
    String model = null;
    Path images = null;
    Path out = null;
    List<String> backends = List.of("onnxruntime", "opencv", "pytorch");
    int frames = 50;
    int warmup = 10;
    int threads = 0;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--model" -> model = v;
        case "--images" -> images = Path.of(v);
        case "--out" -> out = Path.of(v);
        case "--backends" -> backends = List.of(v.split(","));
        case "--frames" -> frames = Integer.parseInt(v);
        case "--warmup" -> warmup = Integer.parseInt(v);
        case "--threads" -> threads = Integer.parseInt(v);
        default ->
          throw new IllegalArgumentException("unknown option " + args[i]
              + "; accepted: --model --images --backends --frames --warmup --threads --out");
      }
      i++;
    }
    if (model == null || images == null) {
      throw new IllegalArgumentException("--model DIR and --images DIR are required");
    }
    int n = threads(threads);
    ModelCard card = ModelCards.load(modelDir(model));
    List<BgrImage> frameList = readImages(images);
    Palette palette = CardPalettes.forCard(card, null, null, null);
    Kernels k = Kernels.get();
    ColorMap colorMap = new ColorMap(k.palette());
    Overlay overlay = new Overlay(k.blend(), k.palette());
    if (out != null) {
      Files.createDirectories(out);
      byte[] lut = palette.lutBgr(card.classCount(), palette.voidRgb());
      StringBuilder sb = new StringBuilder();
      for (int c = 0; c < card.classCount(); c++) {
        sb.append(lut[3 * c] & 0xFF)
            .append(' ')
            .append(lut[3 * c + 1] & 0xFF)
            .append(' ')
            .append(lut[3 * c + 2] & 0xFF)
            .append('\n');
      }
      Files.writeString(out.resolve("lut-bgr.txt"), sb);
    }
    PrintStream o = System.out;
    for (String backend : backends) {
      try (Segmenter seg = Segmenter.builder()
          .model(card)
          .backend(backend)
          .runtimeThreads(n)
          .postprocessThreads(n)
          .build()) {
        double[][] t = new double[6][frames];
        for (int i = 0; i < warmup + frames; i++) {
          BgrImage img = frameList.get(i % frameList.size());
          long t0 = System.nanoTime();
          Segmentation r = seg.segment(img);
          long t1 = System.nanoTime();
          BgrImage colors = colorMap.bgr(r.classMap(), palette);
          long t2 = System.nanoTime();
          BgrImage blended = overlay.render(img, colors, 0.5f);
          long t3 = System.nanoTime();
          if (blended.data().length != img.data().length) {
            throw new IllegalStateException("overlay has the wrong size");
          }
          if (i == 0 && out != null) {
            PngOutputs.writeClassIds(r.classMap(), out.resolve(backend + "-classes.png"));
            PngOutputs.writeImage(blended, out.resolve(backend + "-overlay.png"));
          }
          if (i >= warmup) {
            int j = i - warmup;
            t[0][j] = r.timings().preprocess();
            t[1][j] = r.timings().forward();
            t[2][j] = r.timings().postprocess();
            t[3][j] = (t2 - t1) / 1e6;
            t[4][j] = (t3 - t2) / 1e6;
            t[5][j] = (t3 - t0) / 1e6;
          }
        }
        double total = Arrays.stream(t[5]).sum();
        o.printf(
            Locale.ROOT,
            "{\"pipeline\": \"ours\", \"backend\": \"%s\", \"version\": \"%s\", \"model\": \"%s\", "
                + "\"image\": \"%dx%d\", \"frames\": %d, \"warmup\": %d, \"threads\": %d, \"fps\": %.3f, "
                + "\"median_ms\": {\"preprocess\": %.3f, \"forward\": %.3f, \"postprocess\": %.3f, \"color\": %.3f, "
                + "\"blend\": %.3f, \"total\": %.3f}, \"jdk\": \"%s\", \"kernels\": \"%s\"}%n",
            backend,
            seg.backend().version(),
            card.name(),
            frameList.get(0).width(),
            frameList.get(0).height(),
            frames,
            warmup,
            n,
            frames / (total / 1e3),
            median(t[0]),
            median(t[1]),
            median(t[2]),
            median(t[3]),
            median(t[4]),
            median(t[5]),
            System.getProperty("java.version"),
            k.description().replace('"', '\''));
        o.flush();
      }
    }
  }

  static List<BgrImage> readImages(Path dir) throws IOException {
    ImageDecoder decoder = new ImageDecoder();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".png")
              && !p.getFileName().toString().contains(".labels"))
          .sorted()
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          dir + ": no .png images (write some with: segmenter scenes --out " + dir + ")");
    }
    List<BgrImage> list = new ArrayList<>();
    for (Path f : files) {
      list.add(decoder.read(f));
    }
    return list;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
}
