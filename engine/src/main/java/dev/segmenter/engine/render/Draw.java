package dev.segmenter.engine.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Drawing helpers shared by the legend and the report: fonts, colors, text fitting, scaling. */
final class Draw {
  static final Color BACKGROUND = new Color(0x1E1E1E);
  static final Color PANEL = new Color(0x2B2B2B);
  static final Color TITLE_BAR = new Color(0x111111);
  static final Color TEXT = new Color(0xECECEC);
  static final Color TEXT_DIM = new Color(0xB4B4B4);
  static final Color SWATCH_BORDER = new Color(0xD0D0D0);
  static final String ELLIPSIS = "\u2026";

  private Draw() {}

  /** A sans-serif font of about {@code px} pixels (Java2D draws 1 pt as 1 px on images). */
  static Font font(int px, boolean bold) {
    return new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, Math.max(px, 1));
  }

  /** Graphics with antialiased text and shapes. */
  static Graphics2D graphics(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    return g;
  }

  /** {@code text}, cut with an ellipsis where it is wider than {@code maxWidth}; "" if not even that fits. */
  static String fit(String text, FontMetrics fm, int maxWidth) {
    if (fm.stringWidth(text) <= maxWidth) {
      return text;
    }
    if (fm.stringWidth(ELLIPSIS) > maxWidth) {
      return "";
    }
    int lo = 0;
    int hi = text.length();
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (fm.stringWidth(text.substring(0, mid).stripTrailing() + ELLIPSIS) <= maxWidth) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return text.substring(0, lo).stripTrailing() + ELLIPSIS;
  }

  /** Baseline y that centers a line of the current font vertically in a band {@code [top, top + height)}. */
  static int baseline(FontMetrics fm, int top, int height) {
    return top + (height - (fm.getAscent() + fm.getDescent())) / 2 + fm.getAscent();
  }

  /**
   * {@code src} scaled to {@code w x h}: nearest neighbour when {@code exact} (class colors stay exact, pixels
   * stay square when enlarging), otherwise bilinear, halving step by step while shrinking by more than 2 so
   * that no detail is skipped.
   */
  static BufferedImage scale(BufferedImage src, int w, int h, boolean exact) {
    if (src.getWidth() == w && src.getHeight() == h) {
      return src;
    }
    boolean enlarging = w >= src.getWidth() && h >= src.getHeight();
    if (exact || enlarging) {
      return resize(src, w, h, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    }
    BufferedImage cur = src;
    int cw = src.getWidth();
    int ch = src.getHeight();
    while (cw / 2 >= w || ch / 2 >= h) {
      cw = Math.max(cw / 2 >= w ? cw / 2 : cw, w);
      ch = Math.max(ch / 2 >= h ? ch / 2 : ch, h);
      cur = resize(cur, cw, ch, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    }
    return resize(cur, w, h, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
  }

  private static BufferedImage resize(BufferedImage src, int w, int h, Object interpolation) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
      g.drawImage(src, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  static Color rgb(int rgb) {
    return new Color(rgb & 0xFFFFFF);
  }
}
