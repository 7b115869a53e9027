package dev.segmenter.engine;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.image.ImageDecoder;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.model.ModelRegistry;
import dev.segmenter.engine.pipeline.InferenceSlots;
import dev.segmenter.engine.pipeline.Postprocessor;
import dev.segmenter.engine.pipeline.Preprocessor;
import dev.segmenter.engine.pipeline.ResizeMode;
import dev.segmenter.engine.pipeline.TilePlan;
import dev.segmenter.engine.pipeline.TileSize;
import dev.segmenter.engine.pipeline.TiledInference;
import dev.segmenter.engine.pipeline.Tta;
import dev.segmenter.engine.spi.Backend;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.CallGuard;
import dev.segmenter.engine.spi.ModelSource;
import dev.segmenter.engine.spi.SessionOptions;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Segments images with one model on one backend: decode, preprocess, forward, postprocess.
 *
 * <p>Thread-safe: one instance may be used from many threads at once. Backends whose sessions are not
 * thread-safe (OpenCV) get one session per concurrent caller, created on demand and reused. Owns native
 * resources until {@link #close()}, which is idempotent; use after close throws {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (Segmenter s = Segmenter.builder().model("enet-streets").backend("onnxruntime").build()) {
 *   Segmentation r = s.segment(Path.of("street.png"));
 * }
 * }</pre>
 */
public final class Segmenter implements AutoCloseable {
  private final ModelCard card;
  private final Backend backend;
  private final ModelSource source;
  private final SessionOptions options;
  private final Preprocessor preprocessor;
  private final Postprocessor postprocessor;
  private final ImageDecoder decoder;
  private final ResizeMode resizeMode;
  private final boolean keepScores;
  private final int threads;
  private final BackendSession shared;
  private final ConcurrentLinkedQueue<BackendSession> idle = new ConcurrentLinkedQueue<>();
  private final List<BackendSession> all = new ArrayList<>();
  /**
   * Outputs already decoded, whose arrays the next forward passes may fill again (only when scores are not
   * kept, since then no result refers to them): at most one per concurrent caller.
   */
  private final ConcurrentLinkedQueue<Tensor> spareOutputs = new ConcurrentLinkedQueue<>();
  /** Forward passes register with the guard; {@link #close()} waits for them, so no session is closed mid-call. */
  private final CallGuard guard;
  /** Sliding-window runs (with test-time augmentation if asked), or null. */
  private final TiledInference tiled;
  /** Test-time augmentation of images that are not tiled, or null. */
  private final TiledInference whole;
  /**
   * Helpers for the tiles of images segmented outside a batch job ({@code tileWorkers - 1}, shared by all callers);
   * a batch job lends its own inference slots instead.
   */
  private final InferenceSlots tileHelpers;
  /** With {@code tileAuto}: only images above this many pixels are tiled. */
  private final long tileAbove;

  private final FastestBackend.Choice fastest;

