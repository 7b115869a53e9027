package dev.segmenter.engine;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.pipeline.InferenceSlots;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A streaming batch over many images with one {@link Segmenter}: decoding, forward passes, post-processing and
 * the caller's output writing overlap in bounded stages, so the cores stay busy and memory is bounded by the
 * number of images in flight ({@link Options#inFlight}), never by the number of inputs.
 *
 * <p>Stages, each a small pool: decode ({@link Options#decoders} threads) -> segment ({@link Options#concurrency}
 * concurrent inferences; the segmenter's own session rules apply; the tiles of tiled images share these inferences:
 * each image's tiles run on its own segmenting thread plus the slots other images leave free, see
 * {@link InferenceSlots}) -> {@link Sink#write} ({@link Options#writers}
 * threads, any order) -> {@link Sink#accept} (one thread, the caller's, in input order unless
 * {@link Options#ordered} is false). A failing input is handed to {@code accept} with its {@link Item#failure()} and
 * the others go on. {@link #cancel()} stops taking inputs; images not yet written are skipped (never half-written:
 * {@code write} is never interrupted), and {@link #run} returns once every input taken has been accepted.
 *
 * <pre>{@code
 * try (Segmenter s = Segmenter.builder().model("enet-streets").build();
 *      BatchJob job = s.batch(BatchJob.Options.defaults())) {
 *   BatchJob.Summary sum = job.run(BatchJob.Input.files(paths), new BatchJob.Sink() {
 *     public void write(BatchJob.Item item) { PngOutputs.writeClassIds(item.result().classMap(), ...); }
 *     public void accept(BatchJob.Item item) { System.out.println(item.input().name() + " " + item.status()); }
 *   });
 * }
 * }</pre>
 *
 * <p>A job runs one batch at a time ({@link #run} is not reentrant); {@link #close()} cancels a running batch,
 * waits for it and stops the threads. Idempotent.
 */
public final class BatchJob implements AutoCloseable {
  private final Segmenter segmenter;
  private final Options options;
  private final ExecutorService decodePool;
  private final ExecutorService segmentPool;
  private final ExecutorService writePool;
  /** The {@link Options#concurrency} forward passes at once, shared by whole images and tiles. */
  private final InferenceSlots slots;

  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Thread feeder;

  BatchJob(Segmenter segmenter, Options options) {
    this.segmenter = segmenter;
    this.options = options;
    this.decodePool = Executors.newFixedThreadPool(options.decoders, threads("decode"));
    this.segmentPool = Executors.newFixedThreadPool(options.concurrency, threads("segment"));
    this.writePool = Executors.newFixedThreadPool(options.writers, threads("write"));
    this.slots = new InferenceSlots(options.concurrency, "segmenter-batch-tile");
  }

  /** One image to segment: a file, or pixels with a name. {@code tag} is the caller's, handed back untouched. */
  public record Input(String name, Path file, BgrImage image, Object tag) {
    public Input {
      Objects.requireNonNull(name, "name");
      if ((file == null) == (image == null)) {
        throw new IllegalArgumentException("an input is either a file or an image");
      }
    }

    public static Input of(Path file) {
      return new Input(file.toString(), file, null, null);
    }

    public static Input of(Path file, Object tag) {
      return new Input(file.toString(), file, null, tag);
    }

    public static Input of(String name, BgrImage image) {
      return new Input(name, null, image, null);
    }

    /** Inputs for files, lazily. */
    public static Iterator<Input> files(Iterable<Path> files) {
      Iterator<Path> it = files.iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Input next() {
          return of(it.next());
        }
      };
    }
  }

  /** Where an item ended. */
  public enum Status {
    /** Segmented and written. */
    DONE,
    /** Failed at {@link Item#failedStage()}; see {@link Item#failure()}. */
    FAILED,
    /** Not processed: the job was cancelled first. */
    CANCELLED
  }

  /** A stage of the pipeline. */
  public enum Stage {
    DECODE,
    SEGMENT,
    WRITE
  }

  /** One input's outcome, handed to the sink. */
  public static final class Item {
    private final long index;
    private final Input input;
    private volatile Segmentation result;
    private volatile Throwable failure;
    private volatile Stage failedStage;
    private volatile boolean cancelled;
    private volatile Object written;
    private volatile BgrImage image;
    private volatile double decodeMs;

    Item(long index, Input input) {
      this.index = index;
      this.input = input;
    }

    /** Position in the input sequence, from 0. */
    public long index() {
      return index;
    }

    public Input input() {
      return input;
    }

    /** The segmentation, or null when the item failed or was cancelled before it was segmented. */
    public Segmentation result() {
      return result;
    }

    /** Why it failed (an engine exception, an I/O or sink error, or an {@link OutOfMemoryError}), or null. */
    public Throwable failure() {
      return failure;
    }

    /** The stage that failed, or null. */
    public Stage failedStage() {
      return failedStage;
    }

    public Status status() {
      return failure != null ? Status.FAILED : cancelled ? Status.CANCELLED : Status.DONE;
    }

    /** What {@link Sink#write} returned (for {@link Sink#accept}), or null. */
    public Object written() {
      return written;
    }

    void fail(Stage stage, Throwable t) {
      failedStage = stage;
      failure = t;
      image = null;
    }
  }

  /** Receives the results. */
  public interface Sink {
    /**
     * Writes an item's outputs; called for every segmented item on the writer threads, concurrently and in any
     * order. What it returns is kept as {@link Item#written()}. An exception here fails that item (stage WRITE).
     */
    default Object write(Item item) throws Exception {
      return null;
    }

    /**
     * Called once per input on the thread that called {@link #run}, in input order when the job is ordered: done,
     * failed or cancelled. An exception here stops the job: no new input is taken, the items in flight finish,
     * and {@link #run} rethrows it.
     */
    void accept(Item item) throws Exception;
  }

  /** Counts of one {@link #run}. */
  public record Summary(
      long done, long failed, long cancelled, boolean wasCancelled, double seconds) {
    /** Images per second over the whole run (done ones). */
    public double imagesPerSecond() {
      return seconds > 0 ? done / seconds : 0;
    }
  }

  /**
   * Segments every input and hands each item to the sink. Returns when every input taken has been accepted.
   *
   * @throws SegmenterException rethrown when it is a {@link ModelException} (the model does not match its card:
   *     every input would fail); the job is cancelled first
   * @throws RuntimeException what {@link Sink#accept} threw, after the items in flight have finished
   */
  public Summary run(Iterator<Input> inputs, Sink sink) {
    if (closed.get()) {
      throw new IllegalStateException("batch job is closed");
    }
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("a batch is already running on this job");
    }
    cancelled.set(false);
    long t0 = System.nanoTime();
    Semaphore permits = new Semaphore(options.inFlight);
    LinkedBlockingQueue<Object> completed = new LinkedBlockingQueue<>();
    AtomicInteger taken = new AtomicInteger();
    Object endOfInput = new Object();
    Throwable[] feederFailure = new Throwable[1];
    Thread feed = new Thread(
        () -> {
          long index = 0;
          try {
            while (!cancelled.get()) {
              permits.acquire();
              if (cancelled.get() || !inputs.hasNext()) {
                permits.release();
                break;
              }
              Input in = inputs.next();
              Item item = new Item(index++, in);
              taken.incrementAndGet();
              submit(item, sink, completed);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (RuntimeException | Error e) {
            if (!cancelled.get()) {
              feederFailure[0] =
                  e; // the inputs could not be listed; reported after the items in flight
            }
          } finally {
            completed.add(endOfInput);
          }
        },
        "segmenter-batch-feed");
    feed.setDaemon(true);
    feeder = feed;
    feed.start();

    long done = 0;
    long failed = 0;
    long skipped = 0;
    long next = 0;
    long accepted = 0;
    boolean inputEnded = false;
    Map<Long, Item> early = new HashMap<>();
    Throwable stop = null;
    try {
      while (!inputEnded || accepted < taken.get()) {
        Object o;
        try {
          o = completed.take();
        } catch (InterruptedException e) {
          // the caller's thread was interrupted: treat it as a cancel, and keep draining what is in
          // flight
          cancel();
          Thread.interrupted();
          continue;
        }
        if (o == endOfInput) {
          inputEnded = true;
          continue;
        }
        Item item = (Item) o;
        if (options.ordered) {
          early.put(item.index, item);
        }
        Item ready = options.ordered ? early.remove(next) : item;
        while (ready != null) {
          accepted++;
          next++;
          permits.release();
          switch (ready.status()) {
            case DONE -> done++;
            case FAILED -> failed++;
            default -> skipped++;
          }
          if (stop == null && ready.failure() instanceof ModelException) {
            stop = ready.failure();
            cancel();
          }
          if (stop == null) {
            try {
              sink.accept(ready);
            } catch (Exception | Error e) {
              stop = e;
              cancel();
            }
          }
          ready = options.ordered ? early.remove(next) : null;
        }
      }
    } finally {
      running.set(false);
      feeder = null;
    }
    if (feederFailure[0] != null && stop == null) {
      stop = feederFailure[0];
    }
    if (stop instanceof RuntimeException re) {
      throw re;
    }
    if (stop instanceof Error err) {
      throw err;
    }
    if (stop != null) {
      throw new SegmenterException(
          stop.getMessage() == null ? stop.toString() : stop.getMessage(), stop);
    }
    return new Summary(done, failed, skipped, cancelled.get(), (System.nanoTime() - t0) / 1e9);
  }

  private void submit(Item item, Sink sink, LinkedBlockingQueue<Object> completed) {
    decodePool.execute(() -> {
      try {
        decode(item);
        segmentPool.execute(() -> {
          try {
            segment(item);
            writePool.execute(() -> {
              try {
                write(item, sink);
              } finally {
                completed.add(item);
              }
            });
          } catch (RuntimeException | Error e) {
            // the write pool refused (closing): the item is still accounted for
            item.fail(Stage.SEGMENT, e);
            completed.add(item);
          }
        });
      } catch (RuntimeException | Error e) {
        item.fail(Stage.DECODE, e);
        completed.add(item);
      }
    });
  }

  private void decode(Item item) {
    if (cancelled.get()) {
      item.cancelled = true;
      return;
    }
    Input in = item.input;
    try {
      if (in.image() != null) {
        item.image = in.image();
      } else {
        long t0 = System.nanoTime();
        item.image = segmenter.decode(in.file());
        item.decodeMs = Timings.ms(System.nanoTime() - t0);
      }
    } catch (RuntimeException | OutOfMemoryError e) {
      item.fail(Stage.DECODE, e);
    }
  }

  private void segment(Item item) {
    if (item.failure != null || item.cancelled) {
      return;
    }
    if (cancelled.get()) {
      item.cancelled = true;
      item.image = null;
      return;
    }
    slots.acquire();
    try {
      item.result = segmenter.segment(item.image, item.decodeMs, slots);
    } catch (RuntimeException | OutOfMemoryError e) {
      item.fail(Stage.SEGMENT, e);
    } finally {
      slots.release();
      item.image = null;
    }
  }

  private void write(Item item, Sink sink) {
    if (item.failure != null || item.cancelled) {
      return;
    }
    if (cancelled.get()) {
      item.cancelled = true;
      item.result = null;
      return;
    }
    try {
      item.written = sink.write(item);
    } catch (Exception | OutOfMemoryError e) {
      item.fail(Stage.WRITE, e);
    }
  }

  /** Stops taking inputs; images in flight that were not written yet are skipped. Safe from any thread. */
  public void cancel() {
    cancelled.set(true);
    Thread f = feeder;
    if (f != null) {
      f.interrupt();
    }
  }

  public boolean isCancelled() {
    return cancelled.get();
  }

  public Options options() {
    return options;
  }

  /** Cancels a running batch, waits for its threads to finish and stops them. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    cancel();
    for (ExecutorService pool : new ExecutorService[] {decodePool, segmentPool, writePool}) {
      pool.shutdown();
    }
    boolean interrupted = false;
    for (ExecutorService pool : new ExecutorService[] {decodePool, segmentPool, writePool}) {
      try {
        pool.awaitTermination(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    slots.close();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory threads(String stage) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "segmenter-batch-" + stage + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * How a batch runs. {@link #defaults()} takes the throughput plan of the machine: as many concurrent inferences
   * as cores, one decoder per four cores, as many writers as inferences, and at most
   * {@code 2 * concurrency + decoders + writers} images in flight.
   */
  public static final class Options {
    private int concurrency;
    private int decoders;
    private int writers;
    private int inFlight;
    private boolean ordered = true;

    private Options(int concurrency) {
      concurrency(concurrency);
    }

    public static Options defaults() {
      return new Options(Runtime.getRuntime().availableProcessors());
    }

    public static Options withConcurrency(int concurrency) {
      return new Options(concurrency);
    }

    /** Concurrent inferences (sessions or calls in flight on the runtime); also sets writers and in-flight. */
    public Options concurrency(int n) {
      if (n < 1 || n > 1024) {
        throw new ConfigException("batch concurrency must be 1..1024, got " + n);
      }
      concurrency = n;
      decoders = Math.max(1, Math.min(n, Runtime.getRuntime().availableProcessors() / 4));
      writers = n;
      inFlight = 2 * n + decoders + writers;
      return this;
    }

    /** Decoding threads. */
    public Options decoders(int n) {
      if (n < 1 || n > 1024) {
        throw new ConfigException("batch decoders must be 1..1024, got " + n);
      }
      decoders = n;
      return this;
    }

    /** Threads that call {@link Sink#write}. */
    public Options writers(int n) {
      if (n < 1 || n > 1024) {
        throw new ConfigException("batch writers must be 1..1024, got " + n);
      }
      writers = n;
      return this;
    }

    /** Images decoded, segmented or being written at once at most (bounds memory). */
    public Options inFlight(int n) {
      if (n < 1) {
        throw new ConfigException("batch in-flight limit must be >= 1, got " + n);
      }
      inFlight = n;
      return this;
    }

    /** Accept in input order (default) or as results come. */
    public Options ordered(boolean ordered) {
      this.ordered = ordered;
      return this;
    }

    public int concurrency() {
      return concurrency;
    }

    public int decoders() {
      return decoders;
    }

    public int writers() {
      return writers;
    }

    public int inFlight() {
      return inFlight;
    }

    public boolean ordered() {
      return ordered;
    }

    @Override
    public String toString() {
      return "concurrency " + concurrency + ", decoders " + decoders + ", writers " + writers
          + ", in flight " + inFlight + (ordered ? ", ordered" : ", unordered");
    }
  }
}
