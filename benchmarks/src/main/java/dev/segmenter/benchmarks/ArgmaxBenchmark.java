package dev.segmenter.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.segmenter.engine.kernels.ArgmaxKernel;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.kernels.Parallel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Per-pixel argmax over a planar (NCHW) score tensor: the scalar and vector kernels against the read-only
 * bandwidth bound, PyTorch's {@code argMax(1)} (through DJL, with the int64 result copied back to Java) and
 * OpenCV's {@code reduceArgMax} over a (C, H*W) Mat (int32 result copied back).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules",
      "jdk.incubator.vector",
      "-Dai.djl.offline=true",
      "-Xms2g",
      "-Xmx6g"
    })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ArgmaxBenchmark {

  @Param({"2", "19", "21", "150"})
  public int classes;

  @Param({"64x64", "500x375", "512x512", "1024x2048"})
  public String size;

  @Param({"1", "2"})
  public int threads;

  float[] scores;
  /** The same scores in native memory, as a runtime's output (a direct buffer in native byte order). */
  ByteBuffer nativeScores;

  byte[] ids;
  int pixels;
  int[] wh;
  ArgmaxKernel scalar;
  ArgmaxKernel vector;
  NDManager manager;
  NDArray tensor;
  Mat cvScores;
  Mat cvIds;
  int[] cvOut;
  final DoubleAdder sum = new DoubleAdder();

  /** Each fork loads only the runtime its benchmark measures (and checks it against the scalar kernel). */
  @Setup(Level.Trial)
  public void setup(BenchmarkParams params) {
    wh = BenchSupport.size(size);
    pixels = wh[0] * wh[1];
    scores = BenchSupport.scores(classes, pixels, 42);
    ids = new byte[pixels];
    scalar = Kernels.scalar().argmax();
    vector = BenchSupport.vectorKernels().argmax();
    byte[] expected = new byte[pixels];
    scalar.argmaxPlanar(scores, 0, classes, pixels, 0, pixels, expected);
    vector();
    BenchSupport.checkEqual(expected, ids, "vector argmax");
    nativeScores =
        ByteBuffer.allocateDirect(scores.length * Float.BYTES).order(ByteOrder.nativeOrder());
    nativeScores.asFloatBuffer().put(scores);
    java.util.Arrays.fill(ids, (byte) 0);
    vectorNative();
    BenchSupport.checkEqual(expected, ids, "vector argmax from native memory");
    String method = params.getBenchmark();
    if (method.endsWith(".pytorch")) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
      manager = Engine.getEngine("PyTorch").newBaseManager();
      tensor = manager.create(scores, new Shape(1, classes, wh[1], wh[0]));
      long[] torch = pytorch();
      for (int p = 0; p < pixels; p++) {
        BenchSupport.check(torch[p] == (expected[p] & 0xFF), "pytorch argmax at pixel " + p);
      }
    }
    if (method.endsWith(".opencv")) {
      BenchSupport.loadOpenCv();
      Core.setNumThreads(threads);
      cvScores = new Mat(classes, pixels, CvType.CV_32F);
      cvScores.put(0, 0, scores);
      cvIds = new Mat();
      cvOut = new int[pixels];
      int[] cv = opencv();
      for (int p = 0; p < pixels; p++) {
        BenchSupport.check(cv[p] == (expected[p] & 0xFF), "opencv argmax at pixel " + p);
      }
    }
    BenchSupport.check(
        Math.abs(bandwidth() - BenchSupport.sum(scores, 0, scores.length)) < 1e-2f * scores.length,
        "bandwidth pass sums every score");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (manager != null) {
      manager.close();
    }
    if (cvScores != null) {
      cvScores.release();
      cvIds.release();
    }
  }

  @Benchmark
  public byte[] scalar() {
    run(scalar);
    return ids;
  }

  @Benchmark
  public byte[] vector() {
    run(vector);
    return ids;
  }

  /** The vector kernel reading the scores from native memory (a runtime's output, no copy to the heap). */
  @Benchmark
  public byte[] vectorNative() {
    ArgmaxKernel k = vector;
    ByteBuffer s = nativeScores;
    byte[] out = ids;
    int c = classes;
    int n = pixels;
    Parallel.forRange(n, threads, 16384, (from, to) -> k.argmaxPlanar(s, 0, c, n, from, to, out));
    return out;
  }

  private void run(ArgmaxKernel k) {
    float[] s = scores;
    byte[] out = ids;
    int c = classes;
    int n = pixels;
    Parallel.forRange(n, threads, 16384, (from, to) -> k.argmaxPlanar(s, 0, c, n, from, to, out));
  }

  /** Reads every score once (vector sum), split like the kernels: the memory-bandwidth bound. */
  @Benchmark
  public float bandwidth() {
    float[] s = scores;
    int n = pixels;
    int c = classes;
    DoubleAdder total = sum;
    total.reset();
    Parallel.forRange(n, threads, 16384, (from, to) -> {
      float acc = 0;
      for (int k = 0; k < c; k++) {
        acc += BenchSupport.sum(s, k * n + from, k * n + to);
      }
      total.add(acc);
    });
    return (float) total.sum();
  }

  @Benchmark
  public long[] pytorch() {
    try (NDArray r = tensor.argMax(1)) {
      return r.toLongArray();
    }
  }

  @Benchmark
  public int[] opencv() {
    Core.reduceArgMax(cvScores, cvIds, 0);
    cvIds.get(0, 0, cvOut);
    return cvOut;
  }
}
