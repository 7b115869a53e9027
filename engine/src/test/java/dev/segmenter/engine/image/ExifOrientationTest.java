package dev.segmenter.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Phone photos: landscape pixels plus an EXIF orientation; the decoder must hand out the upright image. */
class ExifOrientationTest {

  private final ImageDecoder decoder = new ImageDecoder();

  /** 64x32 stored pixels: top-left red, top-right blue, bottom-left green, bottom-right white. */
  private static byte[] quadrantsJpeg() throws IOException {
    return quadrants("jpg");
  }

  private static BufferedImage quadrantsImage() {
    BufferedImage img = new BufferedImage(64, 32, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, 32, 16);
    g.setColor(Color.BLUE);
    g.fillRect(32, 0, 32, 16);
    g.setColor(Color.GREEN);
    g.fillRect(0, 16, 32, 16);
    g.setColor(Color.WHITE);
    g.fillRect(32, 16, 32, 16);
    g.dispose();
    return img;
  }

  private static byte[] quadrants(String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(quadrantsImage(), format, out);
    return out.toByteArray();
  }

  /** The TIFF payload of an EXIF block: header and an IFD0 with one orientation entry (cut short if truncated). */
  private static byte[] tiffExif(int orientation, ByteOrder order, boolean truncated) {
    byte[] seg = app1(orientation, order, truncated);
    return java.util.Arrays.copyOfRange(seg, 4 + 6, seg.length);
  }

  /** A PNG with an eXIf chunk (data as given) right after IHDR, CRC correct. */
  private static byte[] pngWithExif(byte[] data) throws IOException {
    byte[] png = quadrants("png");
    int ihdrEnd = 8 + 4 + 4 + 13 + 4;
    ByteBuffer chunk = ByteBuffer.allocate(12 + data.length).order(ByteOrder.BIG_ENDIAN);
    chunk
        .putInt(data.length)
        .put("eXIf".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
        .put(data);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(chunk.array(), 4, 4 + data.length);
    chunk.putInt((int) crc.getValue());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, ihdrEnd);
    out.write(chunk.array(), 0, chunk.capacity());
    out.write(png, ihdrEnd, png.length - ihdrEnd);
    return out.toByteArray();
  }

