package dev.segmenter.engine;

import dev.segmenter.engine.spi.Availability;
import dev.segmenter.engine.spi.Backend;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * The installed backends ({@link ServiceLoader}) and the rules for choosing one.
 *
 * <p>Which backend name applies: an explicit name (API call or CLI flag), else the system property
 * {@value #PROPERTY}, else the environment variable {@value #ENV}, else the configuration file, else
 * {@code auto}. {@code auto} picks the available backend with the highest rank that reads one of the
 * model's present formats and supports the device.
 */
public final class Backends {
  public static final String AUTO = "auto";
  public static final String PROPERTY = "segmenter.backend";
  public static final String ENV = "SEGMENTER_BACKEND";

  private static volatile List<Backend> installed;

  private Backends() {}

  /** Every backend on the class path, by descending rank. Discovery has no side effects. */
  public static List<Backend> installed() {
    List<Backend> list = installed;
    if (list == null) {
      synchronized (Backends.class) {
        list = installed;
        if (list == null) {
          list = new ArrayList<>();
          for (Backend b : ServiceLoader.load(Backend.class, Backends.class.getClassLoader())) {
            list.add(b);
          }
          list.sort(Comparator.comparingInt(Backend::rank).reversed().thenComparing(Backend::name));
          installed = list = List.copyOf(list);
        }
      }
    }
    return list;
  }

  /** The name that applies, following the documented precedence; {@code fromConfig} may be null. */
  public static String resolveName(String explicit, String fromConfig) {
    for (String s : new String[] {explicit, System.getProperty(PROPERTY), System.getenv(ENV), fromConfig}) {
      if (s != null && !s.isBlank()) {
        return s.trim().toLowerCase(Locale.ROOT);
      }
    }
    return AUTO;
  }

  /** The installed backend of that name, available here, or a {@link BackendException} listing the alternatives. */
  public static Backend byName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (Backend b : installed()) {
      if (b.name().equals(n)) {
        Availability a = b.availability();
        if (!a.available()) {
          throw new BackendException(BackendException.Reason.UNAVAILABLE,
              "backend '" + n + "' is not available here: " + a.reason() + "; " + summary());
        }
        return b;
      }
    }
    throw new BackendException(BackendException.Reason.UNKNOWN,
        "unknown backend '" + name + "'; accepted: auto, " + names(installed()) + " (" + summary() + ")");
  }

  /**
   * Chooses a backend for a model: by name, or {@code auto}.
   *
   * @param name a backend name or {@code auto}
   * @param present the formats whose files the model has on disk
   * @param device the requested device
   */
  public static Backend choose(String name, Collection<ModelFormat> present, Device device) {
    if (!AUTO.equalsIgnoreCase(name)) {
      Backend b = byName(name);
      if (b.formats().stream().noneMatch(present::contains)) {
        throw new BackendException(BackendException.Reason.UNAVAILABLE, "backend '" + b.name() + "' reads "
            + keys(b.formats()) + " but the model has " + keys(present) + "; " + readers(present));
      }
      return b;
    }
    List<String> why = new ArrayList<>();
    for (Backend b : installed()) {
      Availability a = b.availability();
      if (!a.available()) {
        why.add(b.name() + ": " + a.reason());
      } else if (b.formats().stream().noneMatch(present::contains)) {
        why.add(b.name() + ": reads " + keys(b.formats()) + ", not " + keys(present));
      } else if (!b.devices().contains(device)) {
        why.add(b.name() + ": no " + device.id() + " here");
      } else {
        return b;
      }
    }
    throw new BackendException(BackendException.Reason.UNAVAILABLE,
        "no installed backend can run this model on " + device.id() + (why.isEmpty() ? " (no backend is installed)" : ": "
            + String.join("; ", why)));
  }

  /** One line: which backends are available and why the others are not. */
  public static String summary() {
    List<String> ok = new ArrayList<>();
    List<String> not = new ArrayList<>();
    for (Backend b : installed()) {
      Availability a = b.availability();
      if (a.available()) {
        ok.add(b.name());
      } else {
        not.add(b.name() + " (" + a.reason() + ")");
      }
    }
    return "available: " + (ok.isEmpty() ? "none" : String.join(", ", ok))
        + (not.isEmpty() ? "" : "; not available: " + String.join(", ", not));
  }

  /** Which installed backends read one of these formats, e.g. "only opencv reads tflite: pick opencv or auto". */
  private static String readers(Collection<ModelFormat> present) {
    List<String> able = new ArrayList<>();
    for (Backend b : installed()) {
      if (b.formats().stream().anyMatch(present::contains)) {
        able.add(b.name());
      }
    }
    if (able.isEmpty()) {
      return "no installed backend reads " + keys(present);
    }
    return (able.size() == 1 ? "only " + able.get(0) + " reads " : String.join(", ", able) + " read ") + keys(present)
        + ": pick " + String.join(", ", able) + " or auto, or a model in one of the formats this backend reads";
  }

  private static String names(List<Backend> list) {
    return String.join(", ", list.stream().map(Backend::name).toList());
  }

  private static String keys(Collection<ModelFormat> formats) {
    return formats.isEmpty() ? "no present file" : String.join("/", formats.stream().map(ModelFormat::key).toList());
  }

}
