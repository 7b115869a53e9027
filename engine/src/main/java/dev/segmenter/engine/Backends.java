package dev.segmenter.engine;

import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.spi.Availability;
import dev.segmenter.engine.spi.Backend;
import dev.segmenter.engine.spi.ModelSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The installed backends ({@link ServiceLoader}) and the rules for choosing one.
 *
 * <p>Which backend name applies follows {@link Setting}: an explicit name (API call or CLI flag), else the system
 * property {@value #PROPERTY}, else the environment variable {@value #ENV}, else the configuration file (the command
 * line's), else {@code auto}. {@code auto} picks the available backend with the highest rank that reads one of the
 * model's present formats and supports the device. {@link #select} is the one place that decides which backend runs a
 * model and which of its files that backend reads: the {@link Segmenter.Builder}, hence the command line, and the
 * benchmarks call it.
 */
public final class Backends {
  public static final String AUTO = "auto";
  public static final String KEY = "backend";
  public static final String PROPERTY = "segmenter." + KEY;
  public static final String ENV = "SEGMENTER_BACKEND";

  /** A backend chosen for a model, and the model's file it reads. */
  public record Selection(Backend backend, ModelSource source) {}

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

  /**
   * The name that applies, following {@link Setting}'s precedence without a configuration file: {@code explicit}
   * (a blank one counts as none), else the property, else the environment, else {@code auto}; trimmed, lower case.
   */
  public static String resolveName(String explicit) {
    Setting s = Setting.resolve(
        KEY,
        explicit == null || explicit.isBlank() ? null : explicit,
        "explicit",
        Map.of(),
        null,
        AUTO);
    return s.value().trim().toLowerCase(Locale.ROOT);
  }

  /** Every name a backend setting accepts: {@code auto}, {@code fastest} and each installed backend's. */
  public static List<String> acceptedNames() {
    List<String> names = new ArrayList<>();
    names.add(AUTO);
    names.add(FastestBackend.NAME);
    for (Backend b : installed()) {
      names.add(b.name());
    }
    return names;
  }

  /**
   * The backend that runs this model on this device, and the file it reads.
   *
   * @param name a backend name or {@code auto} (resolve {@code fastest} first: see {@link FastestBackend})
   * @throws ModelException when a file the card names is missing and no backend would read another
   * @throws BackendException for an unknown or unavailable backend, one that reads none of the model's files, or
   *     one without the device
   */
  public static Selection select(ModelCard card, String name, Device device) {
    List<ModelFormat> present = card.presentFormats();
    // a file the card names is missing: say which (a model error), rather than that no backend fits
    if (present.isEmpty() && !card.files().isEmpty()) {
      card.requireFile(card.files().keySet().iterator().next());
    } else if (!AUTO.equalsIgnoreCase(name)) {
      Backend named = byName(name);
      if (named.formats().stream().noneMatch(present::contains)) {
        for (ModelFormat f : card.files().keySet()) {
          if (named.formats().contains(f)) {
            card.requireFile(f);
          }
        }
      }
    }
    Backend b = choose(name, present, device);
    if (!b.devices().contains(device)) {
      throw new BackendException(
          BackendException.Reason.UNAVAILABLE,
          "backend '" + b.name() + "' has no " + device.id() + " here (devices: "
              + b.devices().stream().map(Device::id).toList() + ")");
    }
    return new Selection(b, source(card, b));
  }

  /** The model file a backend reads: the first of the model's present formats that it reads. */
  public static ModelSource source(ModelCard card, Backend b) {
    for (ModelFormat f : card.presentFormats()) {
      if (b.formats().contains(f)) {
        return card.requireFile(f);
      }
    }
    throw new BackendException(
        BackendException.Reason.UNAVAILABLE,
        "backend '" + b.name() + "' reads none of " + "model '" + card.name() + "''s files "
            + card.files().keySet());
  }

  /** The installed backend of that name, available here, or a {@link BackendException} listing the alternatives. */
  public static Backend byName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (Backend b : installed()) {
      if (b.name().equals(n)) {
        Availability a = b.availability();
        if (!a.available()) {
          throw new BackendException(
              BackendException.Reason.UNAVAILABLE,
              "backend '" + n + "' is not available here: " + a.reason() + "; " + summary());
        }
        return b;
      }
    }
    throw new BackendException(
        BackendException.Reason.UNKNOWN,
        "unknown backend '" + name + "'; accepted: auto, " + names(installed()) + " (" + summary()
            + ")");
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
        throw new BackendException(
            BackendException.Reason.UNAVAILABLE,
            "backend '" + b.name() + "' reads " + keys(b.formats()) + " but the model has "
                + keys(present) + "; " + readers(present));
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
    throw new BackendException(
        BackendException.Reason.UNAVAILABLE,
        "no installed backend can run this model on " + device.id()
            + (why.isEmpty() ? " (no backend is installed)" : ": " + String.join("; ", why)));
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
    return (able.size() == 1
            ? "only " + able.get(0) + " reads "
            : String.join(", ", able) + " read ")
        + keys(present) + ": pick " + String.join(", ", able)
        + " or auto, or a model in one of the formats this backend reads";
  }

  private static String names(List<Backend> list) {
    return String.join(", ", list.stream().map(Backend::name).toList());
  }

  private static String keys(Collection<ModelFormat> formats) {
    return formats.isEmpty()
        ? "no present file"
        : String.join("/", formats.stream().map(ModelFormat::key).toList());
  }
}