  /** A TIFF whose IFD holds Orientation = orientation, written by ImageIO's TIFF writer. */
  private static byte[] tiffWithOrientation(int orientation) throws IOException {
    javax.imageio.ImageWriter w = ImageIO.getImageWritersByFormatName("tiff").next();
    BufferedImage img = quadrantsImage();
    javax.imageio.ImageTypeSpecifier type =
        javax.imageio.ImageTypeSpecifier.createFromRenderedImage(img);
    javax.imageio.metadata.IIOMetadata md =
        w.getDefaultImageMetadata(type, w.getDefaultWriteParam());
    javax.imageio.plugins.tiff.TIFFDirectory dir =
        javax.imageio.plugins.tiff.TIFFDirectory.createFromMetadata(md);
    dir.addTIFFField(new javax.imageio.plugins.tiff.TIFFField(
        javax.imageio.plugins.tiff.BaselineTIFFTagSet.getInstance().getTag(274), orientation));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      w.setOutput(ios);
      w.write(
          null,
          new javax.imageio.IIOImage(img, null, dir.getAsMetadata()),
          w.getDefaultWriteParam());
    } finally {
      w.dispose();
    }
    return out.toByteArray();
  }

  /** An APP1 "Exif" segment whose IFD0 holds one orientation entry. */
  private static byte[] app1(int orientation, ByteOrder order, boolean truncated) {
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(order);
    tiff.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
    tiff.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
    tiff.putShort((short) 42).putInt(8);
    tiff.putShort((short) 1);
    tiff.putShort((short) 0x0112)
        .putShort((short) 3)
        .putInt(1)
        .putShort((short) orientation)
        .putShort((short) 0);
    tiff.putInt(0);
    byte[] body = tiff.array();
    int bodyLength = truncated ? 12 : body.length; // truncated: the IFD entry is cut off
    ByteBuffer seg = ByteBuffer.allocate(4 + 6 + bodyLength).order(ByteOrder.BIG_ENDIAN);
    seg.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + bodyLength));
    seg.put("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
        .put(body, 0, bodyLength);
    return seg.array();
  }

  /** The JPEG with the segment inserted after its JFIF APP0 (where cameras put theirs when they write one). */
  private static byte[] withSegment(byte[] jpeg, byte[] segment) {
    int app0End = 2 + 2 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, app0End);
    out.write(segment, 0, segment.length);
    out.write(jpeg, app0End, jpeg.length - app0End);
    return out.toByteArray();
  }

  private BgrImage decode(byte[] bytes) {
    return decoder.decode(new ByteArrayInputStream(bytes), "photo.jpg");
  }

  private BgrImage decode(byte[] bytes, String name) {
    return decoder.decode(new ByteArrayInputStream(bytes), name);
  }

  /** The color name at (x, y), from the dominant channel(s). */
  private static String colorAt(BgrImage img, int x, int y) {
    int i = (y * img.width() + x) * 3;
    int b = img.data()[i] & 0xFF;
    int g = img.data()[i + 1] & 0xFF;
    int r = img.data()[i + 2] & 0xFF;
    if (r > 200 && g > 200 && b > 200) {
      return "white";
    }
    return r > 200 ? "red" : g > 200 ? "green" : b > 200 ? "blue" : "?" + r + "," + g + "," + b;
  }

  /** Colors at the centres of the four quadrants of the decoded image: TL, TR, BL, BR. */
  private static String quadrants(BgrImage img) {
    int w = img.width();
    int h = img.height();
    return colorAt(img, w / 4, h / 4) + " " + colorAt(img, 3 * w / 4, h / 4) + " "
        + colorAt(img, w / 4, 3 * h / 4) + " " + colorAt(img, 3 * w / 4, 3 * h / 4);
  }

  @Test
  void everyOrientationIsTurnedUpright() throws IOException {
    byte[] jpeg = quadrantsJpeg();
    // stored: red blue / green white; what a viewer shows for each tag value
    String[] shown = {
      null,
      "red blue green white", // 1
      "blue red white green", // 2 mirrored
      "white green blue red", // 3 rotated 180
      "green white red blue", // 4 flipped
      "red green blue white", // 5 transposed
      "green red white blue", // 6 rotate 90 clockwise to view
      "white blue green red", // 7 transversed
      "blue white red green", // 8 rotate 90 counter-clockwise to view
    };
    for (int o = 1; o <= 8; o++) {
      for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
        BgrImage img = decode(withSegment(jpeg, app1(o, order, false)));
        boolean swapped = o >= 5;
        assertEquals(swapped ? 32 : 64, img.width(), "orientation " + o);
        assertEquals(swapped ? 64 : 32, img.height(), "orientation " + o);
        assertEquals(shown[o], quadrants(img), "orientation " + o + " " + order);
      }
    }
  }

  @Test
  void noOrMalformedExifLeavesThePixelsAsStored() throws IOException {
    byte[] jpeg = quadrantsJpeg();
    assertEquals("red blue green white", quadrants(decode(jpeg)));
    BgrImage cut = decode(withSegment(jpeg, app1(6, ByteOrder.BIG_ENDIAN, true)));
    assertEquals(64, cut.width());
    assertEquals("red blue green white", quadrants(cut));
    BgrImage bad = decode(withSegment(jpeg, app1(42, ByteOrder.BIG_ENDIAN, false)));
    assertEquals("red blue green white", quadrants(bad));
  }

  @Test
  void parseReadsOnlyExifSegments() {
    assertEquals(0, ExifOrientation.parse("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>".getBytes()));
    byte[] seg = app1(6, ByteOrder.LITTLE_ENDIAN, false);
    byte[] payload = java.util.Arrays.copyOfRange(seg, 4, seg.length);
    assertEquals(6, ExifOrientation.parse(payload));
    assertTrue(ExifOrientation.parse(new byte[3]) == 0);
  }

  @Test
  void pngAndTiffOrientationIsTurnedUprightToo() throws IOException {
    // as OpenCV's imread: a PNG's eXIf chunk (with or without the "Exif\0\0" prefix), a TIFF's
    // Orientation field
    for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
      BgrImage png = decode(pngWithExif(tiffExif(6, order, false)), "photo.png");
      assertEquals(32, png.width(), "png " + order);
      assertEquals("green red white blue", quadrants(png), "png " + order);
    }
    byte[] prefixed =
        java.util.Arrays.copyOfRange(app1(3, ByteOrder.BIG_ENDIAN, false), 4, 4 + 6 + 26);
    assertEquals("white green blue red", quadrants(decode(pngWithExif(prefixed), "photo.png")));
    BgrImage tiff = decode(tiffWithOrientation(8), "photo.tif");
    assertEquals(64, tiff.height());
    assertEquals("blue white red green", quadrants(tiff));
    assertEquals("red blue green white", quadrants(decode(tiffWithOrientation(1), "photo.tif")));
  }

  @Test
  void aBrokenPngExifChunkLeavesThePixelsAsStored() throws IOException {
    assertEquals("red blue green white", quadrants(decode(quadrants("png"), "photo.png")));
    BgrImage cut = decode(pngWithExif(tiffExif(6, ByteOrder.BIG_ENDIAN, true)), "photo.png");
    assertEquals(64, cut.width());
    assertEquals("red blue green white", quadrants(cut));
    assertEquals(
        "red blue green white", quadrants(decode(pngWithExif(new byte[] {1, 2, 3}), "photo.png")));
    assertEquals(
        "red blue green white",
        quadrants(decode(pngWithExif(tiffExif(9, ByteOrder.BIG_ENDIAN, false)), "photo.png")));
  }
}
