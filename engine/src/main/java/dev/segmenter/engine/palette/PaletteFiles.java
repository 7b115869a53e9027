package dev.segmenter.engine.palette;

import dev.segmenter.engine.ErrorMessages;
import dev.segmenter.engine.io.Json;
import dev.segmenter.engine.model.SafeYaml;
import dev.segmenter.palettes.Palette;
import dev.segmenter.palettes.PaletteException;
import dev.segmenter.palettes.Palettes;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Palette files: {@link #read} reads one by extension, {@link #toJson} writes the JSON form. Read:
 *
 * <ul>
 *   <li>{@code .json}, {@code .yaml}, {@code .yml}: either a list of classes,
 *       {@code [{"id":0,"name":"road","rgb":[128,64,128]}, ...]} ({@code id} optional, then list order; ids must
 *       run 0..N-1 without gaps or repeats; {@code name} optional), or a map
 *       {@code {"labels":[...],"colors":[[r,g,b],...]}} ({@code labels} optional). Either form may give a
 *       {@code "void":[r,g,b]} color (map form) or none (black).
 *   <li>{@code .txt}: class colors, one {@code B G R} triple per line ({@link Palettes#readBgrColors}), when the
 *       first line with text is three numbers; otherwise class names, one per line ({@link Palettes#readLabels}),
 *       colored by the generated (VOC) rule.
 * </ul>
 *
 * JSON is read by {@link Json}, YAML by {@link SafeYaml}, with the same limits. Errors are {@link PaletteException}s
 * naming the file, the entry and what is accepted.
 */
public final class PaletteFiles {
  private static final String FORMS =
      "accepted: [{\"id\":0,\"name\":\"road\",\"rgb\":[128,64,128]}, ...]"
          + " or {\"labels\":[...],\"colors\":[[r,g,b],...]}";

  private PaletteFiles() {}

  public static Palette read(Path file) {
    String fileName = file.getFileName().toString();
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".json") || lower.endsWith(".yaml") || lower.endsWith(".yml")) {
      return fromTree(file, load(file, lower.endsWith(".json")), fileName);
    }
    if (lower.endsWith(".txt")) {
      if (firstLineIsTriple(file)) {
        return new Palette(fileName, Palettes.readBgrColors(file), List.of(), 0x000000);
      }
      List<String> labels = Palettes.readLabels(file);
      return Palettes.generated(labels.size()).withLabels(labels).withName(fileName);
    }
    throw new PaletteException(
        file + ": unknown palette file type; accepted: .json, .yaml, .yml (class colors"
            + " and names), .txt (one class name, or one 'B G R' color, per line), or a built-in name: "
            + String.join(", ", Palettes.names()));
  }

  /** Names from a labels file and colors from a B G R colors file (as OpenCV's samples take them). */
  public static Palette read(Path labelsFile, Path colorsFile) {
    List<String> labels = Palettes.readLabels(labelsFile);
    int[] colors = Palettes.readBgrColors(colorsFile);
    if (labels.size() > colors.length) {
      throw new PaletteException(labelsFile + " has " + labels.size() + " class names but "
          + colorsFile + " has only " + colors.length + " colors; give a color for every class");
    }
    return new Palette(labelsFile.getFileName().toString(), colors, labels, 0x000000);
  }

  private static boolean firstLineIsTriple(Path file) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int hash = line.indexOf('#');
        String t = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (t.startsWith("\uFEFF")) {
          t = t.substring(1).strip();
        }
        if (!t.isEmpty()) {
          return t.matches("[+]?\\d+[\\s,]+[+]?\\d+[\\s,]+[+]?\\d+");
        }
      }
      return false;
    } catch (IOException e) {
      return false; // the reader that follows reports the problem with the file
    }
  }

  private static Object load(Path file, boolean json) {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new PaletteException(
          file + ": not a regular file (a FIFO, device or folder); " + FORMS);
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new PaletteException(file + ": no such file; " + FORMS);
    } catch (CharacterCodingException e) {
      throw new PaletteException(file + ": not UTF-8 text; " + FORMS, e);
    } catch (IOException e) {
      throw new PaletteException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    try {
      return json
          ? Json.read(text.startsWith("\uFEFF") ? text.substring(1) : text)
          : SafeYaml.load(text, file.toString());
    } catch (IllegalArgumentException | YamlEngineException e) {
      throw new PaletteException(
          file + ": not valid " + (json ? "JSON" : "YAML") + ": " + ErrorMessages.oneLine(e) + "; "
              + FORMS,
          e);
    }
  }

  /**
   * The palette as JSON, one class per line: {@code [{"id":0,"name":"road","rgb":[128,64,128]}, ...]}, which
   * {@link #read} reads back. Names are the palette's labels ("class N" where it has none).
   */
  public static String toJson(Palette palette) {
    StringBuilder sb = new StringBuilder("[\n");
    for (int id = 0; id < palette.size(); id++) {
      int c = palette.rgb(id);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", id);
      entry.put("name", palette.label(id));
      entry.put("rgb", new int[] {c >>> 16 & 0xFF, c >>> 8 & 0xFF, c & 0xFF});
      sb.append("  ").append(Json.write(entry)).append(id + 1 < palette.size() ? ",\n" : "\n");
    }
    return sb.append("]\n").toString();
  }

  private static Palette fromTree(Path file, Object tree, String name) {
    if (tree instanceof List<?> list) {
      return fromEntries(file, list, name);
    }
    if (tree instanceof Map<?, ?> map) {
      return fromColumns(file, map, name);
    }
    throw new PaletteException(
        file + ": " + (tree == null ? "is empty" : "holds a " + kind(tree)) + "; " + FORMS);
  }

  private static Palette fromEntries(Path file, List<?> list, String name) {
    if (list.isEmpty()) {
      throw new PaletteException(file + ": the list of classes is empty; " + FORMS);
    }
    Map<Integer, Integer> colorById = new HashMap<>();
    Map<Integer, String> nameById = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String where = file + ": entry " + (i + 1);
      if (!(list.get(i) instanceof Map<?, ?> entry)) {
        throw new PaletteException(
            where + " is a " + kind(list.get(i)) + ", not an object; " + FORMS);
      }
      int id = i;
      if (entry.containsKey("id")) {
        id = integer(entry.get("id"), where + ": 'id'", 0, 65535);
      }
      where = file + ": entry " + (i + 1) + " (id " + id + ")";
      if (colorById.containsKey(id)) {
        throw new PaletteException(where + ": id " + id + " appears twice; each class id once");
      }
      Object rgb = entry.containsKey("rgb") ? entry.get("rgb") : entry.get("color");
      if (rgb == null) {
        throw new PaletteException(
            where + ": no 'rgb' color; give \"rgb\":[r,g,b] with 0..255 each");
      }
      colorById.put(id, rgb(rgb, where + ": 'rgb'"));
      Object n = entry.get("name");
      if (n != null) {
        nameById.put(id, n.toString().strip());
      }
    }
    int n = list.size();
    for (int id = 0; id < n; id++) {
      if (!colorById.containsKey(id)) {
        int max = colorById.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        throw new PaletteException(file + ": class id " + id + " is missing (ids go up to " + max
            + ");" + " ids must run 0.." + (n - 1) + " without gaps");
      }
    }
    int[] colors = new int[n];
    List<String> labels = new ArrayList<>();
    for (int id = 0; id < n; id++) {
      colors[id] = colorById.get(id);
      labels.add(nameById.getOrDefault(id, ""));
    }
    if (nameById.isEmpty()) {
      labels.clear();
    }
    return new Palette(name, colors, labels, 0x000000);
  }

  private static Palette fromColumns(Path file, Map<?, ?> map, String name) {
    Object colorsNode = map.get("colors");
    if (!(colorsNode instanceof List<?> colorList) || colorList.isEmpty()) {
      throw new PaletteException(file + ": "
          + (colorsNode == null ? "no 'colors' list" : "'colors' is not a non-empty list") + "; "
          + FORMS);
    }
    int[] colors = new int[colorList.size()];
    for (int i = 0; i < colors.length; i++) {
      colors[i] = rgb(colorList.get(i), file + ": colors[" + i + "]");
    }
    List<String> labels = new ArrayList<>();
    Object labelsNode = map.get("labels");
    if (labelsNode != null) {
      if (!(labelsNode instanceof List<?> labelList)) {
        throw new PaletteException(
            file + ": 'labels' is a " + kind(labelsNode) + ", not a list of names; " + FORMS);
      }
      for (Object o : labelList) {
        labels.add(o == null ? "" : o.toString().strip());
      }
      if (labels.size() > colors.length) {
        throw new PaletteException(file + ": " + labels.size() + " labels but only " + colors.length
            + " colors; give a color for every label");
      }
    }
    int voidRgb = map.containsKey("void") ? rgb(map.get("void"), file + ": 'void'") : 0x000000;
    return new Palette(name, colors, labels, voidRgb);
  }

  private static int rgb(Object node, String where) {
    if (!(node instanceof List<?> list) || list.size() != 3) {
      throw new PaletteException(
          where + " is " + describe(node) + "; expected three integers [r, g, b] from 0 to 255");
    }
    int r = integer(list.get(0), where + " red", 0, 255);
    int g = integer(list.get(1), where + " green", 0, 255);
    int b = integer(list.get(2), where + " blue", 0, 255);
    return r << 16 | g << 8 | b;
  }

  private static int integer(Object node, String where, int min, int max) {
    if (node instanceof Integer
        || node instanceof Long) { // a BigInteger's longValue would wrap into range
      long v = ((Number) node).longValue();
      if (v >= min && v <= max) {
        return (int) v;
      }
    }
    throw new PaletteException(
        where + " is " + describe(node) + "; expected an integer from " + min + " to " + max);
  }

  private static String describe(Object node) {
    return node instanceof String s ? "'" + s + "'" : String.valueOf(node);
  }

  private static String kind(Object node) {
    if (node instanceof List) {
      return "list";
    }
    if (node instanceof Map) {
      return "map";
    }
    return node == null ? "null" : node.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }
}
