package dev.segmenter.engine.model;

import dev.segmenter.engine.ConfigException;
import dev.segmenter.engine.ErrorMessages;
import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.ModelFormat;
import dev.segmenter.engine.pipeline.TileSize;
import dev.segmenter.engine.spi.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads and validates {@code model.yaml}. Every error is a {@link ModelException} naming the file, the
 * field and what is accepted.
 */
public final class ModelCards {
  /** The card's file name inside a model directory. */
  public static final String CARD_FILE = "model.yaml";

  private static final long MAX_CARD_BYTES = 1 << 20;
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Set<String> TOP_KEYS = Set.of(
      "name",
      "title",
      "description",
      "classes",
      "palette",
      "ignore_index",
      "input",
      "output",
      "files",
      "source",
      "trained",
      "license",
      "domain",
      "tile");
  private static final Set<String> INPUT_KEYS =
      Set.of("width", "height", "layout", "color", "scale", "mean", "std", "fit", "pad", "name");
  private static final Set<String> OUTPUT_KEYS = Set.of("kind", "layout", "threshold", "name");
  private static final Set<String> FILE_KEYS = Set.of("model", "config");

  private ModelCards() {}

  /**
   * Loads the card of a model directory (or of the {@code model.yaml} file itself).
   *
   * @throws ModelException when the directory, card or any field is invalid
   */
  public static ModelCard load(Path path) {
    Path dir = Files.isDirectory(path) ? path : path.getParent();
    Path file = Files.isDirectory(path) ? path.resolve(CARD_FILE) : path;
    if (dir == null) {
      dir = Path.of(".");
    }
    if (!Files.exists(path)) {
      throw new ModelException(path + ": no such model directory or file");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // a FIFO would block the read forever, a device could be endless
      throw new ModelException(
          file + ": not a regular file (a FIFO, device or folder); a model card is a plain file");
    }
    Object root;
    try {
      if (Files.size(file) > MAX_CARD_BYTES) {
        throw new ModelException(
            file + ": model card is larger than 1 MiB; a card holds settings only");
      }
      root = SafeYaml.load(
          Files.readString(file, java.nio.charset.StandardCharsets.UTF_8), file.toString());
    } catch (NoSuchFileException e) {
      throw new ModelException(dir + ": not a model directory (no " + CARD_FILE + ")");
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ModelException(file + ": not valid YAML: not UTF-8 text", e);
    } catch (IOException e) {
      throw new ModelException(file + ": cannot read model card: " + e.getMessage(), e);
    } catch (YamlEngineException e) {
      throw new ModelException(file + ": not valid YAML: " + ErrorMessages.oneLine(e), e);
    }
    return parse(root, dir.toAbsolutePath().normalize(), file);
  }

  /** Parses card bytes that are not on disk (an embedded card); file paths resolve against a folder named after {@code label}. */
  static ModelCard parse(byte[] yaml, String label) {
    Path dir = Path.of("embedded-model", label).toAbsolutePath().normalize();
    Path file = dir.resolve(CARD_FILE);
    Object root;
    try {
      root = SafeYaml.load(new String(yaml, java.nio.charset.StandardCharsets.UTF_8), label);
    } catch (YamlEngineException e) {
      throw new ModelException(
          "embedded model '" + label + "': not valid YAML: " + ErrorMessages.oneLine(e), e);
    }
    return parse(root, dir, file);
  }

