package dev.segmenter.benchmarks;

import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.kernels.ResizeKernel;
import java.util.concurrent.TimeUnit;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
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
 * Nearest-neighbour upscaling of a class map 512x512 to 1024x1024 (the usual network-to-image step). OpenCV's
 * reference is {@code Imgproc.resize(INTER_NEAREST)} on Mats prepared in setup, without copies; at an exact 2x
 * both map destination x to floor(x / 2), checked in setup.
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
public class ResizeBenchmark {

  @Param({"512x512"})
  public String size;

  @Param({"2"})
  public int factor;

  byte[] src;
  byte[] dst;
  int w;
  int h;
  ResizeKernel scalar;
  ResizeKernel vector;
  Mat cvSrc;
  Mat cvDst;

  @Setup(Level.Trial)
  public void setup() {
    int[] wh = BenchSupport.size(size);
    w = wh[0];
    h = wh[1];
    src = BenchSupport.bytes(w * h, 3);
    dst = new byte[w * h * factor * factor];
    scalar = Kernels.scalar().resize();
    vector = BenchSupport.vectorKernels().resize();
    byte[] expected = new byte[dst.length];
    scalar.nearest(
        src,
        w,
        h,
        expected,
        w * factor,
        h * factor,
        1.0 / factor,
        0,
        1.0 / factor,
        0,
        0,
        h * factor);
    nearestVector();
    BenchSupport.checkEqual(expected, dst, "vector nearest");
    BenchSupport.loadOpenCv();
    Core.setNumThreads(1);
    cvSrc = new Mat(h, w, CvType.CV_8UC1);
    cvSrc.put(0, 0, src);
    cvDst = new Mat(h * factor, w * factor, CvType.CV_8UC1);
    nearestOpencv();
    byte[] cv = new byte[dst.length];
    cvDst.get(0, 0, cv);
    BenchSupport.checkEqual(expected, cv, "opencv INTER_NEAREST");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (cvSrc != null) {
      cvSrc.release();
      cvDst.release();
    }
  }

  @Benchmark
  public byte[] nearestScalar() {
    scalar.nearest(
        src, w, h, dst, w * factor, h * factor, 1.0 / factor, 0, 1.0 / factor, 0, 0, h * factor);
    return dst;
  }

  @Benchmark
  public byte[] nearestVector() {
    vector.nearest(
        src, w, h, dst, w * factor, h * factor, 1.0 / factor, 0, 1.0 / factor, 0, 0, h * factor);
    return dst;
  }

  @Benchmark
  public Mat nearestOpencv() {
    Imgproc.resize(cvSrc, cvDst, new Size(w * factor, h * factor), 0, 0, Imgproc.INTER_NEAREST);
    return cvDst;
  }
}
