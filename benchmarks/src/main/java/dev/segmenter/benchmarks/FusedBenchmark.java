package dev.segmenter.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.segmenter.engine.kernels.Kernels;
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
 * Scores to overlay at image size: the fused vector kernel against the three vector kernels run one after the
 * other ({@code separate}) and against the vector argmax alone ({@code argmax}, the reference: fusing should cost
 * little more than reading the scores).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true", "-Xms2g",
    "-Xmx6g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FusedBenchmark {

  @Param({"21"})
  public int classes;

  /** 512x512 fits the last-level cache; 1024x512 is ENet's output at 1024x512 (19 or 21 classes: out of it). */
  @Param({"512x512", "1024x512"})
  public String size;

  float[] scores;
  byte[] image;
  byte[] lut3;
  byte[] ids;
  byte[] color;
  byte[] overlay;
  int pixels;
  Kernels kernels;

  @Setup(Level.Trial)
  public void setup() {
    int[] wh = BenchSupport.size(size);
    pixels = wh[0] * wh[1];
    scores = BenchSupport.scores(classes, pixels, 5);
    image = BenchSupport.bytes(3 * pixels, 6);
    lut3 = BenchSupport.lut3(classes, 7);
    ids = new byte[pixels];
    color = new byte[3 * pixels];
    overlay = new byte[3 * pixels];
    kernels = BenchSupport.vectorKernels();
    Kernels s = Kernels.scalar();
    byte[] eIds = new byte[pixels];
    byte[] eColor = new byte[3 * pixels];
    byte[] eOverlay = new byte[3 * pixels];
    s.argmax().argmaxPlanar(scores, 0, classes, pixels, 0, pixels, eIds);
    s.palette().lookup3(eIds, 0, pixels, lut3, eColor);
    s.blend().blend(image, eColor, 0.5f, 0, 3 * pixels, eOverlay);
    separate();
    BenchSupport.checkEqual(eOverlay, overlay, "separate vector kernels");
    java.util.Arrays.fill(overlay, (byte) 0);
    fused();
    BenchSupport.checkEqual(eIds, ids, "fused ids");
    BenchSupport.checkEqual(eOverlay, overlay, "fused overlay");
  }

  @Benchmark
  public byte[] fused() {
    kernels.fused().argmaxPaletteBlend(scores, 0, classes, pixels, 0, pixels, image, lut3, 0.5f, ids, null, overlay);
    return overlay;
  }

  @Benchmark
  public byte[] separate() {
    kernels.argmax().argmaxPlanar(scores, 0, classes, pixels, 0, pixels, ids);
    kernels.palette().lookup3(ids, 0, pixels, lut3, color);
    kernels.blend().blend(image, color, 0.5f, 0, 3 * pixels, overlay);
    return overlay;
  }

  @Benchmark
  public byte[] argmax() {
    kernels.argmax().argmaxPlanar(scores, 0, classes, pixels, 0, pixels, ids);
    return ids;
  }
}
