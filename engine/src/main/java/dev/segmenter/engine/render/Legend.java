package dev.segmenter.engine.render;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.palettes.Palette;
import java.awt.BasicStroke;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A key to the color map: for each class a bordered color swatch, its name and its share of the pixels,
 * largest share first. The font grows with the panel (about 1/18 of its height, 11 to 24 px); classes that
 * do not fit in one column flow into more; long names are cut with an ellipsis, and when even the smallest
 * font cannot show every class the last slot reads "+N more".
 */
public final class Legend {
  static final int MIN_FONT = 11;
  static final int MAX_FONT = 24;

  private Legend() {}

  /** A legend panel of {@code width x height} with the present classes. */
  public static BgrImage render(ClassStats stats, Palette palette, int width, int height) {
    return render(stats, palette, width, height, false);
  }

  /** As above; {@code showAbsent} lists the palette's classes without pixels too (after the present ones). */
  public static BgrImage render(
      ClassStats stats, Palette palette, int width, int height, boolean showAbsent) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "legend size " + width + "x" + height + " must be positive");
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = Draw.graphics(image);
    try {
      draw(g, stats, palette, 0, 0, width, height, showAbsent);
    } finally {
      g.dispose();
    }
    return BgrImage.from(image);
  }

  /** The entries a legend lists, in order. */
  static List<ClassStats.Entry> entries(ClassStats stats, boolean showAbsent) {
    List<ClassStats.Entry> list = new ArrayList<>(stats.byPixels());
    if (showAbsent) {
      for (ClassStats.Entry e : stats.all()) {
        if (!e.present()) {
          list.add(e);
        }
      }
    }
    return list;
  }

  /** The layout chosen for {@code n} entries in a {@code w x h} panel. */
  record Layout(
      int font, int pad, int rowHeight, int rows, int columns, int columnWidth, int shown) {}

  static Layout layout(int n, int w, int h) {
    int maxFont = Math.max(MIN_FONT, Math.min(MAX_FONT, Math.round(h / 18f)));
    maxFont = Math.min(maxFont, Math.max(MIN_FONT, w / 12));
    Layout last = null;
    for (int font = maxFont; font >= MIN_FONT; font--) {
      int pad = Math.max(6, font / 2);
      int rowH = Math.round(font * 1.6f);
      int rows = Math.max(1, (h - 2 * pad) / rowH);
      int minColW = minColumnWidth(font);
      int fitCols = Math.max(1, (w - 2 * pad) / minColW);
      int cols = Math.max(1, (n + rows - 1) / rows);
      if (cols <= fitCols) {
        // every entry fits; columns no wider than needed, so that a share stays near its name
        return new Layout(
            font, pad, rowH, rows, cols, Math.min((w - 2 * pad) / cols, maxColumnWidth(font)), n);
      }
      last = new Layout(
          font, pad, rowH, rows, fitCols, (w - 2 * pad) / fitCols, Math.max(0, rows * fitCols - 1));
    }
    return last;
  }

  static int minColumnWidth(int font) {
    return Math.round(font * 12.5f);
  }

  static int maxColumnWidth(int font) {
    return font * 16;
  }

  /** Draws the legend into the rectangle {@code (x, y, w, h)} of {@code g}. */
  static void draw(
      Graphics2D g,
      ClassStats stats,
      Palette palette,
      int x,
      int y,
      int w,
      int h,
      boolean showAbsent) {
    java.awt.Shape clip = g.getClip();
    g.clipRect(x, y, w, h);
    try {
      drawClipped(g, stats, palette, x, y, w, h, showAbsent);
    } finally {
      g.setClip(clip);
    }
  }

  private static void drawClipped(
      Graphics2D g,
      ClassStats stats,
      Palette palette,
      int x,
      int y,
      int w,
      int h,
      boolean showAbsent) {
    g.setColor(Draw.PANEL);
    g.fillRect(x, y, w, h);
    List<ClassStats.Entry> entries = entries(stats, showAbsent);
    if (entries.isEmpty()) {
      return;
    }
    Layout l = layout(entries.size(), w, h);
    g.setFont(Draw.font(l.font(), false));
    FontMetrics fm = g.getFontMetrics();
    int swatch = Math.max(6, Math.round(l.font() * 1.1f));
    int gap = Math.max(4, l.font() / 2);
    int slots = Math.min(entries.size(), l.rows() * l.columns());
    boolean more = l.shown() < entries.size();
    for (int i = 0; i < slots; i++) {
      int col = i / l.rows();
      int row = i % l.rows();
      int cx = x + l.pad() + col * l.columnWidth();
      int cy = y + l.pad() + row * l.rowHeight();
      int right = cx + l.columnWidth() - gap;
      int base = Draw.baseline(fm, cy, l.rowHeight());
      if (more && i == slots - 1) {
        g.setColor(Draw.TEXT_DIM);
        g.drawString(
            Draw.fit("+" + (entries.size() - l.shown()) + " more", fm, right - cx), cx, base);
        break;
      }
      ClassStats.Entry e = entries.get(i);
      int sy = cy + (l.rowHeight() - swatch) / 2;
      g.setColor(Draw.rgb(palette.rgb(e.id())));
      g.fillRect(cx, sy, swatch, swatch);
      g.setColor(Draw.SWATCH_BORDER);
      g.setStroke(new BasicStroke(1f));
      g.drawRect(cx, sy, swatch - 1, swatch - 1);
      String pct = e.percent();
      int pctW = fm.stringWidth(pct);
      g.setColor(e.present() ? Draw.TEXT : Draw.TEXT_DIM);
      g.drawString(pct, right - pctW, base);
      int nameX = cx + swatch + gap;
      g.drawString(Draw.fit(e.name(), fm, right - pctW - gap - nameX), nameX, base);
    }
  }
}
