package dev.segmenter.benchmarks;

import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.kernels.PaletteKernel;
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
 * Class map (one byte per pixel) to a 3-byte color image. OpenCV's reference is {@code Core.LUT} with a
 * 3-channel table on a 3-channel id image prepared in setup (OpenCV's LUT needs as many input channels as the
 * table has), so it is measured without any conversion or copy: the strictest reference.
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
public class PaletteBenchmark {

  @Param({"21", "150"})
  public int classes;

  @Param({"512x512"})
  public String size;

  byte[] ids;
  byte[] lut3;
  byte[] out;
  PaletteKernel scalar;
  PaletteKernel vector;
  Mat cvIds;
  Mat cvLut;
  Mat cvOut;

  @Setup(Level.Trial)
  public void setup() {
    int[] wh = BenchSupport.size(size);
    int pixels = wh[0] * wh[1];
    ids = new byte[pixels];
    byte[] r = BenchSupport.bytes(pixels, 7);
    for (int p = 0; p < pixels; p++) {
      ids[p] = (byte) ((r[p] & 0xFF) % classes);
    }
    lut3 = BenchSupport.lut3(256, 11);
    out = new byte[3 * pixels];
    scalar = Kernels.scalar().palette();
    vector = BenchSupport.vectorKernels().palette();
    byte[] expected = new byte[3 * pixels];
    scalar.lookup3(ids, 0, pixels, lut3, expected);
    vector();
    BenchSupport.checkEqual(expected, out, "vector lookup3");
    BenchSupport.loadOpenCv();
    Core.setNumThreads(1);
    byte[] ids3 = new byte[3 * pixels];
    for (int p = 0; p < pixels; p++) {
      ids3[3 * p] = ids[p];
      ids3[3 * p + 1] = ids[p];
      ids3[3 * p + 2] = ids[p];
    }
    cvIds = new Mat(wh[1], wh[0], CvType.CV_8UC3);
    cvIds.put(0, 0, ids3);
    cvLut = new Mat(1, 256, CvType.CV_8UC3);
    cvLut.put(0, 0, lut3);
    cvOut = new Mat();
    opencvLut();
    byte[] cv = new byte[3 * pixels];
    cvOut.get(0, 0, cv);
    BenchSupport.checkEqual(expected, cv, "opencv LUT");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (cvIds != null) {
      cvIds.release();
      cvLut.release();
      cvOut.release();
    }
  }

  @Benchmark
  public byte[] scalar() {
    scalar.lookup3(ids, 0, ids.length, lut3, out);
    return out;
  }

  @Benchmark
  public byte[] vector() {
    vector.lookup3(ids, 0, ids.length, lut3, out);
    return out;
  }

  @Benchmark
  public Mat opencvLut() {
    Core.LUT(cvIds, cvLut, cvOut);
    return cvOut;
  }
}
