package dev.segmenter.palettes;

/**
 * The 19 Cityscapes train ids (0 road .. 18 bicycle) with their official colors.
 *
 * <p>Source: mcordts/cityscapesScripts, cityscapesscripts/helpers/labels.py (commit 0bcc4a7),
 * the {@code labels} table: each label with {@code 0 <= trainId < 255}, ordered by train id, its
 * {@code name} and {@code color} (R, G, B). Train id 255 (unlabeled, ego vehicle, ...) is void, drawn black.
 */
final class CityscapesPalette {

  static final String[] LABELS = {
    "road",
    "sidewalk",
    "building",
    "wall",
    "fence",
    "pole",
    "traffic light",
    "traffic sign",
    "vegetation",
    "terrain",
    "sky",
    "person",
    "rider",
    "car",
    "truck",
    "bus",
    "train",
    "motorcycle",
    "bicycle",
  };

  /** 0xRRGGBB, one per class id. */
  static final int[] COLORS = {
    0x804080, 0xF423E8, 0x464646, 0x66669C, 0xBE9999, 0x999999, 0xFAAA1E, 0xDCDC00, 0x6B8E23,
    0x98FB98, 0x4682B4, 0xDC143C, 0xFF0000, 0x00008E, 0x000046, 0x003C64, 0x005064, 0x0000E6,
    0x770B20,
  };

  private CityscapesPalette() {}
}
