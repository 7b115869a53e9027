package dev.segmenter.engine.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The fast encoder's files decode (with ImageIO's reader) to exactly what ImageIO's writer's files decode to:
 * same color type, depth, palette and every sample, for every filter and level, at sizes that end a row on every
 * byte offset and cross the encoder's block and IDAT chunk boundaries.
 */
class PngEncoderTest {
  private static final int[][] SIZES = {
    {1, 1}, {1, 7}, {2, 3}, {3, 2}, {7, 5}, {63, 1}, {64, 9}, {65, 33}, {333, 211}, {1024, 300}
  };

  @Test
  void gray8AndGray16AndIndexedAndBgrAndArgbDecodeAsImageIoWritesThem() throws IOException {
    Random rnd = new Random(42);
    for (int[] size : SIZES) {
      int w = size[0];
      int h = size[1];
      for (boolean flatContent : new boolean[] {true, false}) {
        BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        fill(((DataBufferByte) gray.getRaster().getDataBuffer()).getData(), rnd, flatContent);
        BufferedImage gray16 = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        short[] s = ((DataBufferUShort) gray16.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < s.length; i++) {
          s[i] = (short) (flatContent ? (i / 97) * 301 : rnd.nextInt(65536));
        }
        BufferedImage bgr = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        fill(((DataBufferByte) bgr.getRaster().getDataBuffer()).getData(), rnd, flatContent);
        BufferedImage argb = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        int[] a = ((DataBufferInt) argb.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < a.length; i++) {
          a[i] = flatContent ? (i % 3 == 0 ? 0 : 0xFF102030) : rnd.nextInt();
        }
        int[] pal = new int[256];
        for (int i = 0; i < 256; i++) {
          pal[i] = rnd.nextInt(1 << 24);
        }
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
          r[i] = (byte) (pal[i] >>> 16);
          g[i] = (byte) (pal[i] >>> 8);
          b[i] = (byte) pal[i];
        }
        BufferedImage indexed = new BufferedImage(
            w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
        fill(((DataBufferByte) indexed.getRaster().getDataBuffer()).getData(), rnd, flatContent);

        for (PngEncoder.Filter f : PngEncoder.Filter.values()) {
          for (int level : new int[] {-1, 0, 1, 6, 9}) {
            PngEncoder enc = level < 0 ? new PngEncoder(1, f, true) : new PngEncoder(level, f);
            String what = w + "x" + h + " " + f + (level < 0 ? " huffman-only" : " level " + level)
                + (flatContent ? " flat" : " noise");
            same(gray, encode(out -> enc.gray8(data(gray), w, h, out)), what + " gray8");
            same(gray16, encode(out -> enc.gray16(s, w, h, out)), what + " gray16");
            same(bgr, encode(out -> enc.bgr(data(bgr), w, h, out)), what + " bgr");
            same(argb, encode(out -> enc.argb(a, w, h, out)), what + " argb");
            same(
                indexed,
                encode(out -> enc.indexed8(data(indexed), w, h, pal, out)),
                what + " indexed");
          }
        }
      }
    }
  }

  @Test
  void pngOutputsUsesItForEveryTypeItWritesAndKeepsOtherTypesExact() throws IOException {
    Random rnd = new Random(7);
    for (int type : new int[] {
      BufferedImage.TYPE_BYTE_GRAY,
      BufferedImage.TYPE_3BYTE_BGR,
      BufferedImage.TYPE_INT_ARGB,
      BufferedImage.TYPE_INT_RGB,
      BufferedImage.TYPE_4BYTE_ABGR
    }) {
      BufferedImage img = new BufferedImage(37, 19, type);
      for (int y = 0; y < 19; y++) {
        for (int x = 0; x < 37; x++) {
          img.setRGB(x, y, rnd.nextInt());
        }
      }
      same(img, encode(out -> PngOutputs.encode(img, out)), "type " + type);
    }
  }

  @Test
  void badSizesAreRefused() {
    PngEncoder enc = PngEncoder.flat();
    assertThrows(
        IllegalArgumentException.class,
        () -> enc.gray8(new byte[5], 2, 3, new ByteArrayOutputStream()));
    assertThrows(
        IllegalArgumentException.class,
        () -> enc.bgr(new byte[0], 0, 1, new ByteArrayOutputStream()));
    assertThrows(IllegalArgumentException.class, () -> new PngEncoder(10, PngEncoder.Filter.NONE));
    assertThrows(
        IllegalArgumentException.class,
        () -> enc.indexed8(new byte[1], 1, 1, new int[257], new ByteArrayOutputStream()));
  }

  private static byte[] data(BufferedImage img) {
    return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
  }

  private static void fill(byte[] d, Random rnd, boolean flat) {
    if (flat) {
      for (int i = 0; i < d.length; i++) {
        d[i] = (byte) ((i / 50) % 7 * 31);
      }
    } else {
      rnd.nextBytes(d);
    }
  }

  private static byte[] encode(PngEncoder.PngWriteBody body) {
    return PngEncoder.toBytes(body);
  }

  /** {@code png} decodes to the same raster as ImageIO's own PNG of {@code expected}. */
  private static void same(BufferedImage expected, byte[] png, String what) throws IOException {
    ByteArrayOutputStream ref = new ByteArrayOutputStream();
    ImageIO.write(expected, "png", ref);
    BufferedImage want = ImageIO.read(new ByteArrayInputStream(ref.toByteArray()));
    BufferedImage got = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(want.getType(), got.getType(), what + ": image type");
    assertEquals(
        want.getColorModel().getPixelSize(),
        got.getColorModel().getPixelSize(),
        what + ": bits per pixel");
    assertEquals(want.getRaster().getNumBands(), got.getRaster().getNumBands(), what + ": bands");
    int w = want.getWidth();
    int h = want.getHeight();
    assertEquals(w, got.getWidth(), what);
    assertEquals(h, got.getHeight(), what);
    for (int band = 0; band < want.getRaster().getNumBands(); band++) {
      assertArrayEquals(
          want.getRaster().getSamples(0, 0, w, h, band, (int[]) null),
          got.getRaster().getSamples(0, 0, w, h, band, (int[]) null),
          what + ": band " + band);
    }
    if (want.getColorModel() instanceof IndexColorModel wi) {
      IndexColorModel gi = (IndexColorModel) got.getColorModel();
      int[] wr = new int[wi.getMapSize()];
      int[] gr = new int[gi.getMapSize()];
      wi.getRGBs(wr);
      gi.getRGBs(gr);
      assertArrayEquals(wr, gr, what + ": palette");
    }
  }
}
