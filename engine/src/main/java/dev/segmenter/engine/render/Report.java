package dev.segmenter.engine.render;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.kernels.BlendKernel;
import dev.segmenter.engine.kernels.PaletteKernel;
import dev.segmenter.palettes.Palette;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A one-picture summary of a segmentation: "Original" | "Segmentation" on top, "Overlay (alpha a)" |
 * "Legend" below, each under a title bar, and an optional footer line. Images are scaled so that the report
 * is between {@link ReportOptions#minWidth()} and {@link ReportOptions#maxWidth()} wide (panels at most 900 px
 * high): tiny images are enlarged by whole factors with nearest neighbour, the color map is always scaled
 * with nearest neighbour (its colors stay exact). Very wide images (at least 2.5 times as wide as high) are
 * stacked in one column instead, so that they keep a readable height.
 */
public final class Report {
  static final int MAX_PANEL_HEIGHT = 900;
  static final int MIN_IMAGE_SIDE = 24;
  static final int MIN_LEGEND_HEIGHT = 200;
  static final float WIDE = 2.5f;
  static final int GAP = 4;

  private final ColorMap colorMap;
  private final Overlay overlay;

  public Report(PaletteKernel palette, BlendKernel blend) {
    this.colorMap = new ColorMap(Objects.requireNonNull(palette, "palette"));
    this.overlay = new Overlay(Objects.requireNonNull(blend, "blend"), palette);
  }

  /** Colors the map, blends the overlay and draws the report. */
  public BgrImage render(BgrImage image, ClassMap map, Palette palette, ReportOptions options) {
    BgrImage colors = colorMap.bgr(map, palette);
    BgrImage blended = overlay.render(
        image, colors, map, palette, OverlayOptions.defaults().withAlpha(options.alpha()));
    return compose(image, colors, blended, ClassStats.of(map, palette), palette, options);
  }

  /** The layout for an image of {@code iw x ih} whose legend lists {@code entries} classes. */
  static Layout layout(int iw, int ih, ReportOptions o, boolean footer) {
    return layout(iw, ih, o, footer, 0);
  }

  /** Where the panels go: image size inside each cell, cell size, and the arrangement. */
  record Layout(
      boolean stacked,
      int imageW,
      int imageH,
      int cellW,
      int cellH,
      int legendH,
      int titleH,
      int titleFont,
      int footerH,
      int width,
      int height) {}

  static Layout layout(int iw, int ih, ReportOptions o, boolean footer, int entries) {
    boolean stacked = (float) iw / ih >= WIDE;
    double s;
    int imageW;
    int imageH;
    int cellW;
    int cellH;
    int legendH;
    if (stacked) {
      int w = Math.max(o.minWidth(), Math.min(o.maxWidth(), iw));
      s = (double) w / iw;
      s = s > 2 ? Math.floor(s) : s;
      imageW = Math.max(1, (int) Math.round(iw * s));
      imageH = Math.max(Math.min(MIN_IMAGE_SIDE, ih * 8), (int) Math.round(ih * s));
      cellW = Math.max(o.minWidth(), imageW);
      cellH = imageH;
      // a strip-shaped legend grows (up to 2x) until its classes fit at a 14 px font
      int pad = 7;
      int columns = Math.max(1, (cellW - 2 * pad) / Legend.minColumnWidth(14));
      int rows = (entries + columns - 1) / columns;
      int wanted = 2 * pad + rows * Math.round(14 * 1.6f);
      legendH =
          Math.max(Math.max(MIN_LEGEND_HEIGHT, imageH), Math.min(wanted, 2 * MIN_LEGEND_HEIGHT));
    } else {
      int half = (o.minWidth() - GAP) / 2;
      int w = Math.max(half, Math.min((o.maxWidth() - GAP) / 2, iw));
      s = (double) w / iw;
      if (ih * s > MAX_PANEL_HEIGHT) {
        s = (double) MAX_PANEL_HEIGHT / ih;
      }
      s = s > 2 ? Math.floor(s) : s;
      imageW = Math.max(Math.min(MIN_IMAGE_SIDE, iw * 8), (int) Math.round(iw * s));
      imageH = Math.max(1, (int) Math.round(ih * s));
      cellW = Math.max(half, imageW);
      cellH = Math.max(imageH, Math.min(MIN_LEGEND_HEIGHT, cellW));
      legendH = cellH;
    }
    int width = stacked ? cellW : 2 * cellW + GAP;
    int titleFont = Math.max(13, Math.min(22, Math.round(width / 55f)));
    int titleH = Math.round(titleFont * 1.9f);
    int footerH = footer ? Math.round((titleFont - 1) * 1.9f) : 0;
    int height = stacked
        ? 3 * (titleH + cellH) + titleH + legendH + 3 * GAP + footerH
        : 2 * (titleH + cellH) + GAP + footerH;
    return new Layout(
        stacked, imageW, imageH, cellW, cellH, legendH, titleH, titleFont, footerH, width, height);
  }