  private Segmenter(Builder b, ModelCard card, Backend backend, ModelSource source) {
    this.card = card;
    this.guard = new CallGuard("segmenter for model '" + card.name() + "'");
    this.backend = backend;
    this.source = source;
    this.options = new SessionOptions(b.device, b.runtimeThreads);
    this.preprocessor = new Preprocessor(card.input());
    this.postprocessor =
        new Postprocessor(card.output(), card.classCount(), card.name(), b.kernels);
    this.decoder = new ImageDecoder(
            b.tileAuto ? Math.max(b.maxPixels, TILED_MAX_PIXELS) : b.maxPixels)
        .withHeapCheck(heapPerPixel(card, b.callerBytesPerPixel), heapFixed(card));
    this.tiled = b.tiling(card, false);
    this.whole = b.tiling(card, true);
    this.tileHelpers = new InferenceSlots(b.tileWorkers() - 1, "segmenter-tile");
    this.tileAbove = b.tileAuto && b.tileWidth == 0 ? b.maxPixels : 0;
    this.fastest = b.fastest;
    this.resizeMode = b.resize;
    this.keepScores = b.keepScores;
    this.threads = b.postThreads > 0 ? b.postThreads : Runtime.getRuntime().availableProcessors();
    BackendSession first = backend.open(source, options);
    synchronized (all) {
      all.add(first);
    }
    if (first.isThreadSafe()) {
      shared = first;
    } else {
      shared = null;
      idle.add(first);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public ModelCard model() {
    return card;
  }

  /** The backend in use. */
  public Backend backend() {
    return backend;
  }

  /** The model file in use. */
  public ModelSource modelSource() {
    return source;
  }

  /** How {@code backend("fastest")} chose the backend (figures, cached or measured), or null for other names. */
  public FastestBackend.Choice fastestChoice() {
    return fastest;
  }

  /** The sliding-window / test-time augmentation settings in words, or null when images go through whole. */
  public String tiling() {
    TiledInference t = tiled != null ? tiled : whole;
    return t == null
        ? null
        : t.plan()
            + (t.tta().isNone() ? "" : ", tta " + t.tta())
            + (tileAbove > 0 ? ", tiles only above " + tileAbove + " pixels" : "");
  }

  /** The device the first session runs on, in words. */
  public String device() {
    ensureOpen();
    synchronized (all) {
      return all.get(0).device();
    }
  }

  /**
   * Decodes and segments an image file. An image whose processing would not fit in the free heap is refused before
   * it is decoded, and running out of heap all the same is reported for this image: both are an
   * {@link ImageException} saying so, after which the next image can be segmented.
   */
  public Segmentation segment(Path imageFile) {
    ensureOpen();
    try {
      long t0 = System.nanoTime();
      BgrImage image = decoder.read(imageFile);
      long t1 = System.nanoTime();
      return run(image, Timings.ms(t1 - t0), tileHelpers);
    } catch (OutOfMemoryError e) {
      throw new ImageException(
          imageFile + ": out of memory while segmenting it (" + e.getMessage() + "); "
              + ImageDecoder.RAISE,
          e);
    }
  }

  /**
   * Heap per image pixel while one image is segmented: the decoded image (up to 4 bytes), its BGR copy and an
   * oriented copy (3 + 3), the class map (1 or 2), and what the caller adds per pixel.
   */
  static long heapPerPixel(ModelCard card, long callerBytes) {
    return 4 + 3 + 3 + (card.classCount() <= 256 ? 1 : 2) + callerBytes;
  }

  /** Heap per image whatever its size: the input blob and the output tensor. */
  static long heapFixed(ModelCard card) {
    long pixels = (long) card.input().width() * card.input().height();
    return pixels * 3 * Float.BYTES + pixels * Math.max(card.classCount(), 2) * Float.BYTES;
  }

  /** Segments a BufferedImage of any type (converted to BGR). */
  public Segmentation segment(BufferedImage image) {
    ensureOpen();
    long t0 = System.nanoTime();
    BgrImage bgr = BgrImage.from(image);
    return run(bgr, Timings.ms(System.nanoTime() - t0), tileHelpers);
  }

  /** Segments BGR pixels. */
  public Segmentation segment(BgrImage image) {
    ensureOpen();
    return run(image, 0, tileHelpers);
  }

  /**
   * The kernels this segmenter post-processes with ({@link Builder#kernels}, by default {@link Kernels#adaptive()}):
   * what renderers of its results should use too, rather than choosing their own.
   */
  public Kernels kernels() {
    return postprocessor.kernels();
  }

  /**
   * A streaming batch job over many images with this segmenter: decoding, forward passes, post-processing and
   * output writing overlap in bounded stages. The job's threads are its own; close it before this segmenter.
   */
  public BatchJob batch(BatchJob.Options options) {
    ensureOpen();
    return new BatchJob(this, options);
  }

  /** Decodes an image file with this segmenter's decoder and pixel limit (a batch job's first stage). */
  BgrImage decode(Path imageFile) {
    ensureOpen();
    return decoder.read(imageFile);
  }

  /**
   * Segments decoded pixels, reporting {@code decodeMs} as the decode time (a batch job's second stage); tiles and
   * augmented passes borrow the batch's free inference {@code slots}.
   */
  Segmentation segment(BgrImage image, double decodeMs, InferenceSlots slots) {
    ensureOpen();
    return run(image, decodeMs, slots);
  }

  private Segmentation run(BgrImage image, double decodeMs, InferenceSlots slots) {
    TiledInference t =
        tiled != null && (long) image.width() * image.height() > tileAbove ? tiled : whole;
    if (t != null) {
      TiledInference.Result r = t.run(image, this::forwardOwned, slots);
      return new Segmentation(
          image,
          r.classMap(),
          null,
          new Timings(decodeMs, r.preprocessMs(), r.forwardMs(), r.postprocessMs()),
          card,
          backend.name());
    }
    long t0 = System.nanoTime();
    Preprocessor.Blob blob = preprocessor.apply(image);
    long t1 = System.nanoTime();
    Tensor spare = keepScores ? null : spareOutputs.poll();
    long t2;
    long t3;
    Tensor out;
    Postprocessor.Decoded d;
    // the decode of a view of the session's output stays inside the guard and on the session (no
    // other forward on
    // it) until done: the view is valid only until then
    guard.enter();
    try {
      BackendSession s = acquire();
      boolean released = false;
      try {
        out = keepScores ? s.forward(blob.tensor(), null) : s.forwardView(blob.tensor(), spare);
        t2 = System.nanoTime();
        if (!out.isView()) {
          release(s);
          released = true;
        }
        d = postprocessor.decode(
            out, blob.placement(), image.width(), image.height(), resizeMode, keepScores, threads);
        t3 = System.nanoTime();
      } finally {
        if (!released) {
          release(s);
        }
      }
    } finally {
      guard.exit();
    }
    if (!keepScores && !out.isView() && out.dtype() == Tensor.DType.FLOAT32) {
      spareOutputs.offer(out);
    }
    return new Segmentation(
        image,
        d.classMap(),
        d.scores(),
        new Timings(decodeMs, Timings.ms(t1 - t0), Timings.ms(t2 - t1), Timings.ms(t3 - t2)),
        card,
        backend.name(),
        blob.placement());
  }

  /** One forward pass whose output the caller owns (a copy, never a view of the runtime's memory): tiles, TTA. */
  private Tensor forwardOwned(Tensor input) {
    guard.enter();
    try {
      BackendSession s = acquire();
      try {
        return s.forward(input, null);
      } finally {
        release(s);
      }
    } finally {
      guard.exit();
    }
  }

  /** The shared session, or an idle one of this segmenter's, or a new one; give it back with {@link #release}. */
  private BackendSession acquire() {
    if (shared != null) {
      return shared;
    }
    BackendSession s = idle.poll();
    if (s == null) {
      s = backend.open(source, options);
      synchronized (all) {
        if (guard.isClosed()) {
          s.close();
          throw new IllegalStateException("segmenter is closed");
        }
        all.add(s);
      }
    }
    return s;
  }

  private void release(BackendSession s) {
    if (s != shared) {
      idle.add(s);
    }
  }

  private void ensureOpen() {
    if (guard.isClosed()) {
      throw new IllegalStateException("segmenter for model '" + card.name() + "' is closed");
    }
  }

  /** Releases every session, after the forward passes in progress have finished. Idempotent. */
  @Override
  public void close() {
    if (guard.closeAndAwait()) {
      tileHelpers.close();
      closeSessions();
    }
  }

  private void closeSessions() {
    synchronized (all) {
      for (BackendSession s : all) {
        try {
          s.close();
        } catch (RuntimeException e) {
          // closing must not throw; the runtime's own error is of no use to the caller here
        }
      }
      all.clear();
      idle.clear();
      spareOutputs.clear();
    }
  }

  /**
   * The decoder's limit with {@code tileAuto}: the most pixels a Java byte array holds as BGR (about 715 million); the
   * heap must still hold 3 bytes per pixel for the image and 1 (2 above 256 classes) for the class map.
   */
  static final long TILED_MAX_PIXELS = (Integer.MAX_VALUE - 8) / 3;

  /** Settings for a {@link Segmenter}. */
  public static final class Builder {
    private ModelCard card;
    private String modelName;
    private String backendName;
    private Device device = Device.CPU;
    private int runtimeThreads;
    private int postThreads;
    private ResizeMode resize = ResizeMode.NEAREST;
    private boolean keepScores;
    private long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;
    private long callerBytesPerPixel;
    private Kernels kernels;
    private int tileWidth;
    private int tileHeight;
    private double tileOverlap = TilePlan.DEFAULT_OVERLAP;
    private boolean tileAuto;
    private boolean tileFromCard = true;
    private Tta tta = Tta.NONE;
    private int tileWorkers;
    private FastestBackend.Choice fastest;
    private Boolean fastestForBatch;

    private Builder() {}

    /**
     * Sliding-window inference: crops of {@code width x height} image pixels, each resized to the network input
     * (the network's own input size keeps the image's scale), blended where they overlap. See {@link TiledInference}.
     */
    public Builder tile(int width, int height) {
      new TilePlan(width, height, tileOverlap);
      this.tileWidth = width;
      this.tileHeight = height;
      return this;
    }

    /** {@link #tile(int, int)} or {@link #tileAuto()} as {@code size} says (e.g. the card's or a user's text). */
    public Builder tile(TileSize size) {
      return size.auto() ? tileAuto() : tile(size.width(), size.height());
    }

    /** Overlap between tiles: a fraction of the tile in [0, 1), or whole pixels when >= 1 (default 0.25). */
    public Builder tileOverlap(double overlap) {
      new TilePlan(0, 0, overlap);
      this.tileOverlap = overlap;
      return this;
    }

    /**
     * Tiles at the network's input size only the images above {@link #maxPixels} (instead of refusing them), unless
     * {@link #tile} gave a size, which then applies to every image.
     */
    public Builder tileAuto() {
      this.tileAuto = true;
      return this;
    }

    /**
     * Whether the card's {@code tile} field (a default tile size, or {@code auto}) applies when neither {@link #tile}
     * nor {@link #tileAuto} is called (default true), as the command line's {@code --tile} falls back to it.
     */
    public Builder tileFromCard(boolean use) {
      this.tileFromCard = use;
      return this;
    }

    /**
     * How backend {@code fastest} ranks the backends: by the throughput of the batch split ({@code cores / t} forward
     * passes at once) when this segmenter runs a batch, by the latency of one frame when it runs one image at a
     * time. When not called, a segmenter with {@code t > 0} runtime threads and {@code cores / t > 1} counts as a batch.
     */
    public Builder fastestForBatch(boolean batch) {
      this.fastestForBatch = batch;
      return this;
    }

    /** Test-time augmentation (default none); combinable with tiling. */
    public Builder tta(Tta tta) {
      this.tta = tta == null ? Tta.NONE : tta;
      return this;
    }

    /**
     * Tiles run at once within one image segmented outside a batch job: the caller's thread and {@code workers - 1}
     * helpers shared by all callers. 0 (default) picks cores / runtime threads, 1 when the runtime uses all cores. A
     * {@link BatchJob} ignores it: tiles there share the job's concurrent inferences ({@link BatchJob.Options#concurrency}).
     */
    public Builder tileWorkers(int workers) {
      if (workers < 0) {
        throw new ConfigException("tile workers must be >= 0, got " + workers);
      }
      this.tileWorkers = workers;
      return this;
    }

    /** The tiled run ({@code whole} false) or the whole-image augmented run ({@code whole} true), or null. */
    private TiledInference tiling(ModelCard c, boolean whole) {
      int w = whole ? 0 : tileWidth;
      int h = whole ? 0 : tileHeight;
      if (w == 0 && tileAuto && !whole) {
        w = c.input().width();
        h = c.input().height();
      }
      if (whole ? tta.isNone() || (tileWidth > 0) : w == 0) {
        return null;
      }
      return new TiledInference(
          new TilePlan(w, h, tileOverlap),
          tta,
          c.input(),
          c.output(),
          c.classCount(),
          c.name(),
          kernels);
    }

    private int tileWorkers() {
      int cores = Runtime.getRuntime().availableProcessors();
      return tileWorkers > 0
          ? tileWorkers
          : runtimeThreads > 0 ? Math.max(1, cores / runtimeThreads) : 1;
    }

    /** A model by shipped/catalog name or directory path; null means the default model. */
    public Builder model(String nameOrPath) {
      this.modelName = nameOrPath;
      this.card = null;
      return this;
    }

    public Builder model(Path directory) {
      return model(directory.toString());
    }

    public Builder model(ModelCard card) {
      this.card = card;
      return this;
    }

    /** A backend name or {@code auto}; null falls back to the system property, environment, then auto. */
    public Builder backend(String name) {
      this.backendName = name;
      return this;
    }

    public Builder device(Device device) {
      this.device = device;
      return this;
    }

    /** Threads the runtime may use inside one forward pass; 0 lets it decide. */
    public Builder runtimeThreads(int threads) {
      if (threads < 0) {
        throw new ConfigException("runtime threads must be >= 0, got " + threads);
      }
      this.runtimeThreads = threads;
      return this;
    }

    /** Threads for post-processing kernels; 0 means all cores. */
    public Builder postprocessThreads(int threads) {
      if (threads < 0) {
        throw new ConfigException("post-processing threads must be >= 0, got " + threads);
      }
      this.postThreads = threads;
      return this;
    }

    public Builder resize(ResizeMode mode) {
      this.resize = mode;
      return this;
    }

    /** Keep the network's scores in the result (not for tiled or augmented runs, whose scores are never whole). */
    public Builder keepScores(boolean keep) {
      this.keepScores = keep;
      return this;
    }

    /** Images with more pixels are refused before decoding. */
    public Builder maxPixels(long maxPixels) {
      if (maxPixels <= 0) {
        throw new ConfigException("max pixels must be positive, got " + maxPixels);
      }
      this.maxPixels = maxPixels;
      return this;
    }

    /**
     * Bytes per image pixel the caller allocates for each result (drawn outputs, copies), counted with the engine's
     * own in the heap check made before an image file is decoded (default 0).
     *
     * @param bytes bytes per pixel, 0 or more
     * @return this builder
     */
    public Builder callerBytesPerPixel(long bytes) {
      if (bytes < 0) {
        throw new ConfigException("caller bytes per pixel must be >= 0, got " + bytes);
      }
      this.callerBytesPerPixel = bytes;
      return this;
    }

    /** Kernel implementation (default: {@link Kernels#adaptive()}). */
    public Builder kernels(Kernels kernels) {
      this.kernels = kernels;
      return this;
    }

    /**
     * Loads the model and opens a session.
     *
     * @throws ModelException for a missing or invalid model
     * @throws BackendException for an unknown or unavailable backend or device
     */
    public Segmenter build() {
      ModelCard c = card != null ? card : ModelRegistry.resolve(modelName);
      String name = Backends.resolveName(backendName);
      if (FastestBackend.isFastest(name)) {
        fastest = FastestBackend.choose(c, device, runtimeThreads, fastestForBatch);
        name = fastest.backend().name();
      }
      Backends.Selection chosen = Backends.select(c, name, device);
      if (kernels == null) {
        kernels = Kernels.adaptive();
      }
      if (tileWidth == 0 && !tileAuto && tileFromCard && c.tile() != null) {
        tile(c.tile());
      }
      return new Segmenter(this, c, chosen.backend(), chosen.source());
    }
  }
}
