package dev.segmenter.engine.render;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.kernels.PaletteKernel;
import dev.segmenter.palettes.Palette;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Objects;

/**
 * Class map to colors: every pixel gets exactly its class's palette color; ids the palette has no color
 * for get the palette's void color. The result has the class map's size.
 */
public final class ColorMap {
  private final PaletteKernel kernel;

  public ColorMap(PaletteKernel kernel) {
    this.kernel = Objects.requireNonNull(kernel, "kernel");
  }

  /** The colored map as a BGR image. */
  public BgrImage bgr(ClassMap map, Palette palette) {
    byte[] lut = palette.lutBgr(palette.size(), palette.voidRgb());
    byte[] out = new byte[Math.multiplyExact(map.pixels(), 3)];
    if (map.isWide()) {
      kernel.lookup3(map.shorts(), 0, map.pixels(), lut, out);
    } else {
      kernel.lookup3(map.bytes(), 0, map.pixels(), lut, out);
    }
    return new BgrImage(map.width(), map.height(), out);
  }

  /** The colored map as opaque packed ARGB pixels, row-major (for Java2D). */
  public int[] argb(ClassMap map, Palette palette) {
    return argb(map, palette.lutArgb(palette.size(), 0xFF000000 | palette.voidRgb()));
  }

  /**
   * As {@link #argb(ClassMap, Palette)} but pixels of class {@code backgroundId} are fully transparent
   * (ARGB 0), for a color map laid over something else.
   */
  public int[] argbTransparent(ClassMap map, Palette palette, int backgroundId) {
    int[] lut = palette.lutArgb(palette.size(), 0xFF000000 | palette.voidRgb());
    if (backgroundId < 0 || backgroundId > 65535) {
      throw new IllegalArgumentException(
          "background id " + backgroundId + " is out of range; accepted: 0 to 65535");
    }
    if (backgroundId < palette.size()) {
      lut[backgroundId] = 0;
      return argb(map, lut);
    }
    // the background id is beyond the palette: it shares the void entry, so give it an entry of its
    // own
    int[] wide = java.util.Arrays.copyOf(lut, backgroundId + 2);
    java.util.Arrays.fill(wide, palette.size(), wide.length, 0xFF000000 | palette.voidRgb());
    wide[backgroundId] = 0;
    return argb(map, wide);
  }

  private int[] argb(ClassMap map, int[] lut) {
    int[] out = new int[map.pixels()];
    if (map.isWide()) {
      kernel.lookupArgb(map.shorts(), 0, map.pixels(), lut, out);
    } else {
      kernel.lookupArgb(map.bytes(), 0, map.pixels(), lut, out);
    }
    return out;
  }

  /** A TYPE_INT_ARGB image holding a copy of packed ARGB pixels. */
  public static BufferedImage toBufferedImage(int width, int height, int[] argb) {
    if ((long) width * height != argb.length) {
      throw new IllegalArgumentException("a " + width + "x" + height + " image needs "
          + (long) width * height + " pixels, got " + argb.length);
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    int[] target = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    System.arraycopy(argb, 0, target, 0, argb.length);
    return image;
  }
}
