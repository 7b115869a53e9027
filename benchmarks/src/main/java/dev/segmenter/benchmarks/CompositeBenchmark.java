package dev.segmenter.benchmarks;

import dev.segmenter.engine.kernels.CompositeKernel;
import dev.segmenter.engine.kernels.Kernels;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Background replacement's per-pixel alpha composite of a BGR image over a BGR background with one alpha byte
 * per pixel (a video frame, and an odd size whose pixel count is no multiple of the lanes), scalar vs vector.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 3,
    jvmArgsAppend = {
      "--add-modules",
      "jdk.incubator.vector",
      "-Dai.djl.offline=true",
      "-Xms2g",
      "-Xmx6g"
    })
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CompositeBenchmark {

  @Param({"640x360", "511x383"})
  public String size;

  byte[] image;
  byte[] background;
  byte[] alpha;
  byte[] out;
  int pixels;
  CompositeKernel scalar;
  CompositeKernel vector;

  @Setup(Level.Trial)
  public void setup() {
    int[] wh = BenchSupport.size(size);
    pixels = wh[0] * wh[1];
    image = BenchSupport.bytes(3 * pixels, 1);
    background = BenchSupport.bytes(3 * pixels, 2);
    alpha = BenchSupport.bytes(pixels, 3);
    out = new byte[3 * pixels];
    scalar = Kernels.scalar().composite();
    vector = BenchSupport.vectorKernels().composite();
    byte[] expected = new byte[3 * pixels];
    scalar.composite(image, background, alpha, 0, pixels, expected);
    vector();
    BenchSupport.checkEqual(expected, out, "vector composite");
  }

  @Benchmark
  public byte[] scalar() {
    scalar.composite(image, background, alpha, 0, pixels, out);
    return out;
  }

  @Benchmark
  public byte[] vector() {
    vector.composite(image, background, alpha, 0, pixels, out);
    return out;
  }
}
