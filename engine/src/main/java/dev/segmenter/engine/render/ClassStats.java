package dev.segmenter.engine.render;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.palettes.Palette;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Pixels per class of one class map, computed in one pass: for every class of the palette (present or
 * not) and every id beyond it that occurs (void), its pixel count, share of the image and bounding box.
 * Entries are sorted by id.
 */
public final class ClassStats {

  /**
   * One class: {@code pixels} of {@code total}, and the smallest box {@code (x, y, w, h)} holding them
   * (all zero when absent). {@code isVoid} marks ids the palette has no color for.
   */
  public record Entry(
      int id,
      String name,
      long pixels,
      double fraction,
      int x,
      int y,
      int w,
      int h,
      boolean isVoid) {

    public boolean present() {
      return pixels > 0;
    }

    /** The share as a percentage with one decimal, {@code "<0.1%"} for tiny non-zero shares. */
    public String percent() {
      return ClassStats.percent(fraction);
    }
  }

  private final List<Entry> entries;
  private final long total;
  private final int width;
  private final int height;

  private ClassStats(List<Entry> entries, long total, int width, int height) {
    this.entries = List.copyOf(entries);
    this.total = total;
    this.width = width;
    this.height = height;
  }

  public static ClassStats of(ClassMap map, Palette palette) {
    int w = map.width();
    int h = map.height();
    int ids = map.isWide() ? 65536 : 256;
    long[] count = new long[ids];
    int[] minX = new int[ids];
    int[] maxX = new int[ids];
    int[] minY = new int[ids];
    int[] maxY = new int[ids];
    java.util.Arrays.fill(minX, Integer.MAX_VALUE);
    java.util.Arrays.fill(minY, Integer.MAX_VALUE);
    java.util.Arrays.fill(maxX, -1);
    java.util.Arrays.fill(maxY, -1);
    byte[] bytes = map.bytes();
    short[] shorts = map.shorts();
    for (int y = 0, p = 0; y < h; y++) {
      for (int x = 0; x < w; x++, p++) {
        int id = bytes != null ? bytes[p] & 0xFF : shorts[p] & 0xFFFF;
        count[id]++;
        if (x < minX[id]) {
          minX[id] = x;
        }
        if (x > maxX[id]) {
          maxX[id] = x;
        }
        if (y < minY[id]) {
          minY[id] = y;
        }
        maxY[id] = y;
      }
    }
    long total = (long) w * h;
    List<Entry> entries = new ArrayList<>();
    for (int id = 0; id < ids; id++) {
      boolean isVoid = id >= palette.size();
      if (isVoid && count[id] == 0) {
        continue;
      }
      String name = isVoid ? "void (" + id + ")" : palette.label(id);
      if (count[id] == 0) {
        entries.add(new Entry(id, name, 0, 0.0, 0, 0, 0, 0, isVoid));
      } else {
        entries.add(new Entry(
            id,
            name,
            count[id],
            (double) count[id] / total,
            minX[id],
            minY[id],
            maxX[id] - minX[id] + 1,
            maxY[id] - minY[id] + 1,
            isVoid));
      }
    }
    return new ClassStats(entries, total, w, h);
  }

  /** Every palette class (present or not) and every void id that occurs, by id. */
  public List<Entry> all() {
    return entries;
  }

  /** The classes with at least one pixel, by id. */
  public List<Entry> present() {
    return entries.stream().filter(Entry::present).toList();
  }

  /** The present classes, most pixels first (ties by id). */
  public List<Entry> byPixels() {
    return entries.stream()
        .filter(Entry::present)
        .sorted(Comparator.comparingLong(Entry::pixels).reversed().thenComparingInt(Entry::id))
        .toList();
  }

  public Optional<Entry> get(int id) {
    return entries.stream().filter(e -> e.id() == id).findFirst();
  }

  public long total() {
    return total;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** A share as a percentage with one decimal; "<0.1%" for tiny non-zero shares, "0%" for none. */
  static String percent(double fraction) {
    if (fraction <= 0) {
      return "0%";
    }
    if (fraction < 0.0005) {
      return "<0.1%";
    }
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }

  /** A plain-text table of the present classes: id, name, pixels, share, bounding box. */
  public String table() {
    StringBuilder sb = new StringBuilder(String.format(
        Locale.ROOT,
        "%5s  %-24s %10s %7s  %s%n",
        "id",
        "class",
        "pixels",
        "share",
        "box (x, y, w, h)"));
    for (Entry e : present()) {
      sb.append(String.format(
          Locale.ROOT,
          "%5d  %-24s %10d %7s  %d, %d, %d, %d%n",
          e.id(),
          e.name(),
          e.pixels(),
          e.percent(),
          e.x(),
          e.y(),
          e.w(),
          e.h()));
    }
    return sb.toString();
  }
}
