package dev.segmenter.palettes;

/**
 * PASCAL VOC 2012: background plus 20 object classes, and the void/boundary label 255.
 *
 * <p>Source: the VOC2012 development kit, VOCdevkit/VOCcode/VOClabelcolormap.m, which defines the colors
 * by the bit-interleaving rule of {@link Palettes#generated(int)} (so id 255, void, is (224, 224, 192));
 * class names as in VOCdevkit/VOCcode/VOCinit.m ({@code VOCopts.classes}), with "background" first.
 * The 21 colors are written out here so that the test comparing them with the rule checks both.
 */
final class VocPalette {

  static final String[] LABELS = {
    "background",
    "aeroplane",
    "bicycle",
    "bird",
    "boat",
    "bottle",
    "bus",
    "car",
    "cat",
    "chair",
    "cow",
    "diningtable",
    "dog",
    "horse",
    "motorbike",
    "person",
    "pottedplant",
    "sheep",
    "sofa",
    "train",
    "tvmonitor",
  };

  /** 0xRRGGBB, one per class id. */
  static final int[] COLORS = {
    0x000000, 0x800000, 0x008000, 0x808000, 0x000080, 0x800080, 0x008080, 0x808080, 0x400000,
        0xC00000,
    0x408000, 0xC08000, 0x400080, 0xC00080, 0x408080, 0xC08080, 0x004000, 0x804000, 0x00C000,
        0x80C000,
    0x004080,
  };

  /** The color of label 255 (void: object boundaries and difficult regions). */
  static final int VOID = 0xE0E0C0;

  private VocPalette() {}
}
