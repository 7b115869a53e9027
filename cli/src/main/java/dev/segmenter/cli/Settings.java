package dev.segmenter.cli;

import dev.segmenter.engine.Backends;
import dev.segmenter.engine.ConfigException;
import dev.segmenter.engine.Device;
import dev.segmenter.engine.pipeline.ResizeMode;
import dev.segmenter.engine.spi.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The effective configuration and where each value came from. Precedence: command-line flag, then
 * system property {@code segmenter.KEY}, then environment variable {@code SEGMENTER_KEY}, then the
 * configuration file ({@code --config}, else {@code ./segmenter.yaml}, else
 * {@code ~/.config/segmenter/segmenter.yaml}), then the default.
 */
final class Settings {
  static final List<String> KEYS = List.of("backend", "device", "threads", "model", "palette", "alpha", "outputs", "resize");
  static final List<String> OUTPUTS = List.of("classes", "color", "overlay", "indexed", "report", "legend", "masks",
      "cutout", "json", "prob", "background");
  static final String DEFAULT_OUTPUTS = "classes,color,overlay";

  /** One effective value and its origin. */
  record Value(String value, String source) {}

  private final Map<String, Value> values = new LinkedHashMap<>();
  private final Path file;

  private Settings(Path file) {
    this.file = file;
  }

  /**
   * Resolves every key.
   *
   * @param configFlag the {@code --config} value or null
   * @param flags values given as flags (null entries for flags not given)
   */
  static Settings resolve(Path configFlag, Map<String, String> flags) {
    Path file = configFlag;
    if (file == null) {
      Path local = Path.of("segmenter.yaml");
      Path home = Path.of(System.getProperty("user.home"), ".config", "segmenter", "segmenter.yaml");
      file = Files.isRegularFile(local) ? local : Files.isRegularFile(home) ? home : null;
    } else if (!Files.isRegularFile(configFlag)) {
      throw new ConfigException("--config " + configFlag + (Files.exists(configFlag)
          ? ": not a regular file (a FIFO, device or folder); a configuration is a plain file"
          : ": no such configuration file"));
    }
    Settings s = new Settings(file);
    Map<String, String> fromFile = file == null ? Map.of() : readFile(file);
    Map<String, String> defaults = Map.of("backend", "auto", "device", "cpu", "threads", "0", "model",
        dev.segmenter.engine.model.ModelRegistry.DEFAULT_MODEL, "palette", "", "alpha", "0.5", "outputs",
        DEFAULT_OUTPUTS, "resize", "nearest");
    for (String key : KEYS) {
      String flag = flags.get(key);
      String prop = System.getProperty("segmenter." + key);
      String env = System.getenv("SEGMENTER_" + key.toUpperCase(Locale.ROOT));
      Value v;
      if (flag != null) {
        v = new Value(flag, "flag --" + key);
      } else if (prop != null && !prop.isBlank()) {
        v = new Value(prop, "system property segmenter." + key);
      } else if (env != null && !env.isBlank()) {
        v = new Value(env, "environment SEGMENTER_" + key.toUpperCase(Locale.ROOT));
      } else if (fromFile.containsKey(key)) {
        v = new Value(fromFile.get(key), "file " + file);
      } else {
        v = new Value(defaults.get(key), "default");
      }
      s.values.put(key, v);
      s.validate(key, v);
    }
    return s;
  }

  private static Map<String, String> readFile(Path file) {
    Object root;
    try {
      root = dev.segmenter.engine.model.SafeYaml.load(Files.readString(file), file.toString());
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ConfigException(file + ": not valid YAML: not UTF-8 text", e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read configuration: " + e.getMessage(), e);
    } catch (YamlEngineException e) {
      throw new ConfigException(file + ": not valid YAML: " + dev.segmenter.engine.ErrorMessages.oneLine(e), e);
    }
    if (root == null) {
      return Map.of();
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new ConfigException(file + ": expected a mapping of keys (" + String.join(", ", KEYS) + ") to values");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!KEYS.contains(key)) {
        throw new ConfigException(file + ": unknown key '" + key + "'; accepted: " + String.join(", ", KEYS));
      }
      Object v = e.getValue();
      if (v instanceof List<?> list && key.equals("outputs")) {
        List<String> parts = new ArrayList<>();
        for (Object o : list) {
          parts.add(String.valueOf(o));
        }
        out.put(key, String.join(",", parts));
      } else if (v instanceof String || v instanceof Number || v instanceof Boolean) {
        out.put(key, String.valueOf(v));
      } else {
        throw new ConfigException(file + ": key '" + key + "' must be a single value, got "
            + (v == null ? "nothing" : v.getClass().getSimpleName()));
      }
    }
    return out;
  }

