package dev.segmenter.engine.image;

import java.nio.charset.StandardCharsets;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import org.w3c.dom.Node;

/**
 * The EXIF orientation of a JPEG (tag 0x0112 of IFD0 in its APP1 "Exif" segment) and the turn that shows the
 * image upright, as OpenCV's {@code imread} and every photo viewer apply it. Phones store portrait photos as
 * landscape pixels plus this tag; without it a portrait photo is segmented, and its overlay written, lying on
 * its side. Values: 1 upright, 2 mirrored, 3 rotated 180, 4 flipped, 5 transposed, 6 rotated 90 clockwise to
 * view, 7 transversed, 8 rotated 90 counter-clockwise to view. A missing or malformed tag means 1: orientation
 * never makes a readable image fail.
 */
public final class ExifOrientation {

  private static final String JPEG_TREE = "javax_imageio_jpeg_image_1.0";
  private static final int APP1 = 0xE1;

  private ExifOrientation() {
  }

  /** The orientation of image 0 of a reader that has read it; 1 for other formats or without the tag. */
  static int of(ImageReader reader) {
    try {
      if (!"jpeg".equalsIgnoreCase(reader.getFormatName())) {
        return 1;
      }
      IIOMetadata metadata = reader.getImageMetadata(0);
      if (metadata == null || !java.util.Arrays.asList(metadata.getMetadataFormatNames()).contains(JPEG_TREE)) {
        return 1;
      }
      return fromTree(metadata.getAsTree(JPEG_TREE));
    } catch (java.io.IOException | RuntimeException e) {
      return 1;
    }
  }

  private static int fromTree(Node node) {
    if (node instanceof IIOMetadataNode n && "unknown".equals(n.getNodeName())
        && String.valueOf(APP1).equals(n.getAttribute("MarkerTag")) && n.getUserObject() instanceof byte[] b) {
      int o = parse(b);
      if (o != 0) {
        return o;
      }
    }
    for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
      int o = fromTree(c);
      if (o != 1) {
        return o;
      }
    }
    return 1;
  }

  /**
   * The orientation in an APP1 segment's payload ({@code "Exif\0\0"} then a TIFF header and IFD0), 1..8; 0 when
   * the segment is not EXIF, 1 when it is but has no valid orientation.
   */
  static int parse(byte[] app1) {
    byte[] magic = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    if (app1.length < magic.length + 8) {
      return 0;
    }
    for (int i = 0; i < magic.length; i++) {
      if (app1[i] != magic[i]) {
        return 0;
      }
    }
    int t = magic.length; // TIFF header start; offsets below are relative to it
    boolean little;
    if (app1[t] == 'I' && app1[t + 1] == 'I') {
      little = true;
    } else if (app1[t] == 'M' && app1[t + 1] == 'M') {
      little = false;
    } else {
      return 1;
    }
    if (u16(app1, t + 2, little) != 42) {
      return 1;
    }
    long ifd = u32(app1, t + 4, little);
    if (ifd < 8 || t + ifd + 2 > app1.length) {
      return 1;
    }
    int p = (int) (t + ifd);
    int entries = u16(app1, p, little);
    for (int e = 0; e < entries; e++) {
      int q = p + 2 + 12 * e;
      if (q + 12 > app1.length) {
        return 1;
      }
      if (u16(app1, q, little) == 0x0112) {
        int type = u16(app1, q + 2, little);
        int value = type == 3 ? u16(app1, q + 8, little) : type == 4 ? (int) u32(app1, q + 8, little) : -1;
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
          case 2 -> { sx = w - 1 - x; sy = y; }
          case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
          case 4 -> { sx = x; sy = h - 1 - y; }
          case 5 -> { sx = y; sy = x; }
          case 6 -> { sx = y; sy = h - 1 - x; }
          case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
          default -> { sx = w - 1 - y; sy = x; } // 8
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
