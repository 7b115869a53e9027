package dev.segmenter.engine.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits a range into contiguous chunks run on a shared pool of daemon threads. Every kernel writes only its
 * own range, so results are identical to a single-threaded call. Exceptions thrown by any chunk propagate to
 * the caller (the first one, with the others suppressed) after all chunks have finished.
 */
public final class Parallel {

  private static final AtomicInteger THREAD_COUNT = new AtomicInteger();

  private Parallel() {}

  private static final class Pool {
    static final ForkJoinPool POOL = new ForkJoinPool(
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        pool -> {
          ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
          t.setName("segmenter-kernels-" + THREAD_COUNT.incrementAndGet());
          t.setDaemon(true);
          return t;
        },
        null,
        false);
  }

  /**
   * Runs {@code body} over {@code [0, n)} in at most {@code threads} contiguous chunks of at least
   * {@code minChunk} elements (the last chunk takes the remainder). With {@code threads <= 1} or
   * {@code n < 2 * minChunk} the body runs inline on the calling thread as one chunk.
   */
  public static void forRange(int n, int threads, int minChunk, IntRangeConsumer body) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    if (n == 0) {
      return;
    }
    int chunks = (int) Math.min(Math.max(threads, 1), n / Math.max(1L, minChunk));
    if (chunks <= 1) {
      body.accept(0, n);
      return;
    }
    Throwable[] errors = new Throwable[chunks];
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
    for (int k = 1; k < chunks; k++) {
      int chunk = k;
      int from = bound(n, chunks, k);
      int to = bound(n, chunks, k + 1);
      tasks[k - 1] = Pool.POOL.submit(() -> {
        try {
          body.accept(from, to);
        } catch (Throwable t) {
          errors[chunk] = t;
        }
      });
    }
    try {
      body.accept(0, bound(n, chunks, 1));
    } catch (Throwable t) {
      errors[0] = t;
    }
    for (ForkJoinTask<?> task : tasks) {
      task.join();
    }
    Throwable failure = null;
    for (Throwable t : errors) {
      if (t == null) {
        continue;
      }
      if (failure == null) {
        failure = t;
      } else if (t != failure) {
        failure.addSuppressed(t);
      }
    }
    if (failure instanceof RuntimeException) {
      throw (RuntimeException) failure;
    }
    if (failure instanceof Error) {
      throw (Error) failure;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }

  private static int bound(int n, int chunks, int k) {
    return (int) ((long) n * k / chunks);
  }
}