  private RuntimeException bad(String key, Value v, String accepted) {
    String msg = v.source() + ": " + key + " '" + v.value() + "' is not accepted; accepted: " + accepted;
    return v.source().startsWith("file ") ? new ConfigException(msg) : new UsageException(msg);
  }

  private void validate(String key, Value v) {
    String s = v.value().trim();
    switch (key) {
      case "backend" -> {
        List<String> names = new ArrayList<>();
        names.add(Backends.AUTO);
        names.add(dev.segmenter.engine.FastestBackend.NAME);
        for (Backend b : Backends.installed()) {
          names.add(b.name());
        }
        if (!names.contains(s.toLowerCase(Locale.ROOT))) {
          String msg = v.source() + ": unknown backend '" + v.value() + "'; accepted: " + String.join(", ", names)
              + " (" + Backends.summary() + ")";
          throw v.source().startsWith("file ") ? new ConfigException(msg) : new UsageException(msg);
        }
      }
      case "device" -> {
        if (!s.equalsIgnoreCase("cpu") && !s.equalsIgnoreCase("gpu")) {
          throw bad(key, v, "cpu, gpu");
        }
      }
      case "threads" -> {
        try {
          int t = Integer.parseInt(s);
          if (t < 0 || t > 1024) {
            throw bad(key, v, "an integer from 0 (all cores) to 1024");
          }
        } catch (NumberFormatException e) {
          throw bad(key, v, "an integer from 0 (all cores) to 1024");
        }
      }
      case "alpha" -> {
        try {
          double a = Double.parseDouble(s);
          if (!(a >= 0 && a <= 1)) {
            throw bad(key, v, "a number from 0 to 1");
          }
        } catch (NumberFormatException e) {
          throw bad(key, v, "a number from 0 to 1");
        }
      }
      case "resize" -> {
        if (!s.equalsIgnoreCase("nearest") && !s.equalsIgnoreCase("bilinear")) {
          throw bad(key, v, "nearest, bilinear");
        }
      }
      case "outputs" -> {
        if (s.replace(",", "").isBlank()) {
          throw bad(key, v, "at least one of " + String.join(", ", OUTPUTS) + ", mask-CLASS, or all");
        }
        for (String o : s.split(",")) {
          String t = o.trim().toLowerCase(Locale.ROOT);
          if (!t.isEmpty() && !t.equals("all") && !OUTPUTS.contains(t) && !t.startsWith("mask-")) {
            throw bad(key, v, "a comma list of " + String.join(", ", OUTPUTS) + ", mask-CLASS, or all");
          }
        }
      }
      default -> {
        // model and palette are checked when they are loaded
      }
    }
  }

  String get(String key) {
    return values.get(key).value().trim();
  }

  Value raw(String key) {
    return values.get(key);
  }

  String backend() {
    return get("backend").toLowerCase(Locale.ROOT);
  }

  Device device() {
    return Device.parse(get("device"), raw("device").source());
  }

  int threads() {
    return Integer.parseInt(get("threads"));
  }

  float alpha() {
    return Float.parseFloat(get("alpha"));
  }

  ResizeMode resize() {
    return ResizeMode.parse(get("resize"), raw("resize").source());
  }

  String model() {
    return get("model");
  }

  /** The palette setting, or null when none was given (the model card's palette applies). */
  String palette() {
    String p = get("palette");
    return p.isEmpty() ? null : p;
  }

  /** Output names, {@code all} expanded. */
  List<String> outputs() {
    List<String> out = new ArrayList<>();
    for (String o : get("outputs").split(",")) {
      String t = o.trim().toLowerCase(Locale.ROOT);
      if (t.equals("all")) {
        for (String k : OUTPUTS) {
          if (!out.contains(k)) {
            out.add(k);
          }
        }
      } else if (!t.isEmpty() && !out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }

  Path file() {
    return file;
  }

  /** The effective configuration, one key per line with its source. */
  String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("configuration file: ").append(file == null ? "none" : file.toAbsolutePath()).append('\n');
    for (Map.Entry<String, Value> e : values.entrySet()) {
      String v = e.getValue().value();
      sb.append(String.format(Locale.ROOT, "%-8s = %-28s (%s)%n", e.getKey(), v.isEmpty() ? "(model card's)" : v,
          e.getValue().source()));
    }
    return sb.toString();
  }
}
