package dev.segmenter.palettes;

/**
 * The 171 COCO-Stuff classes (80 things, 0 person .. 79 toothbrush, then 91 stuff, 80 banner .. 170 wood)
 * and their colors, as in the COCO-Stuff 164k train ids.
 *
 * <p>Source: open-mmlab/mmsegmentation mmseg/datasets/coco_stuff.py, {@code COCOStuffDataset.CLASSES} and
 * {@code PALETTE} (checked identical at mmsegmentation commit 186161e). That palette repeats some colors
 * (for example 0 person and 1 bicycle are both (0, 192, 64)); they are kept as published so that pictures match
 * the ones mmsegmentation draws.
 */
final class CocoStuffPalette {

  static final String[] LABELS = {
    "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
    "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
    "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
    "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard",
    "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
    "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch",
    "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard",
    "cell phone", "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors",
    "teddy bear", "hair drier", "toothbrush", "banner", "blanket", "branch", "bridge", "building-other",
    "bush", "cabinet", "cage", "cardboard", "carpet", "ceiling-other", "ceiling-tile", "cloth", "clothes",
    "clouds", "counter", "cupboard", "curtain", "desk-stuff", "dirt", "door-stuff", "fence", "floor-marble",
    "floor-other", "floor-stone", "floor-tile", "floor-wood", "flower", "fog", "food-other", "fruit",
    "furniture-other", "grass", "gravel", "ground-other", "hill", "house", "leaves", "light", "mat", "metal",
    "mirror-stuff", "moss", "mountain", "mud", "napkin", "net", "paper", "pavement", "pillow", "plant-other",
    "plastic", "platform", "playingfield", "railing", "railroad", "river", "road", "rock", "roof", "rug",
    "salad", "sand", "sea", "shelf", "sky-other", "skyscraper", "snow", "solid-other", "stairs", "stone",
    "straw", "structural-other", "table", "tent", "textile-other", "towel", "tree", "vegetable", "wall-brick",
    "wall-concrete", "wall-other", "wall-panel", "wall-stone", "wall-tile", "wall-wood", "water-other",
    "waterdrops", "window-blind", "window-other", "wood",
  };

  /** 0xRRGGBB, one per class id. */
  static final int[] COLORS = {
    0x00C040, 0x00C040, 0x004060, 0x80C0C0, 0x004040, 0x00C0E0, 0x00C0C0, 0x80C040, 0x00C060, 0x80C040,
    0x8020C0, 0x0000E0, 0x000040, 0x00A0C0, 0x800060, 0x8000C0, 0x0020C0, 0x8080E0, 0x0000C0, 0x80A0C0,
    0x808000, 0x800020, 0x802000, 0x800080, 0x408020, 0x00A000, 0x000000, 0xC080A0, 0x002000, 0x008080,
    0x4080A0, 0x80A000, 0x008000, 0xC08020, 0x806080, 0x000080, 0x400020, 0x00E080, 0x800000, 0xC000A0,
    0x006080, 0x808080, 0x4000A0, 0x80E080, 0x808040, 0xC00020, 0x806000, 0x8000C0, 0x008020, 0x40E000,
    0x000040, 0x8080A0, 0x406000, 0x0080C0, 0x0080A0, 0xC0E000, 0x008040, 0x808020, 0xC02080, 0x0040C0,
    0x000020, 0x40A080, 0x804040, 0x8000A0, 0x402080, 0x80C0C0, 0x0000A0, 0xC0A080, 0x80C000, 0x800060,
    0xC02000, 0x804080, 0x408060, 0x40A000, 0x004000, 0xC080E0, 0x402000, 0x00C080, 0x4080E0, 0xC0A000,
    0x00C000, 0xC08060, 0xC06080, 0x004080, 0x400060, 0x40E080, 0x804000, 0xC000E0, 0x406080, 0x80C080,
    0x4000E0, 0xC0E080, 0x80C040, 0xC00060, 0xC06000, 0x8040C0, 0x008060, 0x00E000, 0x404040, 0x8080E0,
    0x006000, 0x40C0C0, 0x0080E0, 0x80E000, 0x40C040, 0x808060, 0x802080, 0x4000C0, 0x004060, 0x00A080,
    0xC00040, 0x8040E0, 0x002080, 0xC080C0, 0x0040E0, 0x80A080, 0xC08000, 0x804020, 0x802040, 0xC00080,
    0x40C020, 0x00A040, 0x400000, 0xC0C0A0, 0x002040, 0x408080, 0x40C0A0, 0x80A040, 0x408000, 0xC0C020,
    0x8060C0, 0x400080, 0x404020, 0x00E0C0, 0xC00000, 0xC040A0, 0x0060C0, 0xC08080, 0x4040A0, 0x80E0C0,
    0xC08040, 0xC04020, 0x806040, 0xC000C0, 0x00C020, 0x40E040, 0x400040, 0x80C0A0, 0x406040, 0x4080C0,
    0x00C0A0, 0xC0E040, 0x408040, 0x80C020, 0xC020C0, 0x4040C0, 0x004020, 0x40A0C0, 0xC04040, 0x8040A0,
    0x4020C0, 0xC0C0C0, 0x0040A0, 0xC0A0C0, 0xC0C000, 0x804060, 0xC02040, 0xC04080, 0x40C060, 0x40A040,
    0x404000,
  };

  private CocoStuffPalette() {}
}
