package dev.segmenter.engine.pipeline;

import dev.segmenter.engine.ConfigException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where the crops of a sliding-window run lie on an image: tiles of {@code tileWidth x tileHeight} image pixels
 * overlapping by {@code overlap}, the last tile of a row or column pulled back to end at the image's edge
 * (as MMSegmentation's {@code slide} mode). A tile larger than the image sticks out past its right or bottom
 * edge, and that part is filled (see {@link TiledInference}). With test-time scales, scale {@code s} has tiles of
 * {@code tile / s} pixels and an overlap of {@code overlap / s}. Immutable.
 *
 * @param tileWidth tile width in image pixels at scale 1; 0 means the whole image's width (no tiling)
 * @param tileHeight tile height in image pixels at scale 1; 0 means the whole image's height
 * @param overlap overlap between neighbouring tiles: a fraction of the tile in [0, 1), or whole pixels when >= 1
 */
public record TilePlan(int tileWidth, int tileHeight, double overlap) {
  /** Overlap when none is given: a quarter of the tile. */
  public static final double DEFAULT_OVERLAP = 0.25;

  public TilePlan {
    if (tileWidth < 0 || tileHeight < 0 || (tileWidth == 0) != (tileHeight == 0)) {
      throw new ConfigException("tile " + tileWidth + "x" + tileHeight
          + " is not accepted; accepted: " + "a positive width and height, e.g. 512x256");
    }
    if (!(overlap >= 0) || (overlap >= 1 && overlap != Math.rint(overlap)) || overlap > 1 << 20) {
      throw new ConfigException(
          "tile overlap " + overlap + " is not accepted; accepted: a fraction of the tile "
              + "in [0, 1) such as 0.25, or whole pixels such as 64");
    }
  }

  /** One crop: a rectangle in image coordinates (it may stick out past the right or bottom edge). */
  public record Crop(
      int x,
      int y,
      int width,
      int height,
      double scale,
      boolean flip,
      int overlapX,
      int overlapY) {}

  /** Overlap in pixels along a side of {@code tile} pixels, at scale 1. */
  int overlapPixels(int tile) {
    int o = overlap < 1 ? (int) Math.round(overlap * tile) : (int) overlap;
    return Math.max(0, Math.min(tile - 1, o));
  }

  /** Every crop for an image of {@code width x height}, sorted by their top row. */
  public List<Crop> crops(int width, int height, Tta tta) {
    int tw = tileWidth == 0 ? width : tileWidth;
    int th = tileHeight == 0 ? height : tileHeight;
    if (tileWidth != 0) {
      // pixels as given; a fraction applies at every scale alike
      checkOverlap(tw, th);
    }
    List<Crop> out = new ArrayList<>();
    for (double s : tta.scales()) {
      int cw = Math.max(1, (int) Math.round(tw / s));
      int ch = Math.max(1, (int) Math.round(th / s));
      int ox = Math.max(0, Math.min(cw - 1, (int) Math.round(overlapPixels(tw) / s)));
      int oy = Math.max(0, Math.min(ch - 1, (int) Math.round(overlapPixels(th) / s)));
      if (tileWidth == 0 && overlap >= 1) {
        // a whole-image run has no tile to take pixels of: use the default fraction for scales that
        // split it
        ox = Math.max(0, Math.min(cw - 1, (int) Math.round(DEFAULT_OVERLAP * cw)));
        oy = Math.max(0, Math.min(ch - 1, (int) Math.round(DEFAULT_OVERLAP * ch)));
      }
      for (int y : positions(height, ch, oy)) {
        for (int x : positions(width, cw, ox)) {
          out.add(new Crop(x, y, cw, ch, s, false, ox, oy));
          if (tta.flip()) {
            out.add(new Crop(x, y, cw, ch, s, true, ox, oy));
          }
        }
      }
    }
    out.sort(Comparator.comparingInt(Crop::y));
    return out;
  }

  private void checkOverlap(int tw, int th) {
    if (overlap >= 1 && (overlap >= tw || overlap >= th)) {
      throw new ConfigException(
          "tile overlap " + (int) overlap + " pixels is not smaller than the tile " + tw + "x" + th
              + "; accepted: fewer pixels than the tile's shorter side, or a fraction such as 0.25");
    }
  }

  /** Start positions along one axis of {@code length} pixels for tiles of {@code tile} overlapping by {@code overlap}. */
  static int[] positions(int length, int tile, int overlap) {
    if (length <= tile) {
      return new int[] {0};
    }
    int stride = Math.max(1, tile - overlap);
    int n = (length - tile + stride - 1) / stride + 1;
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = Math.min(i * stride, length - tile);
    }
    return p;
  }

  @Override
  public String toString() {
    String o = overlap < 1 ? String.valueOf(overlap) : (int) overlap + "px";
    return (tileWidth == 0 ? "whole image" : tileWidth + "x" + tileHeight) + " overlap " + o;
  }
}
