package dev.segmenter.cli;

import dev.segmenter.engine.Backends;
import dev.segmenter.engine.ConfigException;
import dev.segmenter.engine.Device;
import dev.segmenter.engine.Setting;
import dev.segmenter.engine.model.ModelRegistry;
import dev.segmenter.engine.pipeline.ResizeMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The effective configuration and where each value came from. Precedence ({@link Setting}, shared with the library):
 * command-line flag, then system property {@code segmenter.KEY}, then environment variable {@code SEGMENTER_KEY},
 * then the configuration file ({@code --config}, else {@code ./segmenter.yaml}, else
 * {@code ~/.config/segmenter/segmenter.yaml}), then the default.
 *
 * <p>picocli parses and converts: each {@link Key} a command has an option for is a typed option with the key's
 * converter, and this class is the command line's {@link CommandLine.IDefaultValueProvider}: for such an option not
 * given as a flag it answers the property, environment or file value, and records where it came from. The keys a
 * command has no option for (alpha and outputs for {@code eval}) are resolved and converted the same way by
 * {@link #effective}, so that {@code --print-config} shows every key, and a bad value anywhere is reported.
 */
final class Settings implements CommandLine.IDefaultValueProvider {

  /** The configuration keys, in the order {@code --print-config} lists them, with their defaults. */
  enum Key {
    BACKEND(Backends.AUTO),
    DEVICE("cpu"),
    THREADS("0"),
    MODEL(ModelRegistry.DEFAULT_MODEL),
    PALETTE(""),
    ALPHA("0.5"),
    OUTPUTS(Output.DEFAULTS),
    RESIZE("nearest");

    /** The key in the file, and the flag's name without {@code --}. */
    final String id = name().toLowerCase(Locale.ROOT);

    final String fallback;

    Key(String fallback) {
      this.fallback = fallback;
    }

    String flag() {
      return "--" + id;
    }

    /**
     * The typed value of {@code value}; the one converter of this key, which the option's picocli converter calls.
     *
     * @throws BadValue saying what is accepted (the caller, who knows where the value came from, adds that)
     */
    Object convert(String value) {
      String s = value.trim();
      return switch (this) {
        case BACKEND -> {
          List<String> names = Backends.acceptedNames();
          if (!names.contains(s.toLowerCase(Locale.ROOT))) {
            throw new BadValue("unknown backend '" + value + "'; accepted: "
                + String.join(", ", names) + " (" + Backends.summary() + ")");
          }
          yield s.toLowerCase(Locale.ROOT);
        }
        case DEVICE ->
          switch (s.toLowerCase(Locale.ROOT)) {
            case "cpu" -> Device.CPU;
            case "gpu" -> Device.GPU;
            default -> throw bad(id, value, "cpu, gpu");
          };
        case THREADS -> {
          try {
            int t = Integer.parseInt(s);
            if (t < 0 || t > 1024) {
              throw new NumberFormatException();
            }
            yield t;
          } catch (NumberFormatException e) {
            throw bad(id, value, "an integer from 0 (all cores) to 1024");
          }
        }
        case ALPHA -> {
          try {
            double a = Double.parseDouble(s);
            if (!(a >= 0 && a <= 1)) {
              throw new NumberFormatException();
            }
            yield Float.parseFloat(s);
          } catch (NumberFormatException e) {
            throw bad(id, value, "a number from 0 to 1");
          }
        }
        case RESIZE ->
          switch (s.toLowerCase(Locale.ROOT)) {
            case "nearest" -> ResizeMode.NEAREST;
            case "bilinear" -> ResizeMode.BILINEAR;
            default -> throw bad(id, value, "nearest, bilinear");
          };
        case OUTPUTS -> Output.Requests.parse(value);
        // checked when they are loaded
        case MODEL, PALETTE -> s;
      };
    }

    static Key of(String id) {
      for (Key k : values()) {
        if (k.id.equals(id)) {
          return k;
        }
      }
      return null;
    }

    /** {@code backend, device, ...}: the keys a file may hold. */
    static String ids() {
      return String.join(", ", java.util.Arrays.stream(values()).map(k -> k.id).toList());
    }
  }

  /** A value a converter does not accept; its message says what is accepted. */
  static final class BadValue extends CommandLine.TypeConversionException {
    private static final long serialVersionUID = 1L;

    BadValue(String message) {
      super(message);
    }
  }

  static BadValue bad(String key, String value, String accepted) {
    return new BadValue(key + " '" + value + "' is not accepted; accepted: " + accepted);
  }

  /** picocli's converter of each key's option: {@link Key#convert}. */
  abstract static class KeyConverter<T> implements CommandLine.ITypeConverter<T> {
    private final Key key;

    KeyConverter(Key key) {
      this.key = key;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T convert(String value) {
      return (T) key.convert(value);
    }
  }

  static final class BackendConverter extends KeyConverter<String> {
    BackendConverter() {
      super(Key.BACKEND);
    }
  }

  static final class DeviceConverter extends KeyConverter<Device> {
    DeviceConverter() {
      super(Key.DEVICE);
    }
  }

  static final class ThreadsConverter extends KeyConverter<Integer> {
    ThreadsConverter() {
      super(Key.THREADS);
    }
  }

  static final class AlphaConverter extends KeyConverter<Float> {
    AlphaConverter() {
      super(Key.ALPHA);
    }
  }

  static final class OutputsConverter extends KeyConverter<Output.Requests> {
    OutputsConverter() {
      super(Key.OUTPUTS);
    }
  }

  static final class ResizeConverter extends KeyConverter<ResizeMode> {
    ResizeConverter() {
      super(Key.RESIZE);
    }
  }

  /** Model and palette: names or paths, checked when they are loaded. */
  static final class TrimmedConverter implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return value.trim();
    }
  }

  /** One effective value: as given, where it came from, and converted. */
  record Value(String given, Setting origin, Object value) {
    String source() {
      return origin.origin();
    }
  }

  private boolean loaded;
  private Path file;
  private Map<String, String> fromFile = Map.of();
  /** The first error {@link #defaultValue} met, reported by {@link #effective}. */
  private RuntimeException failure;
  /** What {@link #defaultValue} answered, by key: the values that came from a property, the environment or the file. */
  private final Map<Key, Setting> answered = new EnumMap<>(Key.class);

  private final Map<Key, Value> values = new EnumMap<>(Key.class);

  /**
   * The value of an option not given as a flag: for a key's option, its property, environment variable or file value
   * (recorded with its origin), else null (the default applies). A configuration file that cannot be read, or a value
   * that is not accepted, is kept for {@link #effective} to report when the command runs: {@code --help} and
   * {@code --version} still work, and errors come in the order they always did.
   */
  @Override
  public String defaultValue(ArgSpec arg) {
    Key key = arg instanceof OptionSpec o && o.longestName().startsWith("--")
        ? Key.of(o.longestName().substring(2))
        : null;
    if (key == null || failure != null) {
      return null;
    }
    try {
      load(arg.command());
    } catch (ConfigException e) {
      failure = e;
      return null;
    }
    Setting s = Setting.resolve(key.id, null, null, fromFile, "file " + file, null);
    if (s == null) {
      return null;
    }
    try {
      key.convert(s.value());
    } catch (BadValue e) {
      failure = rejected(s, e);
      return null;
    }
    answered.put(key, s);
    return s.value();
  }

  /**
   * Reads the configuration file once: {@code --config}'s, else {@code ./segmenter.yaml}, else
   * {@code ~/.config/segmenter/segmenter.yaml}, else none.
   */
  private void load(CommandSpec spec) {
    if (loaded) {
      return;
    }
    OptionSpec option = spec.findOption("--config");
    Path configFlag = option == null ? null : option.getValue();
    if (configFlag == null) {
      Path local = Path.of("segmenter.yaml");
      Path home =
          Path.of(System.getProperty("user.home"), ".config", "segmenter", "segmenter.yaml");
      file = Files.isRegularFile(local) ? local : Files.isRegularFile(home) ? home : null;
    } else if (!Files.isRegularFile(configFlag)) {
      throw new ConfigException("--config " + configFlag
          + (Files.exists(configFlag)
              ? ": not a regular file (a FIFO, device or folder); a configuration is a plain file"
              : ": no such configuration file"));
    } else {
      file = configFlag;
    }
    fromFile = file == null ? Map.of() : readFile(file);
    loaded = true;
  }

  /**
   * The effective settings of the command {@code spec} (after picocli parsed it): each key's option value with its
   * origin, and the keys the command has no option for resolved and checked here.
   *
   * @throws ConfigException for a bad configuration file or a bad value in it
   * @throws UsageException for a bad value from a property or the environment
   */
  static Settings effective(CommandSpec spec) {
    Settings s = spec.defaultValueProvider() instanceof Settings p ? p : new Settings();
    if (s.failure != null) {
      throw s.failure;
    }
    s.load(spec);
    CommandLine.ParseResult parsed =
        spec.commandLine() == null ? null : spec.commandLine().getParseResult();
    for (Key key : Key.values()) {
      OptionSpec o = spec.findOption(key.flag());
      Value v;
      if (o != null && parsed != null && parsed.hasMatchedOption(o)) {
        List<String> given = o.originalStringValues();
        v = new Value(
            given.get(given.size() - 1),
            new Setting(key.id, null, Setting.Level.EXPLICIT, "flag " + key.flag()),
            o.getValue());
      } else if (o != null && s.answered.containsKey(key)) {
        Setting from = s.answered.get(key);
        v = new Value(from.value(), from, o.getValue());
      } else {
        Setting from =
            Setting.resolve(key.id, null, null, s.fromFile, "file " + s.file, key.fallback);
        try {
          v = new Value(from.value(), from, key.convert(from.value()));
        } catch (BadValue e) {
          throw rejected(from, e);
        }
      }
      s.values.put(key, v);
    }
    return s;
  }

  /** A bad value as the project reports it: its origin first; from the file a configuration error, else a usage one. */
  static RuntimeException rejected(Setting origin, BadValue e) {
    String msg = origin.origin() + ": " + e.getMessage();
    return origin.level() == Setting.Level.FILE
        ? new ConfigException(msg)
        : new UsageException(msg);
  }

  /**
   * A flag's value picocli could not convert, as the project reports it: {@code flag --KEY: ...} for a key's option,
   * else the converter's message alone (values this provider gives are checked before picocli sees them).
   */
  static RuntimeException rejected(ArgSpec arg, BadValue e) {
    Key key = arg instanceof OptionSpec o && o.longestName().startsWith("--")
        ? Key.of(o.longestName().substring(2))
        : null;
    return key == null
        ? new UsageException(e.getMessage())
        : rejected(new Setting(key.id, null, Setting.Level.EXPLICIT, "flag " + key.flag()), e);
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
      throw new ConfigException(
          file + ": not valid YAML: " + dev.segmenter.engine.ErrorMessages.oneLine(e), e);
    }
    if (root == null) {
      return Map.of();
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new ConfigException(
          file + ": expected a mapping of keys (" + Key.ids() + ") to values");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (Key.of(key) == null) {
        throw new ConfigException(file + ": unknown key '" + key + "'; accepted: " + Key.ids());
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

  Value raw(Key key) {
    return values.get(key);
  }

  String backend() {
    return (String) values.get(Key.BACKEND).value();
  }

  Device device() {
    return (Device) values.get(Key.DEVICE).value();
  }

  int threads() {
    return (Integer) values.get(Key.THREADS).value();
  }

  float alpha() {
    return (Float) values.get(Key.ALPHA).value();
  }

  ResizeMode resize() {
    return (ResizeMode) values.get(Key.RESIZE).value();
  }

  String model() {
    return (String) values.get(Key.MODEL).value();
  }

  /** The palette setting, or null when none was given (the model card's palette applies). */
  String palette() {
    String p = (String) values.get(Key.PALETTE).value();
    return p.isEmpty() ? null : p;
  }

  /** The outputs setting, {@code all} expanded. */
  Output.Requests outputs() {
    return (Output.Requests) values.get(Key.OUTPUTS).value();
  }

  Path file() {
    return file;
  }

  /** The effective configuration, one key per line with its source. */
  String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("configuration file: ")
        .append(file == null ? "none" : file.toAbsolutePath())
        .append('\n');
    for (Map.Entry<Key, Value> e : values.entrySet()) {
      String v = e.getValue().given();
      sb.append(String.format(
          Locale.ROOT,
          "%-8s = %-28s (%s)%n",
          e.getKey().id,
          v.isEmpty() ? "(model card's)" : v,
          e.getValue().source()));
    }
    return sb.toString();
  }
}
