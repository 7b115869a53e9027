package dev.segmenter.engine.kernels;

import java.util.SplittableRandom;

/**
 * Gets the vector kernels compiled before real images need them. Vector API code runs roughly 100x
 * slower than scalar code until C2 has compiled it (a first 1024x512 image spent 0.2-1 s in
 * post-processing cold against 1-2 ms warm), so {@link Kernels#adaptive()} runs the scalar kernels
 * while this warm-up exercises every vector kernel on synthetic data in a daemon thread, and switches
 * to the vector kernels once each call has been fast for a while. Once per process.
 */
final class KernelWarmup {
  // C2 compiles a method normally only after ~600 invocations (Tier4MinInvocationThreshold), so
  // many small calls
  // get there sooner than a few large ones
  private static final int PIXELS = 1024;
  private static final int CLASSES = 21;
  private static final int MIN_ROUNDS = 700;
  private static final int MAX_ROUNDS = 5000;
  private static final int STABLE_ROUNDS = 20;

  private static volatile boolean ready;
  private static volatile boolean started;

  private KernelWarmup() {}

  /** True once the vector kernels run compiled. */
  static boolean ready() {
    return ready;
  }

  /** Starts the warm-up once per process; later calls do nothing. With -Dsegmenter.nowarmup=true the vector kernels are used at once. */
  static synchronized void start(Kernels vector) {
    if (started) {
      return;
    }
    started = true;
    if (Boolean.getBoolean("segmenter.nowarmup")) {
      ready = true;
      return;
    }
    Thread t = new Thread(
        () -> {
          long t0 = System.nanoTime();
          int rounds = 0;
          try {
            rounds = run(vector);
          } finally {
            ready = true;
            System.getLogger("dev.segmenter.engine.kernels")
                .log(
                    System.Logger.Level.INFO,
                    String.format(
                        java.util.Locale.ROOT,
                        "kernels: vector code warm after %d rounds, %.0f ms",
                        rounds,
                        (System.nanoTime() - t0) / 1e6));
          }
        },
        "segmenter-kernel-warmup");
    t.setDaemon(true);
    t.start();
  }

  /** Exercises every kernel until a round's time has been within 2x of the best for {@value #STABLE_ROUNDS} rounds. */
  static int run(Kernels k) {
    SplittableRandom rnd = new SplittableRandom(7);
    float[] scores = new float[PIXELS * CLASSES];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = (float) rnd.nextDouble(-4, 4);
    }
    // the same scores in native memory, as a runtime's output that the pipeline reads in place
    java.nio.ByteBuffer nativeScores = java.nio.ByteBuffer.allocateDirect(
            Float.BYTES * scores.length)
        .order(java.nio.ByteOrder.nativeOrder());
    nativeScores.asFloatBuffer().put(scores);
    byte[] ids = new byte[PIXELS];
    short[] wide = new short[PIXELS];
    byte[] lut3 = new byte[3 * (CLASSES + 1)];
    int[] lutArgb = new int[CLASSES + 1];
    byte[] image = new byte[3 * PIXELS];
    byte[] colors = new byte[3 * PIXELS];
    byte[] blended = new byte[3 * PIXELS];
    int[] argb = new int[PIXELS];
    int side = 32;
    byte[] big = new byte[4 * side * side];
    short[] bigWide = new short[4 * side * side];
    long best = Long.MAX_VALUE;
    int stable = 0;
    for (int r = 0; r < MAX_ROUNDS; r++) {
      long t0 = System.nanoTime();
      k.argmax().argmaxPlanar(scores, 0, CLASSES, PIXELS, 0, PIXELS, ids);
      k.argmax().argmaxPlanar(scores, 0, CLASSES, PIXELS, 0, PIXELS, wide);
      k.argmax().argmaxPlanar(nativeScores, 0, CLASSES, PIXELS, 0, PIXELS, ids);
      k.argmax().argmaxInterleaved(scores, 0, CLASSES, 0, PIXELS, ids);
      k.palette().lookup3(ids, 0, PIXELS, lut3, colors);
      k.palette().lookupArgb(ids, 0, PIXELS, lutArgb, argb);
      k.blend().blend(image, colors, 0.5f, 0, 3 * PIXELS, blended);
      k.resize().nearest(ids, side, side, big, 2 * side, 2 * side, 0.5, 0, 0.5, 0, 0, 2 * side);
      k.resize()
          .nearest(wide, side, side, bigWide, 2 * side, 2 * side, 0.5, 0, 0.5, 0, 0, 2 * side);
      k.resize()
          .bilinearArgmax(
              scores, 0, CLASSES, side, side, big, 2 * side, 2 * side, 0.5, 0, 0.5, 0, 0, 8);
      k.composite().composite(image, colors, ids, 0, PIXELS, blended);
      long t = System.nanoTime() - t0;
      best = Math.min(best, t);
      stable = t <= 2 * best ? stable + 1 : 0;
      if (r >= MIN_ROUNDS && stable >= STABLE_ROUNDS) {
        return r + 1;
      }
    }
    return MAX_ROUNDS;
  }
}
