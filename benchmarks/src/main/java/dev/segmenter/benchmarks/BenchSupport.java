package dev.segmenter.benchmarks;

import dev.segmenter.engine.kernels.Kernels;
import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Inputs and helpers shared by the kernel benchmarks. */
final class BenchSupport {

  /** JVM flags of every fork: the Vector API module, no DJL downloads, heap for the large tensors. */
  static final String[] JVM_ARGS = {
    "--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true", "-Xms2g", "-Xmx6g"
  };

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static boolean openCvLoaded;

  private BenchSupport() {}

  /** "512x512" to {width, height}. */
  static int[] size(String s) {
    String[] p = s.split("x");
    return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
  }

  /** Random logits, with a couple of dominant classes per region as a real network would produce. */
  static float[] scores(int classes, int pixels, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] s = new float[classes * pixels];
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) (r.nextDouble() * 8 - 4);
    }
    return s;
  }

  static byte[] bytes(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return b;
  }

  /** 3 bytes per id, {@code entries} ids. */
  static byte[] lut3(int entries, long seed) {
    return bytes(3 * entries, seed);
  }

  /** Read-only vector pass over {@code a[from..to)}: the memory-bandwidth bound of an argmax. */
  static float sum(float[] a, int from, int to) {
    FloatVector acc0 = FloatVector.zero(F);
    FloatVector acc1 = FloatVector.zero(F);
    int lanes = F.length();
    int i = from;
    for (int bound = to - 2 * lanes; i <= bound; i += 2 * lanes) {
      acc0 = acc0.add(FloatVector.fromArray(F, a, i));
      acc1 = acc1.add(FloatVector.fromArray(F, a, i + lanes));
    }
    float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    for (; i < to; i++) {
      s += a[i];
    }
    return s;
  }

  static Kernels vectorKernels() {
    return Kernels.vector();
  }

  static synchronized void loadOpenCv() {
    if (!openCvLoaded) {
      nu.pattern.OpenCV.loadLocally();
      openCvLoaded = true;
    }
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("benchmark self-check failed: " + what);
    }
  }

  static void checkEqual(byte[] expected, byte[] actual, String what) {
    check(Arrays.equals(expected, actual), what + " differs from the scalar kernel");
  }
}
