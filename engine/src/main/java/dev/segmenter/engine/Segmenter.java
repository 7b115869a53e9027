package dev.segmenter.engine;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.image.ImageDecoder;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.model.ModelRegistry;
import dev.segmenter.engine.pipeline.Postprocessor;
import dev.segmenter.engine.pipeline.Preprocessor;
import dev.segmenter.engine.pipeline.ResizeMode;
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

  private Segmenter(Builder b, ModelCard card, Backend backend, ModelSource source) {
    this.card = card;
    this.guard = new CallGuard("segmenter for model '" + card.name() + "'");
    this.backend = backend;
    this.source = source;
    this.options = new SessionOptions(b.device, b.runtimeThreads);
    this.preprocessor = new Preprocessor(card.input());
    this.postprocessor = new Postprocessor(card.output(), card.classCount(), card.name(), b.kernels);
    this.decoder = new ImageDecoder(b.maxPixels);
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

  /** The device the first session runs on, in words. */
  public String device() {
    ensureOpen();
    synchronized (all) {
      return all.get(0).device();
    }
  }

  /** Decodes and segments an image file. */
  public Segmentation segment(Path imageFile) {
    ensureOpen();
    long t0 = System.nanoTime();
    BgrImage image = decoder.read(imageFile);
    long t1 = System.nanoTime();
    return run(image, Timings.ms(t1 - t0));
  }

  /** Segments a BufferedImage of any type (converted to BGR). */
  public Segmentation segment(BufferedImage image) {
    ensureOpen();
    long t0 = System.nanoTime();
    BgrImage bgr = BgrImage.from(image);
    return run(bgr, Timings.ms(System.nanoTime() - t0));
  }

  /** Segments BGR pixels. */
  public Segmentation segment(BgrImage image) {
    ensureOpen();
    return run(image, 0);
  }

  private Segmentation run(BgrImage image, double decodeMs) {
    long t0 = System.nanoTime();
    Preprocessor.Blob blob = preprocessor.apply(image);
    long t1 = System.nanoTime();
    Tensor spare = keepScores ? null : spareOutputs.poll();
    Tensor out = forward(blob.tensor(), spare);
    long t2 = System.nanoTime();
    Postprocessor.Decoded d = postprocessor.decode(out, blob.placement(), image.width(), image.height(), resizeMode,
        keepScores, threads);
    long t3 = System.nanoTime();
    if (!keepScores && out.dtype() == Tensor.DType.FLOAT32) {
      spareOutputs.offer(out);
    }
    return new Segmentation(image, d.classMap(), d.scores(),
        new Timings(decodeMs, Timings.ms(t1 - t0), Timings.ms(t2 - t1), Timings.ms(t3 - t2)), card, backend.name(),
        blob.placement());
  }

  private Tensor forward(Tensor input, Tensor spare) {
    guard.enter();
    try {
      return forwardOpen(input, spare);
    } finally {
      guard.exit();
    }
  }

  private Tensor forwardOpen(Tensor input, Tensor spare) {
    if (shared != null) {
      return shared.forward(input, spare);
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
    try {
      return s.forward(input, spare);
    } finally {
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

  /** Settings for a {@link Segmenter}. */
  public static final class Builder {
    private ModelCard card;
    private String modelName;
    private String backendName;
    private String configBackend;
    private Device device = Device.CPU;
    private int runtimeThreads;
    private int postThreads;
    private ResizeMode resize = ResizeMode.NEAREST;
    private boolean keepScores;
    private long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;
    private Kernels kernels;

    private Builder() {}

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

    /** The backend named by a configuration file: used when neither the explicit name, the property nor the environment names one. */
    public Builder configuredBackend(String name) {
      this.configBackend = name;
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

    /** Keep the network's scores in the result. */
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
      String name = Backends.resolveName(backendName, configBackend);
      List<ModelFormat> present = c.presentFormats();
      // a file the card names is missing: say which (a model error), rather than that no backend fits
      if (present.isEmpty() && !c.files().isEmpty()) {
        c.requireFile(c.files().keySet().iterator().next());
      } else if (!Backends.AUTO.equalsIgnoreCase(name)) {
        Backend named = Backends.byName(name);
        if (named.formats().stream().noneMatch(present::contains)) {
          for (ModelFormat f : c.files().keySet()) {
            if (named.formats().contains(f)) {
              c.requireFile(f);
            }
          }
        }
      }
      Backend b = Backends.choose(name, present, device);
      if (!b.devices().contains(device)) {
        throw new BackendException(BackendException.Reason.UNAVAILABLE, "backend '" + b.name() + "' has no "
            + device.id() + " here (devices: " + b.devices().stream().map(Device::id).toList() + ")");
      }
      ModelSource src = null;
      for (ModelFormat f : c.presentFormats()) {
        if (b.formats().contains(f)) {
          src = c.requireFile(f);
          break;
        }
      }
      if (src == null) {
        throw new BackendException(BackendException.Reason.UNAVAILABLE, "backend '" + b.name() + "' reads none of "
            + "model '" + c.name() + "''s files " + c.files().keySet());
      }
      if (kernels == null) {
        kernels = Kernels.adaptive();
      }
      return new Segmenter(this, c, b, src);
    }
  }
}
