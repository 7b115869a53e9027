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
import java.util.concurrent.locks.LockSupport;

/**
 * TEST SCAFFOLDING ONLY: a tiny pure-Java "runtime" that runs one network, a 1x1 convolution, so that the
 * {@link Segmenter} can be tested end to end without native runtimes. Registered through
 * {@code src/test/resources/META-INF/services}; never shipped.
 *
 * <p>Its model file (named under {@code files: onnx:} in a card) is text, one {@code key=value} per line:
 * {@code weights=1 0 0; 0 1 0; 0 0 1} (one row of 3 input-channel weights per output class),
 * {@code thread-safe=true|false}, {@code output=NCHW|NHWC|ids|sigmoid} and {@code delay-ms=N} (a slow forward pass).
 * {@code ids} returns the argmax as int64 {@code [1, 1, H, W]}; {@code sigmoid} returns {@code 1 / (1 + e^-s)} of the
 * first class's score as {@code [1, 1, H, W]}. {@code blur=R} first averages the input over a
 * {@code (2R+1) x (2R+1)} window, zero outside the blob (a receptive field, as a convolution's, for tiling tests). The input layout is read from the blob's shape.
 * Sessions opened and closed, forward passes running and their peak are counted per model file.
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

  /** The most forward passes that ran at once for this model file since the last {@link #resetPeak}. */
  public static int peak(Path file) {
    return counts(file)[3];
  }

  public static void resetPeak(Path file) {
    int[] c = COUNTS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new int[4]);
    synchronized (c) {
      c[3] = c[2];
    }
  }

  private static int[] counts(Path file) {
    int[] c = COUNTS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new int[4]);
    synchronized (c) {
      return c.clone();
    }
  }

  private static void count(Path file, int which) {
    add(file, which, 1);
  }

  private static void add(Path file, int which, int delta) {
    int[] c = COUNTS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new int[4]);
    synchronized (c) {
      c[which] += delta;
      c[3] = Math.max(c[3], c[2]);
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
      throw new BackendException(
          BackendException.Reason.UNAVAILABLE,
          NAME + " has no " + options.device().id());
    }
    float[][] weights = null;
    boolean threadSafe = true;
    boolean nhwcOut = false;
    String kind = "scores";
    int blur = 0;
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
          case "output" -> {
            nhwcOut = kv[1].trim().equalsIgnoreCase("NHWC");
            kind = kv[1].trim().equalsIgnoreCase("ids") || kv[1].trim().equalsIgnoreCase("sigmoid")
                ? kv[1].trim().toLowerCase(java.util.Locale.ROOT)
                : "scores";
          }
          case "blur" -> blur = Integer.parseInt(kv[1].trim());
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
    return new Session(model.file(), weights, threadSafe, nhwcOut, delayMs, kind, blur);
  }

  /** How many forward passes wrote into the spare array they were handed. */
  static final java.util.concurrent.atomic.AtomicInteger SPARES_FILLED =
      new java.util.concurrent.atomic.AtomicInteger();

  private static final class Session implements BackendSession {
    private final Path file;
    private final float[][] weights;
    private final boolean threadSafe;
    private final boolean nhwcOut;
    private final long delayMs;
    private final String kind;
    private final int blur;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    Session(
        Path file,
        float[][] weights,
        boolean threadSafe,
        boolean nhwcOut,
        long delayMs,
        String kind,
        int blur) {
      this.kind = kind;
      this.blur = blur;
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
          LockSupport.parkNanos(
              200_000); // widen the window in which a shared session would be caught
        }
        if (delayMs > 0) {
          LockSupport.parkNanos(delayMs * 1_000_000);
        }
        if (closed.get()) {
          // a native runtime would now read freed memory
          throw new IllegalStateException(
              NAME + " session was closed while a forward pass was running");
        }
        int[] s = input.shape();
        boolean nchw = s[1] == 3;
        int h = nchw ? s[2] : s[1];
        int w = nchw ? s[3] : s[2];
        int plane = h * w;
        float[] in = blur > 0 ? blurred(input.floats(), nchw, w, h) : input.floats();
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
        if (kind.equals("ids")) {
          long[] ids = new long[plane];
          for (int p = 0; p < plane; p++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
              if (out[k * plane + p] > out[best * plane + p]) {
                best = k;
              }
            }
            ids[p] = best;
          }
          return Tensor.of(ids, 1, 1, h, w);
        }
        if (kind.equals("sigmoid")) {
          float[] prob = new float[plane];
          for (int p = 0; p < plane; p++) {
            prob[p] = (float) (1 / (1 + Math.exp(-out[p])));
          }
          return Tensor.of(prob, 1, 1, h, w);
        }
        return nhwcOut ? Tensor.of(out, 1, h, w, classes) : Tensor.of(out, 1, classes, h, w);
      } finally {
        add(file, 2, -1);
        if (!threadSafe) {
          busy.set(false);
        }
      }
    }

    private float[] blurred(float[] in, boolean nchw, int w, int h) {
      float[] out = new float[in.length];
      int plane = w * h;
      float area = (2 * blur + 1) * (2 * blur + 1);
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            float sum = 0;
            for (int dy = -blur; dy <= blur; dy++) {
              for (int dx = -blur; dx <= blur; dx++) {
                int yy = y + dy;
                int xx = x + dx;
                if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                  sum += in[nchw ? c * plane + yy * w + xx : (yy * w + xx) * 3 + c];
                }
              }
            }
            out[nchw ? c * plane + y * w + x : (y * w + x) * 3 + c] = sum / area;
          }
        }
      }
      return out;
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
