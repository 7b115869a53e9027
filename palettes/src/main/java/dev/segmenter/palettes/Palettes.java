package dev.segmenter.palettes;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The built-in palettes, the generated one, and readers/writers of plain-text palette files. */
public final class Palettes {

  /** Names accepted by {@link #builtIn(String)}; {@code generated:N} takes any N from 1 to 65536. */
  private static final List<String> NAMES =
      List.of("voc", "cityscapes", "ade20k", "coco-stuff", "generated:N");

  private Palettes() {}

  /** PASCAL VOC 2012: 21 classes (0 background), void 255 drawn (224, 224, 192). */
  public static Palette voc() {
    return new Palette("voc", VocPalette.COLORS, List.of(VocPalette.LABELS), VocPalette.VOID);
  }

  /** Cityscapes: the 19 train ids (0 road .. 18 bicycle); void (train id 255) black. */
  public static Palette cityscapes() {
    return new Palette(
        "cityscapes", CityscapesPalette.COLORS, List.of(CityscapesPalette.LABELS), 0x000000);
  }

  /** ADE20K SceneParsing: 150 classes (0 wall .. 149 flag), void black. */
  public static Palette ade20k() {
    return new Palette("ade20k", Ade20kPalette.COLORS, List.of(Ade20kPalette.LABELS), 0x000000);
  }

  /** COCO-Stuff 164k: 171 classes (80 things, then 91 stuff), void (255) black. */
  public static Palette cocoStuff() {
    return new Palette(
        "coco-stuff", CocoStuffPalette.COLORS, List.of(CocoStuffPalette.LABELS), 0x000000);
  }

  /**
   * {@code n} colors by PASCAL VOC's rule (VOClabelcolormap.m): the bits of the id are dealt out, lowest
   * first, to red, green and blue, each landing one place lower in its channel, starting at bit 7. The first
   * 21 are VOC's colors; all are distinct. No labels. The void color is the rule's color of 255,
   * (224, 224, 192), while {@code n <= 255}, white above.
   */
  public static Palette generated(int n) {
    if (n < 1 || n > 65536) {
      throw new PaletteException(
          "generated palette size " + n + " is out of range; accepted: 1 to 65536");
    }
    int[] rgb = new int[n];
    for (int id = 0; id < n; id++) {
      rgb[id] = vocRule(id);
    }
    return new Palette("generated:" + n, rgb, List.of(), n <= 255 ? vocRule(255) : 0xFFFFFF);
  }

  /** The VOC color of {@code id} as 0xRRGGBB. */
  static int vocRule(int id) {
    int r = 0;
    int g = 0;
    int b = 0;
    int c = id;
    for (int bit = 7; bit >= 0 && c != 0; bit--) {
      r |= (c & 1) << bit;
      g |= ((c >> 1) & 1) << bit;
      b |= ((c >> 2) & 1) << bit;
      c >>>= 3;
    }
    return r << 16 | g << 8 | b;
  }

  /**
   * A built-in palette by name: {@code voc}, {@code cityscapes}, {@code ade20k}, {@code coco-stuff} or
   * {@code generated:N} (case-insensitive).
   *
   * @throws PaletteException for other names, listing the accepted ones
   */
  public static Palette builtIn(String name) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    switch (key) {
      case "voc":
        return voc();
      case "cityscapes":
        return cityscapes();
      case "ade20k":
        return ade20k();
      case "coco-stuff":
        return cocoStuff();
      default:
        break;
    }
    if (key.startsWith("generated:")) {
      String count = key.substring("generated:".length());
      try {
        return generated(Integer.parseInt(count));
      } catch (NumberFormatException e) {
        throw new PaletteException("palette '" + name + "': '" + count
            + "' is not a number; write generated:N with N from 1 to 65536");
      }
    }
    throw new PaletteException(
        "unknown palette '" + name + "'; built-in palettes: " + String.join(", ", NAMES));
  }

  /** The names {@link #builtIn(String)} accepts ({@code generated:N} for the generated family). */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * Class names, one per line, in id order. Blank lines and lines starting with {@code #} are skipped;
   * names are trimmed.
   *
   * @throws PaletteException naming the file when it is missing, unreadable, not UTF-8 or has no names
   */
  public static List<String> readLabels(Path file) {
    List<String> labels = new ArrayList<>();
    for (String line : readLines(file, "labels (one class name per line)")) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#")) {
        labels.add(t);
      }
    }
    if (labels.isEmpty()) {
      throw new PaletteException(file + ": no class names found; expected one name per line"
          + " (blank lines and lines starting with # are skipped)");
    }
    return List.copyOf(labels);
  }

  /**
   * Class colors, one {@code B G R} triple per line in id order, as OpenCV's segmentation samples take them:
   * three integers 0..255 separated by spaces and/or commas. Blank lines and text after {@code #} are skipped.
   *
   * @return one {@code 0xRRGGBB} color per class id
   * @throws PaletteException naming {@code file:line}, the text found and what is accepted
   */
  public static int[] readBgrColors(Path file) {
    List<String> lines = readLines(file, "colors (one B G R triple per line)");
    int[] out = new int[lines.size()];
    int n = 0;
    for (int i = 0; i < lines.size(); i++) {
      String raw = lines.get(i);
      int hash = raw.indexOf('#');
      String t = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
      if (t.isEmpty()) {
        continue;
      }
      String[] parts = t.split("[\\s,]+");
      if (parts.length != 3) {
        throw badColor(
            file, i + 1, raw, "found " + parts.length + (parts.length == 1 ? " value" : " values"));
      }
      int[] bgr = new int[3];
      for (int c = 0; c < 3; c++) {
        int v;
        try {
          v = Integer.parseInt(parts[c]);
        } catch (NumberFormatException e) {
          throw badColor(file, i + 1, raw, "'" + parts[c] + "' is not an integer");
        }
        if (v < 0 || v > 255) {
          throw badColor(file, i + 1, raw, v + " is out of range");
        }
        bgr[c] = v;
      }
      out[n++] = bgr[2] << 16 | bgr[1] << 8 | bgr[0];
    }
    if (n == 0) {
      throw new PaletteException(
          file + ": no colors found; expected one 'B G R' triple (0..255) per line");
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private static PaletteException badColor(Path file, int line, String text, String why) {
    return new PaletteException(
        file + ":" + line + ": '" + text.strip() + "': " + why
            + "; expected three integers B G R from 0 to 255, separated by spaces or commas (e.g. '128 64 128')");
  }

  private static List<String> readLines(Path file, String what) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      List<String> lines = new ArrayList<>();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(lines.isEmpty() && line.startsWith("\uFEFF") ? line.substring(1) : line);
      }
      return lines;
    } catch (NoSuchFileException e) {
      throw new PaletteException(file + ": no such file; expected a text file of " + what);
    } catch (CharacterCodingException e) {
      throw new PaletteException(file + ": not UTF-8 text; expected a text file of " + what, e);
    } catch (IOException e) {
      throw new PaletteException(
          file + ": cannot read (" + e.getMessage() + "); expected a text file of " + what, e);
    }
  }
}
