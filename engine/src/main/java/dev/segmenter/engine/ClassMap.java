package dev.segmenter.engine;

/**
 * One class id per pixel, row-major. Ids are stored as unsigned bytes while the model has at most
 * 256 classes, as unsigned shorts above. Exactly one of {@link #bytes()} and {@link #shorts()} is non-null.
 */
public final class ClassMap {
  private final int width;
  private final int height;
  private final byte[] bytes;
  private final short[] shorts;

  private ClassMap(int width, int height, byte[] bytes, short[] shorts) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "class map size " + width + "x" + height + " must be positive");
    }
    long n = (long) width * height;
    long have = bytes != null ? bytes.length : shorts.length;
    if (have != n) {
      throw new IllegalArgumentException(
          "class map " + width + "x" + height + " needs " + n + " ids, got " + have);
    }
    this.width = width;
    this.height = height;
    this.bytes = bytes;
    this.shorts = shorts;
  }

  /** Wraps (does not copy) 8-bit ids. */
  public static ClassMap ofBytes(int width, int height, byte[] ids) {
    return new ClassMap(width, height, ids, null);
  }

  /** Wraps (does not copy) 16-bit ids. */
  public static ClassMap ofShorts(int width, int height, short[] ids) {
    return new ClassMap(width, height, null, ids);
  }

  /** A zeroed map wide enough for {@code classes} ids. */
  public static ClassMap allocate(int width, int height, int classes) {
    int n = Math.multiplyExact(width, height);
    return classes <= 256
        ? ofBytes(width, height, new byte[n])
        : ofShorts(width, height, new short[n]);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int pixels() {
    return width * height;
  }

  public boolean isWide() {
    return shorts != null;
  }

  /** The 8-bit ids (view), or null when the map is wide. */
  public byte[] bytes() {
    return bytes;
  }

  /** The 16-bit ids (view), or null when the map is narrow. */
  public short[] shorts() {
    return shorts;
  }

  /** The class id at pixel index {@code i} (row-major). */
  public int get(int i) {
    return bytes != null ? bytes[i] & 0xFF : shorts[i] & 0xFFFF;
  }

  public int get(int x, int y) {
    return get(y * width + x);
  }

  /** Pixels per class id, for ids {@code 0..maxId}; ids above are counted in the last slot. */
  public long[] histogram(int classes) {
    long[] counts = new long[Math.max(classes, 1) + 1];
    int last = counts.length - 1;
    if (bytes != null) {
      for (byte b : bytes) {
        int id = b & 0xFF;
        counts[Math.min(id, last)]++;
      }
    } else {
      for (short s : shorts) {
        int id = s & 0xFFFF;
        counts[Math.min(id, last)]++;
      }
    }
    return counts;
  }

  /** Fraction of pixels whose ids equal {@code other}'s; both maps must have the same size. */
  public double agreement(ClassMap other) {
    if (other.width != width || other.height != height) {
      throw new IllegalArgumentException(
          "sizes differ: " + width + "x" + height + " vs " + other.width + "x" + other.height);
    }
    long same = 0;
    int n = pixels();
    for (int i = 0; i < n; i++) {
      if (get(i) == other.get(i)) {
        same++;
      }
    }
    return (double) same / n;
  }
}
