package dev.segmenter.engine.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Argument checks of the kernel families' public methods ({@link ArgmaxKernel}, {@link PaletteKernel}...), made
 * once there for every implementation, so all reject the same calls with the same messages.
 */
final class KernelChecks {

  private KernelChecks() {}

  /** Planar scores: {@code classes} planes of {@code pixels} floats from {@code offset}. */
  public static void planar(
      float[] scores,
      int offset,
      int classes,
      int pixels,
      int from,
      int to,
      int outLength,
      int maxClasses) {
    Objects.requireNonNull(scores, "scores");
    classes(classes, maxClasses);
    if (pixels < 0) {
      throw new IllegalArgumentException("pixels must be >= 0, got " + pixels);
    }
    Objects.checkFromToIndex(from, to, pixels);
    long end = (long) offset + (long) classes * pixels;
    if (offset < 0 || end > scores.length) {
      throw new IndexOutOfBoundsException("scores holds " + scores.length + " floats; planar "
          + classes + " x " + pixels + " from offset " + offset + " needs " + end);
    }
    if (to > outLength) {
      throw new IndexOutOfBoundsException(
          "out holds " + outLength + " ids; pixel range ends at " + to);
    }
  }

  /** Planar scores in a native-order buffer: {@code classes} planes of {@code pixels} floats from float {@code offset}. */
  public static void planar(
      ByteBuffer scores,
      int offset,
      int classes,
      int pixels,
      int from,
      int to,
      int outLength,
      int maxClasses) {
    Objects.requireNonNull(scores, "scores");
    if (scores.order() != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException("scores buffer must be in native byte order ("
          + ByteOrder.nativeOrder() + "), got " + scores.order());
    }
    classes(classes, maxClasses);
    if (pixels < 0) {
      throw new IllegalArgumentException("pixels must be >= 0, got " + pixels);
    }
    Objects.checkFromToIndex(from, to, pixels);
    long end = (long) offset + (long) classes * pixels;
    long floats = scores.limit() / Float.BYTES;
    if (offset < 0 || end > floats) {
      throw new IndexOutOfBoundsException("scores buffer holds " + floats + " floats; planar "
          + classes + " x " + pixels + " from offset " + offset + " needs " + end);
    }
    if (to > outLength) {
      throw new IndexOutOfBoundsException(
          "out holds " + outLength + " ids; pixel range ends at " + to);
    }
  }

  /** Interleaved scores: pixel {@code p} holds {@code classes} floats from {@code offset + p * classes}. */
  public static void interleaved(
      float[] scores, int offset, int classes, int from, int to, int outLength, int maxClasses) {
    Objects.requireNonNull(scores, "scores");
    classes(classes, maxClasses);
    if (from < 0 || from > to) {
      throw new IndexOutOfBoundsException("pixel range [" + from + ", " + to + ") is not valid");
    }
    long end = (long) offset + (long) to * classes;
    if (offset < 0 || end > scores.length) {
      throw new IndexOutOfBoundsException(
          "scores holds " + scores.length + " floats; interleaved pixels up to " + to + " x "
              + classes + " classes from offset " + offset + " need " + end);
    }
    if (to > outLength) {
      throw new IndexOutOfBoundsException(
          "out holds " + outLength + " ids; pixel range ends at " + to);
    }
  }

  public static void classes(int classes, int maxClasses) {
    if (classes < 1 || classes > maxClasses) {
      throw new IllegalArgumentException(
          "classes must be 1.." + maxClasses + " for this output type, got " + classes);
    }
  }

  public static void alpha(float alpha) {
    if (!(alpha >= 0f && alpha <= 1f)) {
      throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
    }
  }

  /** Composite: BGR {@code fg}, {@code bg}, {@code out} (3 bytes per pixel) and one {@code alpha} byte per pixel. */
  public static void composite(byte[] fg, byte[] bg, byte[] alpha, int from, int to, byte[] out) {
    Objects.requireNonNull(fg, "fg");
    Objects.requireNonNull(bg, "bg");
    Objects.requireNonNull(alpha, "alpha");
    Objects.requireNonNull(out, "out");
    int pixels = Math.min(Math.min(fg.length, bg.length), out.length) / 3;
    range(from, to, Math.min(pixels, alpha.length), "fg/bg/out pixels and alpha");
  }

  public static void range(int from, int to, int length, String what) {
    if (from < 0 || from > to || to > length) {
      throw new IndexOutOfBoundsException(
          "range [" + from + ", " + to + ") is outside " + what + " of length " + length);
    }
  }

  /** Size of a lookup table with 3 bytes per id; at least one entry. */
  public static int lut3Entries(byte[] lut3) {
    Objects.requireNonNull(lut3, "lut3");
    if (lut3.length < 3 || lut3.length % 3 != 0) {
      throw new IllegalArgumentException(
          "lut3 must hold 3 bytes per id (length a positive multiple of 3), got " + lut3.length);
    }
    return lut3.length / 3;
  }

  public static void lutArgb(int[] lut) {
    Objects.requireNonNull(lut, "lutArgb");
    if (lut.length == 0) {
      throw new IllegalArgumentException("lutArgb is empty; it needs at least one color");
    }
  }

  /** Planar scores to resize bilinearly: {@code classes} planes of {@code srcW x srcH} from {@code offset}. */
  public static void bilinear(
      float[] src,
      int offset,
      int classes,
      int srcW,
      int srcH,
      int dstLength,
      int dstPlanes,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo) {
    Objects.requireNonNull(src, "src");
    if (offset < 0 || classes < 1) {
      throw new IllegalArgumentException(
          "offset must be >= 0 and classes >= 1, got " + offset + ", " + classes);
    }
    resize(
        src.length - offset,
        classes,
        srcW,
        srcH,
        dstLength,
        dstPlanes,
        dstW,
        dstH,
        scaleX,
        offsetX,
        scaleY,
        offsetY,
        rowFrom,
        rowTo);
  }

  public static void resize(
      int srcLength,
      int planes,
      int srcW,
      int srcH,
      int dstLength,
      int dstPlanes,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo) {
    if (srcW < 1 || srcH < 1 || dstW < 0 || dstH < 0) {
      throw new IllegalArgumentException(
          "sizes must be positive: src " + srcW + "x" + srcH + ", dst " + dstW + "x" + dstH);
    }
    if (!Double.isFinite(scaleX)
        || !Double.isFinite(scaleY)
        || !Double.isFinite(offsetX)
        || !Double.isFinite(offsetY)) {
      throw new IllegalArgumentException("scales and offsets must be finite: scaleX=" + scaleX
          + " offsetX=" + offsetX + " scaleY=" + scaleY + " offsetY=" + offsetY);
    }
    if ((long) planes * srcW * srcH > srcLength) {
      throw new IndexOutOfBoundsException(
          "src holds " + srcLength + " values, needs " + planes + " x " + srcW + " x " + srcH);
    }
    if ((long) dstPlanes * dstW * dstH > dstLength) {
      throw new IndexOutOfBoundsException(
          "dst holds " + dstLength + " values, needs " + dstPlanes + " x " + dstW + " x " + dstH);
    }
    Objects.checkFromToIndex(rowFrom, rowTo, dstH);
  }
}
