package dev.segmenter.engine;

import dev.segmenter.engine.model.InputSpec;
import dev.segmenter.engine.model.Layout;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.model.ModelRegistry;
import dev.segmenter.engine.render.OutputFiles;
import dev.segmenter.engine.spi.Availability;
import dev.segmenter.engine.spi.Backend;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.ModelSource;
import dev.segmenter.engine.spi.SessionOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The backend named {@code fastest}: times every available backend that reads one of the model's files for a few
 * frames at the model's input size on this machine, and picks the fastest for the way the segmenter will run.
 *
 * <p>Two figures per backend: the <b>latency</b>, the median time per frame of one session with the given runtime
 * threads (0: the runtime's default, all cores), and on a CPU with more than one core the <b>throughput</b> of
 * {@code cores / t} forward passes at once with {@code t} runtime threads each ({@code t} the given threads, 1 when
 * 0: the split a batch job runs, {@link ThroughputPlan}), in frames per second, with one shared session or one per
 * thread as {@link Segmenter} does. The throughput picks for a segmenter that runs a batch, the latency for one
 * that runs one image at a time ({@code Segmenter.Builder.fastestForBatch}; when not said, a segmenter built with
 * runtime threads {@code t > 0} and {@code cores / t > 1} is taken for the throughput plan of a batch).
 *
 * <p>The answer is cached under {@code <cache folder>/fastest/} (see {@link ModelRegistry#cacheRoot()}), keyed by the
 * SHA-256 of each model file, the machine (CPU model, cores, OS, architecture), the Java runtime, each candidate
 * backend's name and version, the device, the thread setting and the split measured; a change to any of them
 * measures again.
 *
 * <pre>{@code
 * Segmenter s = Segmenter.builder().model("enet-streets").backend("fastest").build();
 * }</pre>
 */
public final class FastestBackend {
  /** The backend name that asks for this choice. */
  public static final String NAME = "fastest";
  /** Frames timed per backend, after {@value #WARMUP} untimed ones. */
  static final int FRAMES = 5;

  static final int WARMUP = 2;

  private static final System.Logger LOG = System.getLogger("dev.segmenter.engine.fastest");

  private FastestBackend() {}

  /**
   * What is timed: one session with {@code threads} runtime threads (0: the runtime's default), and
   * {@code concurrency} forward passes at once with {@code threads} each (not measured when {@code concurrency} is 1).
   *
   * @param byThroughput true when the throughput picks the backend (the segmenter runs the batch plan)
   */
  public record Split(int concurrency, int threads, boolean byThroughput) {
    /**
     * The split for a segmenter with {@code runtimeThreads} (0: the runtime decides) on {@code cores} of a device;
     * {@code batch} says whether it runs a batch (the throughput ranks) or one image at a time (the latency ranks),
     * null to infer it from the threads ({@code t > 0} and {@code cores / t > 1}: the batch plan).
     */
    static Split of(int runtimeThreads, int cores, Device device, Boolean batch) {
      int t = Math.max(1, runtimeThreads);
      int c = device == Device.CPU ? Math.max(1, cores / t) : 1;
      boolean byThroughput = c > 1 && (batch != null ? batch : runtimeThreads > 0);
      return new Split(c, runtimeThreads, byThroughput);
    }

    String latencyWords() {
      return "1 x " + (threads == 0 ? "all" : threads) + " thread" + (threads == 1 ? "" : "s");
    }

    String throughputWords() {
      int t = Math.max(1, threads);
      return concurrency + " x " + t + " thread" + (t == 1 ? "" : "s");
    }

    @Override
    public String toString() {
      return byThroughput
          ? "throughput, " + throughputWords() + " (a batch)"
          : "latency, " + latencyWords() + " (one image)";
    }
  }

  /**
   * One backend's figures: median milliseconds per frame of one session, frames per second of the throughput split
   * (NaN when not measured), or why it could not run.
   */
  public record Figure(
      String backend, String version, double medianMs, double throughputFps, String failure) {
    /** The figure that ranks the backend: frames per second of the split that picks (higher is faster). */
    double rate(Split split) {
      return split.byThroughput() ? throughputFps : 1000 / medianMs;
    }

    String describe(Split split) {
      if (failure != null) {
        return backend + ": failed (" + failure + ")";
      }
      String s = String.format(
          Locale.ROOT,
          "%s %s: %s %.2f ms/frame (%.1f frames/s)",
          backend,
          version,
          split.latencyWords(),
          medianMs,
          1000 / medianMs);
      return Double.isNaN(throughputFps)
          ? s
          : s
              + String.format(
                  Locale.ROOT, ", %s %.1f frames/s", split.throughputWords(), throughputFps);
    }
  }

  /** The chosen backend, the split it was chosen for, the figures that chose it, and whether they came from the cache. */
  public record Choice(
      Backend backend, Split split, List<Figure> figures, boolean cached, Path cacheFile) {
    /** One line for logs and {@code --verbose}. */
    public String describe() {
      return "backend fastest chose " + backend.name() + " for " + split
          + (cached ? " (cached in " + cacheFile + ")" : " (measured, " + FRAMES + " frames each)")
          + ": "
          + String.join("; ", figures.stream().map(f -> f.describe(split)).toList());
    }
  }

  /** True when {@code name} asks for the fastest backend. */
  public static boolean isFastest(String name) {
    return name != null && NAME.equalsIgnoreCase(name.trim());
  }

  /**
   * Chooses (measuring unless cached) the fastest backend for a model on a device.
   *
   * @throws BackendException when no available backend reads the model or none runs it
   */
  public static Choice choose(ModelCard card, Device device, int runtimeThreads) {
    return choose(card, device, runtimeThreads, null);
  }

  /**
   * {@link #choose(ModelCard, Device, int)} for a segmenter that runs a batch ({@code batch} true: ranked by the
   * throughput split) or one image at a time (false: by latency); null infers it from the threads.
   */
  public static Choice choose(ModelCard card, Device device, int runtimeThreads, Boolean batch) {
    return choose(
        card,
        candidates(card, device),
        device,
        runtimeThreads,
        batch,
        Runtime.getRuntime().availableProcessors(),
        ModelRegistry.cacheRoot().resolve("fastest"),
        machine());
  }

  static Choice choose(
      ModelCard card, Device device, int runtimeThreads, Path cacheDir, String machine) {
    return choose(
        card,
        candidates(card, device),
        device,
        runtimeThreads,
        null,
        Runtime.getRuntime().availableProcessors(),
        cacheDir,
        machine);
  }

  static Choice choose(
      ModelCard card,
      List<Backend> candidates,
      Device device,
      int runtimeThreads,
      Boolean batch,
      int cores,
      Path cacheDir,
      String machine) {
    Split split = Split.of(runtimeThreads, cores, device, batch);
    String key =
        key(card, candidates, device, runtimeThreads, machine) + "split=" + split.concurrency()
            + "x" + split.threads() + (split.byThroughput() ? " throughput" : " latency") + "\n";
    Path file = cacheDir.resolve(sha256(key.getBytes(StandardCharsets.UTF_8)) + ".properties");
    Choice cached = read(file, key, candidates, split);
    if (cached != null) {
      LOG.log(System.Logger.Level.INFO, cached.describe());
      return cached;
    }
    List<Figure> figures = new ArrayList<>();
    Backend best = null;
    double bestRate = 0;
    for (Backend b : candidates) {
      Figure f = measure(card, b, device, split);
      figures.add(f);
      if (f.failure() == null && f.rate(split) > bestRate) {
        bestRate = f.rate(split);
        best = b;
      }
    }
    if (best == null) {
      throw new BackendException(
          BackendException.Reason.UNAVAILABLE,
          "backend fastest: no backend ran model '" + card.name() + "': "
              + String.join("; ", figures.stream().map(f -> f.describe(split)).toList()));
    }
    write(file, key, best, figures);
    Choice c = new Choice(best, split, List.copyOf(figures), false, file);
    LOG.log(System.Logger.Level.INFO, c.describe());
    return c;
  }

  /** Available backends that read one of the model's present files on the device, by descending rank. */
  static List<Backend> candidates(ModelCard card, Device device) {
    List<Backend> out = new ArrayList<>();
    List<String> why = new ArrayList<>();
    for (Backend b : Backends.installed()) {
      Availability a = b.availability();
      if (!a.available()) {
        why.add(b.name() + ": " + a.reason());
      } else if (b.formats().stream().noneMatch(card.presentFormats()::contains)) {
        why.add(b.name() + ": reads none of " + card.presentFormats());
      } else if (!b.devices().contains(device)) {
        why.add(b.name() + ": no " + device.id());
      } else {
        out.add(b);
      }
    }
    if (out.isEmpty()) {
      throw new BackendException(
          BackendException.Reason.UNAVAILABLE,
          "backend fastest: no available backend can run " + "model '" + card.name() + "' on "
              + device.id() + ": " + String.join("; ", why));
    }
    return out;
  }

  /** Everything the answer depends on, one {@code name=value} per line. */
  static String key(
      ModelCard card, List<Backend> candidates, Device device, int runtimeThreads, String machine) {
    StringBuilder sb = new StringBuilder();
    sb.append("machine=").append(machine).append('\n');
    sb.append("java=")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.runtime.version"))
        .append('\n');
    sb.append("device=").append(device.id()).append('\n');
    sb.append("threads=").append(runtimeThreads).append('\n');
    InputSpec in = card.input();
    sb.append("input=")
        .append(in.width())
        .append('x')
        .append(in.height())
        .append(' ')
        .append(in.layout())
        .append('\n');
    for (Backend b : candidates) {
      ModelSource src = Backends.source(card, b);
      sb.append("backend.")
          .append(b.name())
          .append('=')
          .append(b.version())
          .append(' ')
          .append(src.format().key())
          .append(' ')
          .append(fileSha256(src.file()))
          .append('\n');
    }
    return sb.toString();
  }

  /** This machine in words: CPU model, cores, OS and architecture. */
  static String machine() {
    String cpu = "unknown cpu";
    try {
      Path info = Path.of("/proc/cpuinfo");
      if (Files.isReadable(info)) {
        for (String line : Files.readAllLines(info)) {
          if (line.startsWith("model name")) {
            cpu = line.substring(line.indexOf(':') + 1).trim();
            break;
          }
        }
      }
    } catch (IOException e) {
      // the key then holds "unknown cpu": still valid, only less specific
    }
    return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
        + System.getProperty("os.name") + " " + System.getProperty("os.arch");
  }

  private static Figure measure(ModelCard card, Backend b, Device device, Split split) {
    Tensor input = randomInput(card.input());
    ModelSource src = Backends.source(card, b);
    double medianMs;
    try (BackendSession s = b.open(src, new SessionOptions(device, split.threads()))) {
      Tensor spare = null;
      for (int i = 0; i < WARMUP; i++) {
        spare = s.forward(input, spare);
      }
      double[] ms = new double[FRAMES];
      for (int i = 0; i < FRAMES; i++) {
        long t0 = System.nanoTime();
        spare = s.forward(input, spare);
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(ms);
      medianMs = ms[FRAMES / 2];
    } catch (RuntimeException e) {
      return failed(b, e);
    }
    if (split.concurrency() < 2) {
      return new Figure(b.name(), b.version(), medianMs, Double.NaN, null);
    }
    try {
      return new Figure(
          b.name(), b.version(), medianMs, throughput(b, src, device, split, input), null);
    } catch (RuntimeException e) {
      return failed(b, e);
    }
  }

  private static Figure failed(Backend b, RuntimeException e) {
    return new Figure(b.name(), b.version(), Double.NaN, Double.NaN, ErrorMessages.oneLine(e));
  }

  /**
   * Frames per second of {@code split.concurrency()} threads each running {@value #WARMUP} untimed then
   * {@value #FRAMES} timed forward passes at once, with {@code max(1, threads)} runtime threads per session: one
   * shared session when the runtime's sessions are thread-safe, else one per thread (as {@link Segmenter} runs them).
   */
  private static double throughput(
      Backend b, ModelSource src, Device device, Split split, Tensor input) {
    int c = split.concurrency();
    SessionOptions options = new SessionOptions(device, Math.max(1, split.threads()));
    List<BackendSession> sessions = new ArrayList<>();
    try {
      sessions.add(b.open(src, options));
      for (int i = 1; i < c && !sessions.get(0).isThreadSafe(); i++) {
        sessions.add(b.open(src, options));
      }
      CountDownLatch warm = new CountDownLatch(c);
      CountDownLatch go = new CountDownLatch(1);
      AtomicReference<RuntimeException> failure = new AtomicReference<>();
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < c; i++) {
        BackendSession s = sessions.get(Math.min(i, sessions.size() - 1));
        Thread w = new Thread(
            () -> {
              Tensor spare = null;
              boolean counted = false;
              try {
                for (int k = 0; k < WARMUP; k++) {
                  spare = s.forward(input, spare);
                }
                warm.countDown();
                counted = true;
                go.await();
                for (int k = 0; k < FRAMES && failure.get() == null; k++) {
                  spare = s.forward(input, spare);
                }
              } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                if (!counted) {
                  warm.countDown();
                }
              }
            },
            "segmenter-fastest-" + i);
        w.setDaemon(true);
        workers.add(w);
        w.start();
      }
      warm.await();
      long t0 = System.nanoTime();
      go.countDown();
      for (Thread w : workers) {
        w.join();
      }
      long t1 = System.nanoTime();
      if (failure.get() != null) {
        throw failure.get();
      }
      return (double) c * FRAMES / ((t1 - t0) / 1e9);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(
          BackendException.Reason.UNAVAILABLE, "interrupted while timing " + b.name(), e);
    } finally {
      for (BackendSession s : sessions) {
        s.close();
      }
    }
  }

  /** Seeded values in the normalized range, at the model's input size and layout. */
  private static Tensor randomInput(InputSpec in) {
    int n = in.width() * in.height() * 3;
    float[] v = new float[n];
    Random r = new Random(42);
    for (int i = 0; i < n; i++) {
      v[i] = r.nextFloat() * 2 - 1;
    }
    return in.layout() == Layout.NHWC
        ? Tensor.of(v, 1, in.height(), in.width(), 3)
        : Tensor.of(v, 1, 3, in.height(), in.width());
  }

  private static Choice read(Path file, String key, List<Backend> candidates, Split split) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      return null; // a broken cache entry is measured again and rewritten
    }
    if (!key.equals(p.getProperty("key"))) {
      return null;
    }
    Backend chosen = null;
    for (Backend b : candidates) {
      if (b.name().equals(p.getProperty("chosen"))) {
        chosen = b;
      }
    }
    if (chosen == null) {
      return null;
    }
    List<Figure> figures = new ArrayList<>();
    for (Backend b : candidates) {
      String ms = p.getProperty("ms." + b.name());
      String fps = p.getProperty("fps." + b.name());
      String failure = p.getProperty("failure." + b.name());
      try {
        if (ms != null || failure != null) {
          figures.add(new Figure(
              b.name(),
              b.version(),
              ms == null ? Double.NaN : Double.parseDouble(ms),
              fps == null ? Double.NaN : Double.parseDouble(fps),
              failure));
        }
      } catch (NumberFormatException e) {
        return null; // a broken cache entry is measured again and rewritten
      }
    }
    return new Choice(chosen, split, List.copyOf(figures), true, file);
  }

  private static void write(Path file, String key, Backend chosen, List<Figure> figures) {
    Properties p = new Properties();
    p.setProperty("key", key);
    p.setProperty("chosen", chosen.name());
    for (Figure f : figures) {
      if (f.failure() == null) {
        p.setProperty("ms." + f.backend(), String.valueOf(f.medianMs()));
        if (!Double.isNaN(f.throughputFps())) {
          p.setProperty("fps." + f.backend(), String.valueOf(f.throughputFps()));
        }
      } else {
        p.setProperty("failure." + f.backend(), f.failure());
      }
    }
    try {
      OutputFiles.writeOne(
          file,
          out -> p.store(
              new OutputStreamWriter(out, StandardCharsets.UTF_8),
              "segmenter --backend fastest: the measured choice for one model on one machine"),
          false);
    } catch (OutputFiles.OutputException e) {
      // an unwritable cache only means measuring again next time
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot cache the fastest backend in " + file + ": " + e.getMessage());
    }
  }

  private static String fileSha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new ModelException(
          file + ": cannot read the model file to checksum it: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
