package dev.segmenter.engine.kernels;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Compiles the kernels before the first image needs them. Vector API code runs very slowly until C2
 * has compiled it (the first 1024x512 image took 0.2-0.7 s of post-processing cold against 12 ms warm),
 * so {@link #startInBackground(Kernels)} exercises every kernel on small synthetic data in a daemon
 * thread, once per process, while the caller loads its model (which takes longer than the warm-up).
 * Results are discarded; nothing is shared with callers.
 */
public final class KernelWarmup {
  private static final AtomicBoolean STARTED = new AtomicBoolean();
  private static final int PIXELS = 8192;
  private static final int ROUNDS = 120;

  private KernelWarmup() {}

  /** Starts the warm-up once per process; later calls do nothing. */
  public static void startInBackground(Kernels kernels) {
    if (Boolean.getBoolean("segmenter.nowarmup") || !STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(() -> run(kernels), "segmenter-kernel-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  /** Runs the warm-up on the calling thread. */
  public static void run(Kernels k) {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
    int classes = 21;
    float[] scores = new float[PIXELS * classes];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = (float) rnd.nextDouble(-4, 4);
    }
    byte[] ids = new byte[PIXELS];
    byte[] lut3 = new byte[3 * (classes + 1)];
    int[] lutArgb = new int[classes + 1];
    byte[] image = new byte[3 * PIXELS];
    byte[] colors = new byte[3 * PIXELS];
    byte[] blended = new byte[3 * PIXELS];
    int[] argb = new int[PIXELS];
    int side = (int) Math.sqrt(PIXELS);
    byte[] big = new byte[4 * side * side];
    for (int r = 0; r < ROUNDS; r++) {
      k.argmax().argmaxPlanar(scores, 0, classes, PIXELS, 0, PIXELS, ids);
      k.argmax().argmaxInterleaved(scores, 0, classes, 0, PIXELS, ids);
      k.palette().lookup3(ids, 0, PIXELS, lut3, colors);
      k.palette().lookupArgb(ids, 0, PIXELS, lutArgb, argb);
      k.blend().blend(image, colors, 0.5f, 0, 3 * PIXELS, blended);
      k.resize().nearest(ids, side, side, big, 2 * side, 2 * side, 0.5, 0, 0.5, 0, 0, 2 * side);
      if (r % 8 == 0) {
        k.resize().bilinearArgmax(scores, 0, classes, side, side, big, 2 * side, 2 * side, 0.5, 0, 0.5, 0, 0, 2 * side);
      }
    }
  }
}
