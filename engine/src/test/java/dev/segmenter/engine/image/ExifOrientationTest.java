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
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", out);
    return out.toByteArray();
  }

  /** An APP1 "Exif" segment whose IFD0 holds one orientation entry. */
  private static byte[] app1(int orientation, ByteOrder order, boolean truncated) {
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(order);
    tiff.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
    tiff.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
    tiff.putShort((short) 42).putInt(8);
    tiff.putShort((short) 1);
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0);
    byte[] body = tiff.array();
    int bodyLength = truncated ? 12 : body.length; // truncated: the IFD entry is cut off
    ByteBuffer seg = ByteBuffer.allocate(4 + 6 + bodyLength).order(ByteOrder.BIG_ENDIAN);
    seg.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + bodyLength));
    seg.put("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).put(body, 0, bodyLength);
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
      "red blue green white",   // 1
      "blue red white green",   // 2 mirrored
      "white green blue red",   // 3 rotated 180
      "green white red blue",   // 4 flipped
      "red green blue white",   // 5 transposed
      "green red white blue",   // 6 rotate 90 clockwise to view
      "white blue green red",   // 7 transversed
      "blue white red green",   // 8 rotate 90 counter-clockwise to view
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
}
