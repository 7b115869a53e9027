package dev.segmenter.engine.render;

import java.util.Arrays;

/**
 * How {@link Overlay} blends: {@code alpha} is the weight of the color map (0 shows only the image, 1 only
 * the colors); pixels of the {@code unblended} class ids, and void pixels (ids the palette has no color for)
 * when {@code voidUnblended}, keep the image's own color.
 */
public record OverlayOptions(float alpha, int[] unblended, boolean voidUnblended) {

  public static final float DEFAULT_ALPHA = 0.5f;

  public OverlayOptions {
    if (!(alpha >= 0f && alpha <= 1f)) {
      throw new IllegalArgumentException(
          "overlay alpha " + alpha + " is out of range; accepted: 0 to 1");
    }
    unblended = unblended == null ? new int[0] : unblended.clone();
    for (int id : unblended) {
      if (id < 0 || id > 65535) {
        throw new IllegalArgumentException(
            "class id " + id + " is out of range; accepted: 0 to 65535");
      }
    }
  }

  /** Alpha 0.5, every pixel blended. */
  public static OverlayOptions defaults() {
    return new OverlayOptions(DEFAULT_ALPHA, new int[0], false);
  }

  public OverlayOptions withAlpha(float alpha) {
    return new OverlayOptions(alpha, unblended, voidUnblended);
  }

  /** Leaves pixels of these classes (e.g. background, id 0) unblended. */
  public OverlayOptions withUnblended(int... ids) {
    return new OverlayOptions(alpha, ids, voidUnblended);
  }

  public OverlayOptions withVoidUnblended(boolean voidUnblended) {
    return new OverlayOptions(alpha, unblended, voidUnblended);
  }

  @Override
  public int[] unblended() {
    return unblended.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OverlayOptions p
        && p.alpha == alpha
        && Arrays.equals(p.unblended, unblended)
        && p.voidUnblended == voidUnblended;
  }

  @Override
  public int hashCode() {
    return Float.hashCode(alpha) * 31 * 31
        + Arrays.hashCode(unblended) * 31
        + Boolean.hashCode(voidUnblended);
  }

  @Override
  public String toString() {
    return "OverlayOptions[alpha=" + alpha + ", unblended=" + Arrays.toString(unblended)
        + ", voidUnblended=" + voidUnblended + "]";
  }
}