  static ModelCard parse(Object root, Path dir, Path file) {
    Fields top = new Fields(file, "", map(file, "the card", root), TOP_KEYS);
    String name = top.string("name", true);
    if (!NAME.matcher(name).matches()) {
      throw top.error(
          "name",
          "'" + name
              + "' is not a valid model name; accepted: lower-case letters, digits, '.', '_', '-' (1-64 characters)");
    }
    List<String> classes = classes(top);
    String paletteName = null;
    int[] paletteRgb = null;
    Object pal = top.raw("palette");
    if (pal instanceof String s) {
      paletteName = s.trim();
    } else if (pal instanceof List<?> list) {
      paletteRgb = new int[list.size()];
      for (int i = 0; i < list.size(); i++) {
        paletteRgb[i] = rgb(top, "palette[" + i + "]", list.get(i));
      }
    } else if (pal != null) {
      throw top.error(
          "palette",
          "expected a built-in palette name or a list of [r, g, b], got " + describe(pal));
    }
    if (paletteRgb != null && paletteRgb.length != classes.size()) {
      throw top.error(
          "palette",
          "lists " + paletteRgb.length + " colors but the card has " + classes.size()
              + " classes; give one [r, g, b] per class or a built-in palette name");
    }
    Integer ignore = top.integer("ignore_index", false, 0, 65535);
    Fields in = new Fields(file, "input.", map(file, "input", top.required("input")), INPUT_KEYS);
    InputSpec input = input(in);
    Object outRaw = top.raw("output");
    OutputSpec output = output(new Fields(
        file, "output.", outRaw == null ? Map.of() : map(file, "output", outRaw), OUTPUT_KEYS));
    if (output.kind() == OutputSpec.Kind.SIGMOID && classes.size() != 2) {
      throw top.error(
          "classes",
          "a sigmoid output has exactly 2 classes (background, foreground); the card lists "
              + classes.size());
    }
    Map<ModelFormat, ModelSource> files = files(top, dir, input.name(), output.name());
    String title = top.string("title", false);
    String description = top.string("description", false);
    String source = top.string("source", false);
    Boolean trained = top.bool("trained");
    top.string("license", false);
    String domain = top.string("domain", false);
    tensorSizes(top, input, output, classes.size());
    ModelCard card = new ModelCard(
        dir,
        name,
        title,
        description,
        source,
        trained == null || trained,
        domain == null || domain.isBlank() ? null : domain.strip(),
        classes,
        paletteName,
        paletteRgb,
        ignore,
        input,
        output,
        files);
    Object tile = top.raw("tile");
    if (tile != null) {
      try {
        card.tile(TileSize.parse(String.valueOf(tile)));
      } catch (ConfigException e) {
        throw top.error("tile", e.getMessage());
      }
    }
    return card;
  }

