package dev.segmenter.engine.render;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.kernels.BlendKernel;
import dev.segmenter.engine.kernels.PaletteKernel;
import dev.segmenter.palettes.Palette;
import java.util.Objects;

/**
 * The image with its color map laid over it: {@code out = round(image * (1 - alpha) + colors * alpha)} per
 * channel, as OpenCV's {@code addWeighted} (the rounding is {@link BlendKernel}'s). Same size as the image.
 */
public final class Overlay {
  private final BlendKernel blend;
  private final ColorMap colorMap;

  public Overlay(BlendKernel blend, PaletteKernel palette) {
    this.blend = Objects.requireNonNull(blend, "blend");
    this.colorMap = new ColorMap(Objects.requireNonNull(palette, "palette"));
  }

  /** Blends with alpha 0.5, every pixel. */
  public BgrImage render(BgrImage image, ClassMap map, Palette palette) {
    return render(image, map, palette, OverlayOptions.defaults());
  }

  public BgrImage render(BgrImage image, ClassMap map, Palette palette, OverlayOptions options) {
    return render(image, colorMap.bgr(map, palette), map, palette, options);
  }

  /**
   * Blends an already colored map ({@code colors}, from {@link ColorMap#bgr}); {@code map} and
   * {@code palette} are only read when some pixels are to stay unblended.
   */
  public BgrImage render(
      BgrImage image, BgrImage colors, ClassMap map, Palette palette, OverlayOptions options) {
    checkSize(image, colors.width(), colors.height(), "color map");
    checkSize(image, map.width(), map.height(), "class map");
    byte[] out = new byte[image.data().length];
    blend.blend(image.data(), colors.data(), options.alpha(), 0, out.length, out);
    int[] keep = options.unblended();
    if (keep.length > 0 || options.voidUnblended()) {
      boolean[] skip = new boolean[map.isWide() ? 65536 : 256];
      for (int id : keep) {
        if (id < skip.length) {
          skip[id] = true;
        }
      }
      if (options.voidUnblended()) {
        for (int id = palette.size(); id < skip.length; id++) {
          skip[id] = true;
        }
      }
      byte[] src = image.data();
      int n = map.pixels();
      for (int p = 0; p < n; p++) {
        if (skip[map.get(p)]) {
          out[3 * p] = src[3 * p];
          out[3 * p + 1] = src[3 * p + 1];
          out[3 * p + 2] = src[3 * p + 2];
        }
      }
    }
    return new BgrImage(image.width(), image.height(), out);
  }

  /** Blends two images of the same size (no class map). */
  public BgrImage render(BgrImage image, BgrImage colors, float alpha) {
    checkSize(image, colors.width(), colors.height(), "color map");
    OverlayOptions checked = OverlayOptions.defaults().withAlpha(alpha);
    byte[] out = new byte[image.data().length];
    blend.blend(image.data(), colors.data(), checked.alpha(), 0, out.length, out);
    return new BgrImage(image.width(), image.height(), out);
  }

  private static void checkSize(BgrImage image, int w, int h, String what) {
    if (image.width() != w || image.height() != h) {
      throw new IllegalArgumentException(
          "the " + what + " is " + w + "x" + h + " but the image is " + image.width() + "x"
              + image.height() + "; resize the " + what + " to the image's size first");
    }
  }
}
