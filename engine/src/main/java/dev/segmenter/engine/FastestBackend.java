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
import java.io.Reader;
import java.io.OutputStreamWriter;
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

/**
 * The backend named {@code fastest}: times every available backend that reads one of the model's files for a few
 * frames at the model's input size on this machine, and picks the one with the lowest median time per frame.
 * The answer is cached under {@code <cache folder>/fastest/} (see {@link ModelRegistry#cacheRoot()}), keyed by the
 * SHA-256 of each model file, the machine (CPU model, cores, OS, architecture), the Java runtime, each candidate
 * backend's name and version, the device and the thread setting; a change to any of them measures again.
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

  /** One backend's figure: median milliseconds per frame, or why it could not run. */
  public record Figure(String backend, String version, double medianMs, String failure) {
    @Override
    public String toString() {
      return failure != null ? backend + ": failed (" + failure + ")"
          : String.format(Locale.ROOT, "%s %s: %.2f ms/frame", backend, version, medianMs);
    }
  }

  /** The chosen backend, the figures that chose it, and whether they came from the cache. */
  public record Choice(Backend backend, List<Figure> figures, boolean cached, Path cacheFile) {
    /** One line for logs and {@code --verbose}. */
    public String describe() {
      return "backend fastest chose " + backend.name() + (cached ? " (cached in " + cacheFile + ")" : " (measured, "
          + FRAMES + " frames each)") + ": " + String.join("; ", figures.stream().map(Figure::toString).toList());
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
    return choose(card, device, runtimeThreads, ModelRegistry.cacheRoot().resolve("fastest"), machine());
  }

  static Choice choose(ModelCard card, Device device, int runtimeThreads, Path cacheDir, String machine) {
    List<Backend> candidates = candidates(card, device);
    String key = key(card, candidates, device, runtimeThreads, machine);
    Path file = cacheDir.resolve(sha256(key.getBytes(StandardCharsets.UTF_8)) + ".properties");
    Choice cached = read(file, key, candidates);
    if (cached != null) {
      LOG.log(System.Logger.Level.INFO, cached.describe());
      return cached;
    }
    List<Figure> figures = new ArrayList<>();
    Backend best = null;
    double bestMs = Double.POSITIVE_INFINITY;
    for (Backend b : candidates) {
      Figure f = measure(card, b, device, runtimeThreads);
      figures.add(f);
      if (f.failure() == null && f.medianMs() < bestMs) {
        bestMs = f.medianMs();
        best = b;
      }
    }
    if (best == null) {
      throw new BackendException(BackendException.Reason.UNAVAILABLE, "backend fastest: no backend ran model '"
          + card.name() + "': " + String.join("; ", figures.stream().map(Figure::toString).toList()));
    }
    write(file, key, best, figures);
    Choice c = new Choice(best, List.copyOf(figures), false, file);
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
      throw new BackendException(BackendException.Reason.UNAVAILABLE, "backend fastest: no available backend can run "
          + "model '" + card.name() + "' on " + device.id() + ": " + String.join("; ", why));
    }
    return out;
  }

  /** Everything the answer depends on, one {@code name=value} per line. */
  static String key(ModelCard card, List<Backend> candidates, Device device, int runtimeThreads, String machine) {
    StringBuilder sb = new StringBuilder();
    sb.append("machine=").append(machine).append('\n');
    sb.append("java=").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append('\n');
    sb.append("device=").append(device.id()).append('\n');
    sb.append("threads=").append(runtimeThreads).append('\n');
    InputSpec in = card.input();
    sb.append("input=").append(in.width()).append('x').append(in.height()).append(' ').append(in.layout()).append('\n');
    for (Backend b : candidates) {
      ModelSource src = source(card, b);
      sb.append("backend.").append(b.name()).append('=').append(b.version()).append(' ')
          .append(src.format().key()).append(' ').append(fileSha256(src.file())).append('\n');
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
    return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
        + System.getProperty("os.arch");
  }

  private static ModelSource source(ModelCard card, Backend b) {
    for (var f : card.presentFormats()) {
      if (b.formats().contains(f)) {
        return card.requireFile(f);
      }
    }
    throw new BackendException(BackendException.Reason.UNAVAILABLE, "backend '" + b.name() + "' reads none of model '"
        + card.name() + "''s files");
  }

  private static Figure measure(ModelCard card, Backend b, Device device, int runtimeThreads) {
    Tensor input = randomInput(card.input());
    try (BackendSession s = b.open(source(card, b), new SessionOptions(device, runtimeThreads))) {
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
      return new Figure(b.name(), b.version(), ms[FRAMES / 2], null);
    } catch (RuntimeException e) {
      return new Figure(b.name(), b.version(), Double.NaN, ErrorMessages.oneLine(e));
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
    return in.layout() == Layout.NHWC ? Tensor.of(v, 1, in.height(), in.width(), 3)
        : Tensor.of(v, 1, 3, in.height(), in.width());
  }

  private static Choice read(Path file, String key, List<Backend> candidates) {
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
      String failure = p.getProperty("failure." + b.name());
      if (ms != null || failure != null) {
        figures.add(new Figure(b.name(), b.version(), ms == null ? Double.NaN : Double.parseDouble(ms), failure));
      }
    }
    return new Choice(chosen, List.copyOf(figures), true, file);
  }

  private static void write(Path file, String key, Backend chosen, List<Figure> figures) {
    Properties p = new Properties();
    p.setProperty("key", key);
    p.setProperty("chosen", chosen.name());
    for (Figure f : figures) {
      if (f.failure() == null) {
        p.setProperty("ms." + f.backend(), String.valueOf(f.medianMs()));
      } else {
        p.setProperty("failure." + f.backend(), f.failure());
      }
    }
    try {
      OutputFiles.writeOne(file, out -> p.store(new OutputStreamWriter(out, StandardCharsets.UTF_8),
          "segmenter --backend fastest: the measured choice for one model on one machine"), false);
    } catch (OutputFiles.OutputException e) {
      // an unwritable cache only means measuring again next time
      LOG.log(System.Logger.Level.WARNING, "cannot cache the fastest backend in " + file + ": " + e.getMessage());
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
      throw new ModelException(file + ": cannot read the model file to checksum it: " + e.getMessage(), e);
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
