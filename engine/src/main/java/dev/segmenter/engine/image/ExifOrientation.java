package dev.segmenter.engine.image;

import java.nio.charset.StandardCharsets;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import org.w3c.dom.Node;

/**
 * The EXIF orientation of an image and the turn that shows it upright, as OpenCV's {@code imread} and every photo
 * viewer apply it: in a JPEG, tag 0x0112 of IFD0 in its APP1 "Exif" segment; in a PNG, the same tag in its
 * {@code eXIf} chunk; in a TIFF, its own Orientation tag (274). Phones store portrait photos as landscape pixels
 * plus this tag; without it a portrait photo is segmented, and its overlay written, lying on its side. Values:
 * 1 upright, 2 mirrored, 3 rotated 180, 4 flipped, 5 transposed, 6 rotated 90 clockwise to view, 7 transversed,
 * 8 rotated 90 counter-clockwise to view. A missing or malformed tag means 1: orientation never makes a readable
 * image fail.
 */
public final class ExifOrientation {

  private static final String JPEG_TREE = "javax_imageio_jpeg_image_1.0";
  private static final String TIFF_TREE = "javax_imageio_tiff_image_1.0";
  private static final int APP1 = 0xE1;
  private static final byte[] EXIF_MAGIC = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);

  private ExifOrientation() {}

  /**
   * The orientation of image 0 of a JPEG or TIFF reader that has read it (a TIFF reader with metadata, as its
   * Orientation is a field of the image's IFD); 1 for other formats or without the tag.
   */
  static int of(ImageReader reader) {
    try {
      String format = reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
      String tree = switch (format) {
        case "jpeg", "jpg" -> JPEG_TREE;
        case "tif", "tiff" -> TIFF_TREE;
        default -> null;
      };
      IIOMetadata metadata = tree == null ? null : reader.getImageMetadata(0);
      if (metadata == null
          || !java.util.Arrays.asList(metadata.getMetadataFormatNames()).contains(tree)) {
        return 1;
      }
      Node root = metadata.getAsTree(tree);
      return tree.equals(JPEG_TREE) ? fromJpegTree(root) : fromTiffTree(root);
    } catch (java.io.IOException | RuntimeException e) {
      return 1;
    }
  }

  private static int fromJpegTree(Node node) {
    if (node instanceof IIOMetadataNode n
        && "unknown".equals(n.getNodeName())
        && String.valueOf(APP1).equals(n.getAttribute("MarkerTag"))
        && n.getUserObject() instanceof byte[] b) {
      int o = parse(b);
      if (o != 0) {
        return o;
      }
    }
    for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
      int o = fromJpegTree(c);
      if (o != 1) {
        return o;
      }
    }
    return 1;
  }

  /**
   * The orientation in a PNG's {@code eXIf} chunk (a TIFF header and IFD0; some writers put "Exif\0\0" before it),
   * read by {@link PngCrcInputStream}; 1 without one.
   */
  static int ofPngChunk(byte[] exif) {
    if (exif == null) {
      return 1;
    }
    return startsWithMagic(exif) ? Math.max(1, parse(exif)) : parseTiff(exif, 0);
  }

  /** IFD0's {@code TIFFField number="274"}: {@code <TIFFShorts><TIFFShort value="6"/>}. */
  private static int fromTiffTree(Node root) {
    Node ifd = root.getFirstChild();
    if (ifd == null) {
      return 1;
    }
    for (Node f = ifd.getFirstChild(); f != null; f = f.getNextSibling()) {
      if (f instanceof IIOMetadataNode field
          && "TIFFField".equals(field.getNodeName())
          && "274".equals(field.getAttribute("number"))) {
        Node values = field.getFirstChild();
        Node value = values == null ? null : values.getFirstChild();
        if (value instanceof IIOMetadataNode v) {
          try {
            int o = Integer.parseInt(v.getAttribute("value").trim());
            return o >= 1 && o <= 8 ? o : 1;
          } catch (NumberFormatException e) {
            return 1;
          }
        }
        return 1;
      }
    }
    return 1;
  }

  private static boolean startsWithMagic(byte[] b) {
    return b.length >= EXIF_MAGIC.length
        && java.util.Arrays.equals(b, 0, EXIF_MAGIC.length, EXIF_MAGIC, 0, EXIF_MAGIC.length);
  }

  /**
   * The orientation in an APP1 segment's payload ({@code "Exif\0\0"} then a TIFF header and IFD0), 1..8; 0 when
   * the segment is not EXIF, 1 when it is but has no valid orientation.
   */
  static int parse(byte[] app1) {
    if (app1.length < EXIF_MAGIC.length + 8 || !startsWithMagic(app1)) {
      return 0;
    }
    return parseTiff(app1, EXIF_MAGIC.length);
  }

  /** The orientation in IFD0 of the TIFF structure at offset {@code t} of {@code b}; 1 when absent or malformed. */
  static int parseTiff(byte[] b, int t) {
    if (b.length < t + 8) {
      return 1;
    }
    boolean little;
    if (b[t] == 'I' && b[t + 1] == 'I') {
      little = true;
    } else if (b[t] == 'M' && b[t + 1] == 'M') {
      little = false;
    } else {
      return 1;
    }
    if (u16(b, t + 2, little) != 42) {
      return 1;
    }
    long ifd = u32(b, t + 4, little);
    if (ifd < 8 || t + ifd + 2 > b.length) {
      return 1;
    }
    int p = (int) (t + ifd);
    int entries = u16(b, p, little);
    for (int e = 0; e < entries; e++) {
      int q = p + 2 + 12 * e;
      if (q + 12 > b.length) {
        return 1;
      }
      if (u16(b, q, little) == 0x0112) {
        int type = u16(b, q + 2, little);
        int value =
            type == 3 ? u16(b, q + 8, little) : type == 4 ? (int) u32(b, q + 8, little) : -1;
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  private static int u16(byte[] b, int i, boolean little) {
    int x = b[i] & 0xFF;
    int y = b[i + 1] & 0xFF;
    return little ? x | y << 8 : x << 8 | y;
  }

  private static long u32(byte[] b, int i, boolean little) {
    long hi = u16(b, little ? i + 2 : i, little);
    long lo = u16(b, little ? i : i + 2, little);
    return hi << 16 | lo;
  }

  /** The image as a viewer shows it for {@code orientation} (1..8; anything else returns it unchanged). */
  public static BgrImage apply(BgrImage image, int orientation) {
    if (orientation < 2 || orientation > 8) {
      return image;
    }
    int w = image.width();
    int h = image.height();
    boolean swap = orientation >= 5;
    BgrImage out = BgrImage.allocate(swap ? h : w, swap ? w : h);
    int ow = out.width();
    int oh = out.height();
    byte[] src = image.data();
    byte[] dst = out.data();
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        // the source pixel shown at (x, y)
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> {
            sx = w - 1 - x;
            sy = y;
          }
          case 3 -> {
            sx = w - 1 - x;
            sy = h - 1 - y;
          }
          case 4 -> {
            sx = x;
            sy = h - 1 - y;
          }
          case 5 -> {
            sx = y;
            sy = x;
          }
          case 6 -> {
            sx = y;
            sy = h - 1 - x;
          }
          case 7 -> {
            sx = w - 1 - y;
            sy = h - 1 - x;
          }
          default -> {
            sx = w - 1 - y;
            sy = x;
          } // 8
        }
        int s = (sy * w + sx) * 3;
        int d = (y * ow + x) * 3;
        dst[d] = src[s];
        dst[d + 1] = src[s + 1];
        dst[d + 2] = src[s + 2];
      }
    }
    return out;
  }
}
