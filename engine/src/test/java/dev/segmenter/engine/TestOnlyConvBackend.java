package dev.segmenter.engine;

import dev.segmenter.engine.spi.Availability;
import dev.segmenter.engine.spi.Backend;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.ModelSource;
import dev.segmenter.engine.spi.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * TEST SCAFFOLDING ONLY: a tiny pure-Java "runtime" that runs one network, a 1x1 convolution, so that the
 * {@link Segmenter} can be tested end to end without native runtimes. Registered through
 * {@code src/test/resources/META-INF/services}; never shipped.
 *
 * <p>Its model file (named under {@code files: onnx:} in a card) is text, one {@code key=value} per line:
 * {@code weights=1 0 0; 0 1 0; 0 0 1} (one row of 3 input-channel weights per output class),
 * {@code thread-safe=true|false}, {@code output=NCHW|NHWC} and {@code delay-ms=N} (a slow forward pass). The input layout is read from the blob's shape.
 * Sessions opened and closed are counted per model file.
 */
public final class TestOnlyConvBackend implements Backend {
  public static final String NAME = "testonly-conv";

  private static final Map<Path, int[]> COUNTS = new ConcurrentHashMap<>();

  /** Sessions opened for this model file so far. */
  public static int opened(Path file) {
    return counts(file)[0];
  }

  /** Sessions closed for this model file so far. */
  public static int closed(Path file) {
    return counts(file)[1];
  }

  /** Forward passes running now for this model file. */
  public static int running(Path file) {
    return counts(file)[2];
  }

  private static int[] counts(Path file) {
    int[] c = COUNTS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new int[3]);
    synchronized (c) {
      return c.clone();
    }
  }

  private static void count(Path file, int which) {
    add(file, which, 1);
  }

  private static void add(Path file, int which, int delta) {
    int[] c = COUNTS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new int[3]);
    synchronized (c) {
      c[which] += delta;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public Availability availability() {
    return Availability.yes("pure Java, test scaffolding");
  }

  @Override
  public Set<ModelFormat> formats() {
    return Set.of(ModelFormat.ONNX);
  }

  @Override
  public Set<Device> devices() {
    return Set.of(Device.CPU);
  }

  @Override
  public int rank() {
    return -1000;
  }

  @Override
  public BackendSession open(ModelSource model, SessionOptions options) {
    if (options.device() != Device.CPU) {
      throw new BackendException(BackendException.Reason.UNAVAILABLE, NAME + " has no " + options.device().id());
    }
    float[][] weights = null;
    boolean threadSafe = true;
    boolean nhwcOut = false;
    long delayMs = 0;
    try {
      for (String line : Files.readAllLines(model.file())) {
        String[] kv = line.split("=", 2);
        if (kv.length != 2) {
          continue;
        }
        switch (kv[0].trim()) {
          case "weights" -> {
            String[] rows = kv[1].split(";");
            weights = new float[rows.length][3];
            for (int r = 0; r < rows.length; r++) {
              String[] v = rows[r].trim().split("\\s+");
              for (int c = 0; c < 3; c++) {
                weights[r][c] = Float.parseFloat(v[c]);
              }
            }
          }
          case "thread-safe" -> threadSafe = Boolean.parseBoolean(kv[1].trim());
          case "output" -> nhwcOut = kv[1].trim().equalsIgnoreCase("NHWC");
          case "delay-ms" -> delayMs = Long.parseLong(kv[1].trim());
          default -> throw new ModelException(model.file() + ": unknown key " + kv[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new ModelException(model.file() + ": not a " + NAME + " model: " + e, e);
    }
    if (weights == null) {
      throw new ModelException(model.file() + ": not a " + NAME + " model (no weights=)");
    }
    count(model.file(), 0);
    return new Session(model.file(), weights, threadSafe, nhwcOut, delayMs);
  }

  /** How many forward passes wrote into the spare array they were handed. */
  static final java.util.concurrent.atomic.AtomicInteger SPARES_FILLED = new java.util.concurrent.atomic.AtomicInteger();

  private static final class Session implements BackendSession {
    private final Path file;
    private final float[][] weights;
    private final boolean threadSafe;
    private final boolean nhwcOut;
    private final long delayMs;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    Session(Path file, float[][] weights, boolean threadSafe, boolean nhwcOut, long delayMs) {
      this.file = file;
      this.delayMs = delayMs;
      this.weights = weights;
      this.threadSafe = threadSafe;
      this.nhwcOut = nhwcOut;
    }

    @Override
    public Tensor forward(Tensor input) {
      return forward(input, null);
    }

    @Override
    public Tensor forward(Tensor input, Tensor spare) {
      if (closed.get()) {
        throw new IllegalStateException(NAME + " session is closed");
      }
      if (!threadSafe && !busy.compareAndSet(false, true)) {
        throw new IllegalStateException(NAME + " session used by two threads at once");
      }
      add(file, 2, 1);
      try {
        if (!threadSafe) {
          LockSupport.parkNanos(200_000); // widen the window in which a shared session would be caught
        }
        if (delayMs > 0) {
          LockSupport.parkNanos(delayMs * 1_000_000);
        }
        if (closed.get()) {
          // a native runtime would now read freed memory
          throw new IllegalStateException(NAME + " session was closed while a forward pass was running");
        }
        int[] s = input.shape();
        boolean nchw = s[1] == 3;
        int h = nchw ? s[2] : s[1];
        int w = nchw ? s[3] : s[2];
        int plane = h * w;
        float[] in = input.floats();
        int classes = weights.length;
        float[] out = Tensor.floatsToFill(spare, classes * plane);
        if (spare != null && out == spare.floats()) {
          SPARES_FILLED.incrementAndGet();
        }
        for (int p = 0; p < plane; p++) {
          for (int k = 0; k < classes; k++) {
            float v = 0;
            for (int c = 0; c < 3; c++) {
              v += weights[k][c] * (nchw ? in[c * plane + p] : in[p * 3 + c]);
            }
            out[nhwcOut ? p * classes + k : k * plane + p] = v;
          }
        }
        return nhwcOut ? Tensor.of(out, 1, h, w, classes) : Tensor.of(out, 1, classes, h, w);
      } finally {
        add(file, 2, -1);
        if (!threadSafe) {
          busy.set(false);
        }
      }
    }

    @Override
    public boolean isThreadSafe() {
      return threadSafe;
    }

    @Override
    public String device() {
      return "cpu (" + NAME + ")";
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        count(file, 1);
      }
    }
  }
}
