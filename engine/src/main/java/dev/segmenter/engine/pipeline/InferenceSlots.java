package dev.segmenter.engine.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The forward passes that may run at once, shared between whole images and the tiles (and test-time augmented
 * passes) of each image, so that tiling never multiplies the concurrency a plan chose.
 *
 * <p>A batch job makes one with as many slots as concurrent inferences; each of its segmenting threads holds a slot
 * ({@link #acquire}) while it segments an image. An image's tiles run on the thread that segments it, plus a helper
 * for each slot that is free at the start of a row of tiles (an image alone at the end of a batch, or while the
 * next images are still decoding). A helper gives its slot back after a tile when an image waits for one. So a
 * batch of large images on {@code N} slots runs {@code N} forward passes at once, never {@code N x tiles}, and
 * memory holds one band of scores per image in segmentation (see {@link TiledInference}).
 *
 * <p>Outside a batch, a segmenter's callers hold no slot: each caller's thread runs its own tiles, and the slots
 * are the helpers all callers share ({@code tileWorkers - 1}).
 *
 * <pre>{@code
 * try (InferenceSlots slots = new InferenceSlots(cores, "segmenter-tile")) {
 *   slots.acquire();
 *   try {
 *     slots.runAll(crops.size(), i -> forwardAndBlend(crops.get(i)));
 *   } finally {
 *     slots.release();
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops the idle helper threads; idempotent. Thread-safe.
 */
public final class InferenceSlots implements AutoCloseable {
  private final int size;
  private final Semaphore free;
  private final ExecutorService helpers;

  /**
   * @param slots forward passes at once, besides the threads that hold none (0: every task runs on its caller)
   * @param threadName the helper threads' name
   */
  public InferenceSlots(int slots, String threadName) {
    if (slots < 0) {
      throw new IllegalArgumentException("inference slots must be >= 0, got " + slots);
    }
    this.size = slots;
    this.free = new Semaphore(slots, true);
    AtomicInteger n = new AtomicInteger();
    this.helpers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** The number of slots. */
  public int size() {
    return size;
  }

  /** Takes a slot for the calling thread, waiting (first come, first served) until one is free. */
  public void acquire() {
    free.acquireUninterruptibly();
  }

  /** Gives back a slot taken with {@link #acquire}. */
  public void release() {
    free.release();
  }

  /**
   * Runs {@code task} for {@code 0..count-1}, each index once, on the calling thread and on a helper for each slot
   * free now (at most {@code count - 1}); returns when all have run. Tasks are claimed in index order. After a task
   * fails no further index is claimed, and the first failure is rethrown once the tasks running have ended.
   */
  public void runAll(int count, IntConsumer task) {
    if (count <= 0) {
      return;
    }
    Work work = new Work(count, task);
    List<Future<?>> helping = new ArrayList<>();
    while (helping.size() < count - 1 && takeFreeSlot()) {
      try {
        helping.add(helpers.submit(() -> {
          try {
            work.run(true);
          } finally {
            free.release();
          }
        }));
      } catch (RejectedExecutionException e) {
        free.release(); // closed: the caller does the rest
        break;
      }
    }
    work.run(false);
    boolean interrupted = false;
    for (Future<?> f : helping) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          // the helpers are each within one task: stop claiming, wait for them, then report the
          // interrupt
          interrupted = true;
          work.failure.compareAndSet(
              null, new IllegalStateException("interrupted while segmenting tiles", e));
        } catch (ExecutionException e) {
          work.failure.compareAndSet(null, e.getCause());
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable t = work.failure.get();
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error err) {
      throw err;
    }
    if (t != null) {
      throw new IllegalStateException(t);
    }
  }

  /** A free slot now, unless a thread already waits for one (images waiting to start come before more tiles). */
  private boolean takeFreeSlot() {
    try {
      return free.tryAcquire(
          0, TimeUnit.SECONDS); // unlike tryAcquire(), honours the queue of waiting threads
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The indices of one {@link #runAll}, claimed in order by the caller and the helpers. */
  private final class Work {
    final int count;
    final IntConsumer task;
    final AtomicInteger next = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Work(int count, IntConsumer task) {
      this.count = count;
      this.task = task;
    }

    void run(boolean helper) {
      while (failure.get() == null) {
        int i = next.getAndIncrement();
        if (i >= count) {
          return;
        }
        try {
          task.accept(i);
        } catch (RuntimeException | Error e) {
          failure.compareAndSet(null, e);
          return;
        }
        if (helper && free.hasQueuedThreads()) {
          return; // an image waits for a slot: hand this one over
        }
      }
    }
  }

  /** Stops the helper threads once their tasks end. Idempotent. */
  @Override
  public void close() {
    helpers.shutdown();
  }
}
