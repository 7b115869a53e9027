package dev.segmenter.engine;

import java.util.Locale;

/**
 * How the cores are split between concurrent inferences and each runtime's own (intra-op) threads: OpenVINO's
 * {@code THROUGHPUT} versus {@code LATENCY} hint. One image wants its forward pass as short as possible: one
 * inference on every core. A batch wants the most images per second: runtimes scale poorly across cores inside one
 * small network's layers, so several single-threaded inferences side by side keep the cores busier, and the
 * decoding and writing of other images fill the gaps.
 *
 * <p>Measured on 2 cores (enet-streets, 1024x512 scenes; {@code benchmarks/run batch}, README "Whole job"): every
 * backend's forward-only rate was higher with 2 inferences x 1 thread than with 1 x 2 threads, so a batch gets
 * {@code cores} inferences x 1 thread. An explicit thread count or concurrency overrides the plan; when only one is
 * given the other fills the cores.
 *
 * @param concurrency images in inference at once
 * @param runtimeThreads threads each runtime may use inside one forward pass (0: the runtime decides, all cores)
 * @param reason why, in words (for {@code --print-config} and logs)
 */
public record ThroughputPlan(int concurrency, int runtimeThreads, String reason) {

  /**
   * The plan for a run.
   *
   * @param images how many images the run has (1 or unknown-small: latency; more: throughput)
   * @param cores the cores to use
   * @param threads the runtime threads asked for, or 0 when not asked
   * @param concurrency the concurrency asked for, or 0 when not asked
   */
  public static ThroughputPlan choose(long images, int cores, int threads, int concurrency) {
    if (cores < 1) {
      throw new ConfigException("cores must be >= 1, got " + cores);
    }
    if (threads < 0 || concurrency < 0) {
      throw new ConfigException(
          "threads and concurrency must be >= 0, got " + threads + " and " + concurrency);
    }
    if (concurrency > 0 && threads > 0) {
      return new ThroughputPlan(
          concurrency, threads, "as asked: " + concurrency + " x " + threads + " threads");
    }
    if (concurrency > 0) {
      int t = Math.max(1, cores / concurrency);
      return new ThroughputPlan(
          concurrency,
          t,
          String.format(
              Locale.ROOT,
              "%d concurrent inferences as asked, %d runtime thread(s) each to fill %d cores",
              concurrency,
              t,
              cores));
    }
    if (threads > 0) {
      int c = images > 1 ? Math.max(1, cores / threads) : 1;
      return new ThroughputPlan(
          c,
          threads,
          String.format(
              Locale.ROOT,
              "%d runtime thread(s) as asked, %d concurrent inference(s) to fill %d cores",
              threads,
              c,
              cores));
    }
    if (images <= 1) {
      return new ThroughputPlan(
          1, 0, "latency: one image, one inference on all " + cores + " cores");
    }
    return new ThroughputPlan(
        cores,
        1,
        String.format(
            Locale.ROOT,
            "throughput: a batch on %d cores runs %d inferences x 1 runtime thread (measured faster than 1 x %d for"
                + " every backend)",
            cores,
            cores,
            cores));
  }
}
