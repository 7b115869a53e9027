package dev.segmenter.engine.render;

/**
 * How {@link Report} draws: the overlay's {@code alpha} (also shown in its title), an optional
 * {@code footer} line (model, backend, timings; null for none), whether the legend lists absent classes,
 * and the report's width bounds in pixels (panels are scaled to fit).
 */
public record ReportOptions(
    float alpha, String footer, boolean showAbsent, int minWidth, int maxWidth) {

  public ReportOptions {
    if (!(alpha >= 0f && alpha <= 1f)) {
      throw new IllegalArgumentException(
          "overlay alpha " + alpha + " is out of range; accepted: 0 to 1");
    }
    if (minWidth < 160 || maxWidth < minWidth) {
      throw new IllegalArgumentException("report width bounds " + minWidth + ".." + maxWidth
          + " are not accepted; need 160 <= minWidth <= maxWidth");
    }
    if (footer != null && footer.isBlank()) {
      footer = null;
    }
  }

  /** Alpha 0.5, no footer, present classes only, 480 to 1600 px wide. */
  public static ReportOptions defaults() {
    return new ReportOptions(OverlayOptions.DEFAULT_ALPHA, null, false, 480, 1600);
  }

  public ReportOptions withAlpha(float alpha) {
    return new ReportOptions(alpha, footer, showAbsent, minWidth, maxWidth);
  }

  public ReportOptions withFooter(String footer) {
    return new ReportOptions(alpha, footer, showAbsent, minWidth, maxWidth);
  }

  public ReportOptions withShowAbsent(boolean showAbsent) {
    return new ReportOptions(alpha, footer, showAbsent, minWidth, maxWidth);
  }

  public ReportOptions withWidth(int minWidth, int maxWidth) {
    return new ReportOptions(alpha, footer, showAbsent, minWidth, maxWidth);
  }
}
