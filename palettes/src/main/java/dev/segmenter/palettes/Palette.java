package dev.segmenter.palettes;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Colors and names of a model's classes, indexed by class id, plus the color of void pixels (ids the
 * palette has no color for, such as PASCAL VOC's boundary label 255). Immutable.
 *
 * <p>Colors are packed {@code 0xRRGGBB}. Lookup tables for drawing put the void color last: the engine's
 * palette kernels write that entry for every id at or beyond the table's end.
 */
public final class Palette {
  private final String name;
  private final int[] rgb;
  private final List<String> labels;
  private final int voidRgb;

  /**
   * @param name shown in messages, e.g. "voc" or a file name
   * @param rgb one {@code 0xRRGGBB} color per class id (copied; the top byte is ignored)
   * @param labels class names by id; may be shorter than {@code rgb} (even empty): missing names read "class N"
   * @param voidRgb the color of ids the palette has no color for
   */
  public Palette(String name, int[] rgb, List<String> labels, int voidRgb) {
    this.name = Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rgb, "rgb");
    if (rgb.length == 0) {
      throw new PaletteException("palette '" + name + "' has no colors; give at least one");
    }
    if (rgb.length > 65536) {
      throw new PaletteException("palette '" + name + "' has " + rgb.length
          + " colors; at most 65536 (16-bit class ids) are supported");
    }
    this.rgb = new int[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      this.rgb[i] = rgb[i] & 0xFFFFFF;
    }
    List<String> names = List.copyOf(Objects.requireNonNull(labels, "labels"));
    if (names.size() > rgb.length) {
      throw new PaletteException("palette '" + name + "' has " + names.size() + " labels but only "
          + rgb.length + " colors; give a color for every label");
    }
    this.labels = names;
    this.voidRgb = voidRgb & 0xFFFFFF;
  }

  public String name() {
    return name;
  }

  /** Number of class colors. */
  public int size() {
    return rgb.length;
  }

  /** The color of class {@code id} as {@code 0xRRGGBB}; the void color for ids beyond {@link #size()}. */
  public int rgb(int id) {
    if (id < 0) {
      throw new IllegalArgumentException("class id " + id + " is negative");
    }
    return id < rgb.length ? rgb[id] : voidRgb;
  }

  /** A copy of the class colors. */
  public int[] colors() {
    return rgb.clone();
  }

  /** Class names by id; empty for generated palettes. */
  public List<String> labels() {
    return labels;
  }

  /** The name of class {@code id}, or "class N" when the palette has none. */
  public String label(int id) {
    if (id >= 0 && id < labels.size() && !labels.get(id).isBlank()) {
      return labels.get(id);
    }
    return "class " + id;
  }

  public int voidRgb() {
    return voidRgb;
  }

  public Palette withVoid(int rgb) {
    return new Palette(name, this.rgb, labels, rgb);
  }

  public Palette withName(String name) {
    return new Palette(name, rgb, labels, voidRgb);
  }

  /** The same names with other colors; labels beyond the new colors are dropped. */
  public Palette withColors(int... rgb) {
    List<String> kept = labels.size() > rgb.length ? labels.subList(0, rgb.length) : labels;
    return new Palette(name, rgb, kept, voidRgb);
  }

  /**
   * The same colors with other names. Giving more names than colors throws; fewer leaves the rest "class N".
   */
  public Palette withLabels(List<String> labels) {
    return new Palette(name, rgb, labels, voidRgb);
  }

  /**
   * Throws unless this palette has a color for each of a model's {@code classes}.
   *
   * @throws PaletteException naming both counts, e.g. "palette 'voc' has 21 colors but model 'x' has 150
   *     classes; give a palette with at least 150 colors"
   */
  public void checkCovers(int classes, String modelName) {
    if (classes > rgb.length) {
      throw new PaletteException(
          "palette '" + name + "' has " + rgb.length + " colors but model '" + modelName
              + "' has " + classes + " classes; give a palette with at least " + classes
              + " colors (or use generated:" + classes + ")");
    }
  }

  /**
   * A table of {@code classes + 1} colors, 3 bytes each in B, G, R order: ids {@code 0..classes-1}, then
   * {@code voidRgb} last, where a palette kernel puts every id {@code >= classes}.
   */
  public byte[] lutBgr(int classes, int voidRgb) {
    return lut3(classes, voidRgb, true);
  }

  /** As {@link #lutBgr} in R, G, B order. */
  public byte[] lutRgb(int classes, int voidRgb) {
    return lut3(classes, voidRgb, false);
  }

  /**
   * A table of {@code classes + 1} packed ARGB colors (alpha 255) for ids {@code 0..classes-1}, then
   * {@code voidArgb} as given (its alpha included) last.
   */
  public int[] lutArgb(int classes, int voidArgb) {
    checkTable(classes);
    int[] lut = new int[classes + 1];
    for (int id = 0; id < classes; id++) {
      lut[id] = 0xFF000000 | rgb[id];
    }
    lut[classes] = voidArgb;
    return lut;
  }

  private byte[] lut3(int classes, int voidRgb, boolean bgr) {
    checkTable(classes);
    byte[] lut = new byte[3 * (classes + 1)];
    for (int id = 0; id <= classes; id++) {
      int c = id < classes ? rgb[id] : voidRgb;
      byte r = (byte) (c >>> 16);
      byte g = (byte) (c >>> 8);
      byte b = (byte) c;
      lut[3 * id] = bgr ? b : r;
      lut[3 * id + 1] = g;
      lut[3 * id + 2] = bgr ? r : b;
    }
    return lut;
  }

  private void checkTable(int classes) {
    if (classes < 0 || classes > rgb.length) {
      throw new PaletteException(
          "palette '" + name + "' has " + rgb.length + " colors; a table for " + classes
              + " classes cannot be made from it (accepted: 0.." + rgb.length + ")");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Palette p
        && p.name.equals(name)
        && Arrays.equals(p.rgb, rgb)
        && p.labels.equals(labels)
        && p.voidRgb == voidRgb;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(rgb), labels, voidRgb);
  }

  @Override
  public String toString() {
    return "Palette[" + name + ", " + rgb.length + " colors, " + labels.size() + " labels]";
  }
}