  /** Draws a report from parts already computed; all three images must have the same size. */
  public static BgrImage compose(
      BgrImage image,
      BgrImage colors,
      BgrImage overlay,
      ClassStats stats,
      Palette palette,
      ReportOptions options) {
    for (BgrImage other : new BgrImage[] {colors, overlay}) {
      if (other.width() != image.width() || other.height() != image.height()) {
        throw new IllegalArgumentException("report panels differ in size: image " + image.width()
            + "x" + image.height() + ", other " + other.width() + "x" + other.height());
      }
    }
    Layout l = layout(
        image.width(),
        image.height(),
        options,
        options.footer() != null,
        Legend.entries(stats, options.showAbsent()).size());
    BufferedImage out = new BufferedImage(l.width(), l.height(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = Draw.graphics(out);
    try {
      g.setColor(Draw.BACKGROUND);
      g.fillRect(0, 0, l.width(), l.height());
      String[] titles = {
        "Original", "Segmentation", "Overlay (alpha " + alphaText(options.alpha()) + ")", "Legend"
      };
      BgrImage[] panels = {image, colors, overlay};
      for (int i = 0; i < 4; i++) {
        int x;
        int y;
        int h = i == 3 ? l.legendH() : l.cellH();
        if (l.stacked()) {
          x = 0;
          y = i * (l.titleH() + l.cellH() + GAP);
        } else {
          x = (i % 2) * (l.cellW() + GAP);
          y = (i / 2) * (l.titleH() + l.cellH() + GAP);
        }
        titleBar(g, titles[i], x, y, l.cellW(), l.titleH(), l.titleFont());
        int top = y + l.titleH();
        if (i == 3) {
          Legend.draw(g, stats, palette, x, top, l.cellW(), h, options.showAbsent());
        } else {
          g.setColor(Draw.PANEL);
          g.fillRect(x, top, l.cellW(), h);
          BufferedImage scaled =
              Draw.scale(panels[i].toBufferedImage(), l.imageW(), l.imageH(), i == 1);
          g.drawImage(scaled, x + (l.cellW() - l.imageW()) / 2, top + (h - l.imageH()) / 2, null);
        }
      }
      if (options.footer() != null) {
        int y = l.height() - l.footerH();
        g.setColor(Draw.TITLE_BAR);
        g.fillRect(0, y, l.width(), l.footerH());
        g.setFont(Draw.font(l.titleFont() - 1, false));
        FontMetrics fm = g.getFontMetrics();
        int pad = l.titleFont() / 2 + 2;
        g.setColor(Draw.TEXT_DIM);
        g.drawString(
            Draw.fit(options.footer(), fm, l.width() - 2 * pad),
            pad,
            Draw.baseline(fm, y, l.footerH()));
      }
    } finally {
      g.dispose();
    }
    return BgrImage.from(out);
  }

  private static void titleBar(Graphics2D g, String title, int x, int y, int w, int h, int font) {
    g.setColor(Draw.TITLE_BAR);
    g.fillRect(x, y, w, h);
    g.setFont(Draw.font(font, true));
    FontMetrics fm = g.getFontMetrics();
    int pad = font / 2 + 2;
    g.setColor(Draw.TEXT);
    g.drawString(Draw.fit(title, fm, w - 2 * pad), x + pad, Draw.baseline(fm, y, h));
  }

  /** 0.5 -> "0.5", 0.35 -> "0.35", 1 -> "1". */
  static String alphaText(float alpha) {
    return new BigDecimal(Float.toString(alpha)).stripTrailingZeros().toPlainString();
  }
}
