package dev.segmenter.benchmarks;

import dev.segmenter.engine.kernels.BlendKernel;
import dev.segmenter.engine.kernels.Kernels;
import java.util.concurrent.TimeUnit;
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

/**
 * Overlay of a color image on a BGR image at alpha 0.5 (512x512x3 bytes). OpenCV's reference is
 * {@code Core.addWeighted} on Mats prepared in setup, without copies; it rounds half to even, ours half up, so
 * the self-check allows a difference of 1.
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
public class BlendBenchmark {

  @Param({"512x512"})
  public String size;

  @Param({"0.5"})
  public float alpha;

  byte[] image;
  byte[] color;
  byte[] out;
  BlendKernel scalar;
  BlendKernel vector;
  Mat cvImage;
  Mat cvColor;
  Mat cvOut;

  @Setup(Level.Trial)
  public void setup() {
    int[] wh = BenchSupport.size(size);
    int n = 3 * wh[0] * wh[1];
    image = BenchSupport.bytes(n, 1);
    color = BenchSupport.bytes(n, 2);
    out = new byte[n];
    scalar = Kernels.scalar().blend();
    vector = BenchSupport.vectorKernels().blend();
    byte[] expected = new byte[n];
    scalar.blend(image, color, alpha, 0, n, expected);
    vector();
    BenchSupport.checkEqual(expected, out, "vector blend");
    BenchSupport.loadOpenCv();
    Core.setNumThreads(1);
    cvImage = new Mat(wh[1], wh[0], CvType.CV_8UC3);
    cvImage.put(0, 0, image);
    cvColor = new Mat(wh[1], wh[0], CvType.CV_8UC3);
    cvColor.put(0, 0, color);
    cvOut = new Mat();
    opencvAddWeighted();
    byte[] cv = new byte[n];
    cvOut.get(0, 0, cv);
    for (int i = 0; i < n; i++) {
      BenchSupport.check(
          Math.abs((cv[i] & 0xFF) - (expected[i] & 0xFF)) <= 1, "opencv addWeighted at " + i);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (cvImage != null) {
      cvImage.release();
      cvColor.release();
      cvOut.release();
    }
  }

  @Benchmark
  public byte[] scalar() {
    scalar.blend(image, color, alpha, 0, image.length, out);
    return out;
  }

  @Benchmark
  public byte[] vector() {
    vector.blend(image, color, alpha, 0, image.length, out);
    return out;
  }

  @Benchmark
  public Mat opencvAddWeighted() {
    Core.addWeighted(cvImage, 1 - alpha, cvColor, alpha, 0, cvOut);
    return cvOut;
  }
}