  private static List<String> classes(Fields top) {
    Object raw = top.required("classes");
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      throw top.error(
          "classes",
          "expected a non-empty list of class names or of {id, name}, got " + describe(raw));
    }
    if (list.size() > 65536) {
      throw top.error("classes", list.size() + " classes; at most 65536 are supported");
    }
    boolean objects = list.get(0) instanceof Map;
    TreeMap<Integer, String> byId = new TreeMap<>();
    for (int i = 0; i < list.size(); i++) {
      Object e = list.get(i);
      String where = "classes[" + i + "]";
      if (objects) {
        if (!(e instanceof Map<?, ?> m)) {
          throw top.error(where, "expected {id, name} like the other entries, got " + describe(e));
        }
        Fields f = new Fields(top.file, where + ".", map(top.file, where, m), Set.of("id", "name"));
        int id = f.integer("id", true, 0, 65535);
        String n = f.string("name", true);
        if (byId.put(id, n) != null) {
          throw top.error(where + ".id", "id " + id + " appears twice");
        }
      } else {
        if (!(e instanceof String) && !(e instanceof Number)) {
          throw top.error(where, "expected a class name, got " + describe(e));
        }
        byId.put(i, String.valueOf(e));
      }
    }
    List<String> names = new ArrayList<>();
    int max = byId.lastKey();
    for (int id = 0; id <= max; id++) {
      names.add(byId.getOrDefault(id, "class " + id));
    }
    return names;
  }

  private static InputSpec input(Fields in) {
    int width = in.integer("width", true, 1, 16384);
    int height = in.integer("height", true, 1, 16384);
    Layout layout =
        in.enumValue("layout", Layout.class, Layout.NCHW, Set.of(Layout.NCHW, Layout.NHWC));
    String color = in.string("color", false);
    boolean rgb;
    if (color == null || color.equalsIgnoreCase("RGB")) {
      rgb = true;
    } else if (color.equalsIgnoreCase("BGR")) {
      rgb = false;
    } else {
      throw in.error("color", "'" + color + "' is not a channel order; accepted: RGB, BGR");
    }
    double scale = in.number("scale", 1.0);
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw in.error("scale", scale + " must be a positive number");
    }
    double[] mean = in.triple("mean", 0.0);
    double[] std = in.triple("std", 1.0);
    for (double s : std) {
      if (!(s > 0) || Double.isInfinite(s)) {
        throw in.error("std", "every value must be a positive number, got " + s);
      }
    }
    InputSpec.Fit fit = in.enumValue(
        "fit", InputSpec.Fit.class, InputSpec.Fit.STRETCH, Set.of(InputSpec.Fit.values()));
    double[] pad = in.triple("pad", 0.0);
    String name = in.string("name", false);
    return new InputSpec(width, height, layout, rgb, scale, mean, std, fit, pad, name);
  }

  /** Bytes one tensor buffer can hold (a Java buffer is indexed by int). */
  private static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE;

  /**
   * Refuses, at load, an input size whose input or output tensor cannot exist: a float buffer is at most 2 GiB, so
   * 16384x16384 with 19 classes (19 GiB of scores) would otherwise fail each image later with a runtime's
   * "capacity &lt; 0".
   */
  private static void tensorSizes(Fields top, InputSpec input, OutputSpec output, int classes) {
    long pixels = (long) input.width() * input.height();
    long in = pixels * 3 * Float.BYTES;
    String size = input.width() + "x" + input.height();
    if (in > MAX_TENSOR_BYTES) {
      throw top.error(
          "input.width",
          "input " + size + " needs a 3x" + size + " float tensor of " + mib(in)
              + " MiB; a tensor holds at most " + mib(MAX_TENSOR_BYTES)
              + " MiB: give a smaller input size");
    }
    long channels = switch (output.kind()) {
      case SCORES -> classes;
      case CLASS_IDS -> 2; // int64 ids: two floats' worth per pixel
      case SIGMOID -> 1;
    };
    long out = pixels * channels * Float.BYTES;
    if (out > MAX_TENSOR_BYTES) {
      throw top.error(
          "input.width",
          "input " + size + " gives an output of " + channels + "x" + size + " "
              + (output.kind() == OutputSpec.Kind.SCORES ? "scores (one per class)" : "values")
              + ", " + mib(out)
              + " MiB; a tensor holds at most " + mib(MAX_TENSOR_BYTES)
              + " MiB: give a smaller input size");
    }
  }

  private static long mib(long bytes) {
    return bytes >> 20;
  }

  private static OutputSpec output(Fields out) {
    OutputSpec.Kind kind = out.enumValue(
        "kind", OutputSpec.Kind.class, OutputSpec.Kind.SCORES, Set.of(OutputSpec.Kind.values()));
    Layout layout = out.enumValue("layout", Layout.class, Layout.AUTO, Set.of(Layout.values()));
    double threshold = out.number("threshold", 0.5);
    if (!(threshold >= 0 && threshold <= 1)) {
      throw out.error("threshold", threshold + " is outside 0..1");
    }
    return new OutputSpec(kind, layout, threshold, out.string("name", false));
  }

  private static Map<ModelFormat, ModelSource> files(
      Fields top, Path dir, String inputName, String outputName) {
    Object given = top.required("files");
    if (given instanceof List<?> list) {
      // a plain list of file names: the format comes from each file's extension
      Map<String, Object> byFormat = new java.util.LinkedHashMap<>();
      for (int i = 0; i < list.size(); i++) {
        Object o = list.get(i);
        ModelFormat f = o instanceof String name ? ModelFormat.fromFileName(name) : null;
        if (f == null) {
          throw top.error(
              "files[" + i + "]",
              describe(o) + " has no model-file extension; accepted: "
                  + java.util.Arrays.stream(ModelFormat.values())
                      .flatMap(x -> x.extensions().stream())
                      .toList()
                  + " (or name the format: files: {onnx: model.onnx})");
        }
        if (byFormat.put(f.key(), o) != null) {
          throw top.error(
              "files[" + i + "]", "a second " + f.key() + " file; give one file per format");
        }
      }
      given = byFormat;
    }
    Map<String, Object> raw = map(top.file, "files", given);
    if (raw.isEmpty()) {
      throw top.error("files", "names no model file; give at least one of: " + ModelFormat.keys());
    }
    Map<ModelFormat, ModelSource> files = new EnumMap<>(ModelFormat.class);
    for (Map.Entry<String, Object> e : raw.entrySet()) {
      ModelFormat format = ModelFormat.fromKey(e.getKey());
      String where = "files." + e.getKey();
      if (format == null) {
        throw top.error(
            where, "unknown format '" + e.getKey() + "'; accepted: " + ModelFormat.keys());
      }
      Path model;
      Path config = null;
      if (e.getValue() instanceof String s) {
        model = inside(top, where, dir, s);
      } else if (e.getValue() instanceof Map<?, ?> m) {
        Fields f = new Fields(top.file, where + ".", map(top.file, where, m), FILE_KEYS);
        model = inside(top, where + ".model", dir, f.string("model", true));
        String c = f.string("config", false);
        config = c == null ? null : inside(top, where + ".config", dir, c);
      } else {
        throw top.error(
            where, "expected a file name or {model, config}, got " + describe(e.getValue()));
      }
      if (files.put(format, new ModelSource(format, model, config, inputName, outputName))
          != null) {
        throw top.error(
            where, "format '" + format.key() + "' is given twice; give each format once");
      }
    }
    return files;
  }

  /** Resolves a card-relative file name, refusing absolute paths, '..' and links that leave the model directory. */
  private static Path inside(Fields f, String field, Path dir, String name) {
    if (name.isBlank()) {
      throw f.error(field, "file name is empty");
    }
    Path rel;
    try {
      rel = Path.of(name);
    } catch (RuntimeException e) {
      throw f.error(field, "'" + name + "' is not a valid file name");
    }
    if (rel.isAbsolute()
        || name.startsWith("/")
        || name.startsWith("\\")
        || name.matches("^[A-Za-z]:.*")) {
      throw f.error(
          field,
          "'" + name + "' is an absolute path; files must stay inside the model directory " + dir);
    }
    for (Path part : rel) {
      if (part.toString().equals("..")) {
        throw f.error(
            field, "'" + name + "' leaves the model directory (..); files must stay inside " + dir);
      }
    }
    Path resolved = dir.resolve(rel).normalize();
    if (!resolved.startsWith(dir)) {
      throw f.error(field, "'" + name + "' leaves the model directory " + dir);
    }
    if (Files.exists(resolved)) {
      try {
        Path real = resolved.toRealPath();
        Path realDir = dir.toRealPath();
        if (!real.startsWith(realDir)) {
          throw f.error(field, "'" + name + "' is a link that leaves the model directory " + dir);
        }
      } catch (IOException e) {
        throw f.error(field, "cannot resolve '" + name + "': " + e.getMessage());
      }
      if (!Files.isRegularFile(resolved)) {
        throw f.error(
            field,
            "'" + name
                + "' is not a regular file (a folder, FIFO or device); a model file is a plain file");
      }
    } else if (Files.isSymbolicLink(resolved)
        || Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
      throw f.error(field, "'" + name + "' is a dangling link");
    }
    return resolved;
  }

  private static int rgb(Fields f, String where, Object o) {
    if (!(o instanceof List<?> l) || l.size() != 3) {
      throw f.error(where, "expected [r, g, b] with values 0..255, got " + describe(o));
    }
    int v = 0;
    for (Object c : l) {
      if (!(c instanceof Integer i) || i < 0 || i > 255) {
        throw f.error(where, "expected [r, g, b] with values 0..255, got " + describe(o));
      }
      v = (v << 8) | i;
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Path file, String what, Object o) {
    if (!(o instanceof Map<?, ?> m)) {
      throw new ModelException(
          file + ": " + what + " must be a mapping of keys to values, got " + describe(o));
    }
    for (Object k : m.keySet()) {
      if (!(k instanceof String)) {
        throw new ModelException(file + ": " + what + " has a non-text key " + describe(k));
      }
    }
    return (Map<String, Object>) m;
  }

  static String describe(Object o) {
    if (o == null) {
      return "nothing";
    }
    String kind = o instanceof Map
        ? "a mapping"
        : o instanceof List
            ? "a list"
            : o instanceof String
                ? "text"
                : o instanceof Boolean
                    ? "a boolean"
                    : o instanceof Number ? "a number" : o.getClass().getSimpleName();
    String text = String.valueOf(o);
    if (text.length() > 40) {
      text = text.substring(0, 37) + "...";
    }
    return kind + " (" + text + ")";
  }

  /** Typed access to one mapping of the card, with errors that name file and field. */
  private static final class Fields {
    final Path file;
    final String prefix;
    final Map<String, Object> values;

    Fields(Path file, String prefix, Map<String, Object> values, Set<String> allowed) {
      this.file = file;
      this.prefix = prefix;
      this.values = new LinkedHashMap<>(values);
      for (String key : values.keySet()) {
        if (!allowed.contains(key)) {
          throw new ModelException(file + ": unknown field '" + prefix + key + "'; accepted: "
              + allowed.stream().sorted().map(k -> prefix + k).toList());
        }
      }
    }

    ModelException error(String field, String what) {
      return new ModelException(file + ": field '"
          + (field.contains(".") || field.contains("[") ? field : prefix + field) + "': " + what);
    }

    Object raw(String key) {
      return values.get(key);
    }

    Object required(String key) {
      Object v = values.get(key);
      if (v == null) {
        throw new ModelException(file + ": required field '" + prefix + key + "' is missing");
      }
      return v;
    }

    String string(String key, boolean required) {
      Object v = required ? required(key) : values.get(key);
      if (v == null) {
        return null;
      }
      if (v instanceof String s) {
        if (required && s.isBlank()) {
          throw error(key, "must not be empty");
        }
        return s;
      }
      if (v instanceof Number || v instanceof Boolean) {
        return String.valueOf(v);
      }
      throw error(key, "expected text, got " + describe(v));
    }

    Boolean bool(String key) {
      Object v = values.get(key);
      if (v == null) {
        return null;
      }
      if (v instanceof Boolean b) {
        return b;
      }
      throw error(key, "expected true or false, got " + describe(v));
    }

    Integer integer(String key, boolean required, int min, int max) {
      Object v = required ? required(key) : values.get(key);
      if (v == null) {
        return null;
      }
      if (!(v instanceof Integer i) || i < min || i > max) {
        throw error(key, "expected an integer from " + min + " to " + max + ", got " + describe(v));
      }
      return i;
    }

    double number(String key, double dflt) {
      Object v = values.get(key);
      if (v == null) {
        return dflt;
      }
      if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
        return n.doubleValue();
      }
      throw error(key, "expected a number, got " + describe(v));
    }

    double[] triple(String key, double dflt) {
      Object v = values.get(key);
      if (v == null) {
        return new double[] {dflt, dflt, dflt};
      }
      if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
        return new double[] {n.doubleValue(), n.doubleValue(), n.doubleValue()};
      }
      if (v instanceof List<?> l && l.size() == 3) {
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
          if (!(l.get(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            throw error(key, "expected a number or a list of 3 numbers, got " + describe(v));
          }
          out[i] = n.doubleValue();
        }
        return out;
      }
      throw error(key, "expected a number or a list of 3 numbers, got " + describe(v));
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type, E dflt, Set<E> allowed) {
      String s = string(key, false);
      if (s == null) {
        return dflt;
      }
      String norm = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (E e : allowed) {
        if (e.name().equals(norm)) {
          return e;
        }
      }
      throw error(
          key,
          "'" + s + "' is not accepted; accepted: "
              + allowed.stream()
                  .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                  .sorted()
                  .toList());
    }
  }
}
