package dev.segmenter.video;

import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.image.BgrImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Decodes, processes and encodes a video with the three overlapping: one decoder thread, {@code workers} threads
 * running the per-frame stage (segment + render; {@code Segmenter} is thread-safe), and the calling thread encoding
 * the results in frame order. At most {@code depth} frames are between decoding and encoding at any time, so memory
 * is bounded by {@code depth} frames and their results whatever the video's length.
 *
 * <p>Errors: a stream that breaks (see {@link VideoReader#read()}) stops decoding; the frames decoded before it are
 * still processed and written, then {@link #run} throws the reader's {@link VideoException}. An error in the stage or
 * the encoder stops everything at once and is rethrown as it is (a {@code ModelException} stays one). The writer is
 * not closed here: the caller closes it, which finishes the file with the frames written.
 *
 * <p>Self-contained on purpose: the engine's general batch pipeline can replace it behind the same {@link Stage}.
 */
public final class VideoPipeline {
  private static final Object END = new Object();

  private final int workers;
  private final int depth;

  /** What happens to each frame between decoding and encoding; called from several threads at once. */
  @FunctionalInterface
  public interface Stage {
    BgrImage process(long index, BgrImage frame);
  }

  /**
   * Frames, and the nanoseconds each stage spent, summed over frames (stage time is summed over the workers, so it
   * can exceed the wall time).
   */
  public record Result(
      long frames, long decodeNanos, long stageNanos, long encodeNanos, long wallNanos) {
    /** End-to-end frames per second. */
    public double framesPerSecond() {
      return frames / Math.max(1e-9, wallNanos / 1e9);
    }
  }

  /**
   * @param workers threads running the stage (1 or more)
   * @param depth frames in flight between decoder and encoder (at least {@code workers})
   */
  public VideoPipeline(int workers, int depth) {
    if (workers < 1 || depth < workers) {
      throw new IllegalArgumentException(
          "workers " + workers + " must be >= 1 and depth " + depth + " >= workers");
    }
    this.workers = workers;
    this.depth = depth;
  }

  /** A stage that segments each frame and renders the result. */
  public static Stage segmenting(Function<BgrImage, Segmentation> segment, FrameRenderer renderer) {
    return (index, image) -> renderer.render(new Frame(index, image, segment.apply(image)));
  }

  /** Runs the whole video; see the class comment for errors. */
  public Result run(VideoReader in, VideoWriter out, Stage stage) {
    return run(in, out, stage, n -> {});
  }

  /** Runs the whole video, calling {@code written} with the count after each frame is encoded (encoder thread). */
  public Result run(VideoReader in, VideoWriter out, Stage stage, LongConsumer written) {
    long t0 = System.nanoTime();
    Semaphore permits = new Semaphore(depth);
    BlockingQueue<Object> toWork = new ArrayBlockingQueue<>(depth + 1);
    BlockingQueue<Done> toEncode = new ArrayBlockingQueue<>(depth + 1);
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    AtomicReference<VideoException> streamError = new AtomicReference<>();
    AtomicLong total = new AtomicLong(-1);
    AtomicLong decodeNanos = new AtomicLong();
    AtomicLong stageNanos = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    String name = String.valueOf(in.file().getFileName());

    Thread decoder = new Thread(
        () -> {
          long n = 0;
          try {
            while (failure.get() == null) {
              permits.acquire();
              long d0 = System.nanoTime();
              BgrImage image;
              try {
                image = in.read();
              } catch (VideoException e) {
                streamError.set(e);
                image = null;
              }
              decodeNanos.addAndGet(System.nanoTime() - d0);
              if (image == null) {
                break;
              }
              toWork.put(new Work(n++, image));
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
          } finally {
            total.set(n);
            toWork.offer(END);
          }
        },
        "video-decode " + name);
    threads.add(decoder);
    for (int i = 0; i < workers; i++) {
      threads.add(new Thread(
          () -> {
            try {
              while (failure.get() == null) {
                Object item = toWork.take();
                if (item == END) {
                  toWork.put(END);
                  return;
                }
                Work w = (Work) item;
                long s0 = System.nanoTime();
                BgrImage result = stage.process(w.index, w.image);
                stageNanos.addAndGet(System.nanoTime() - s0);
                toEncode.put(new Done(w.index, result));
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
              failure.compareAndSet(
                  null, e instanceof RuntimeException r ? r : new IllegalStateException(e));
            }
          },
          "video-segment-" + i + " " + name));
    }
    threads.forEach(t -> {
      t.setDaemon(true);
      t.start();
    });

    long encodeNanos = 0;
    long next = 0;
    Map<Long, BgrImage> pending = new HashMap<>();
    try {
      while (failure.get() == null) {
        long end = total.get();
        if (end >= 0 && next >= end) {
          break;
        }
        Done d = toEncode.poll(20, TimeUnit.MILLISECONDS);
        if (d == null) {
          continue;
        }
        pending.put(d.index, d.image);
        for (BgrImage image; failure.get() == null && (image = pending.remove(next)) != null; ) {
          long e0 = System.nanoTime();
          out.write(image);
          encodeNanos += System.nanoTime() - e0;
          next++;
          written.accept(next);
          permits.release();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.compareAndSet(
          null, new VideoException(in.file() + ": interrupted after " + next + " frames"));
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    } finally {
      if (failure.get() != null) {
        threads.forEach(Thread::interrupt);
      }
      for (Thread t : threads) {
        joinQuietly(t);
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    if (streamError.get() != null) {
      throw streamError.get();
    }
    return new Result(
        next, decodeNanos.get(), stageNanos.get(), encodeNanos, System.nanoTime() - t0);
  }

  private static void joinQuietly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private record Work(long index, BgrImage image) {}

  private record Done(long index, BgrImage image) {}
}
