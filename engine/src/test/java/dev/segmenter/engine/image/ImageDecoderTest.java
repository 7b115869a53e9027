package dev.segmenter.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ImageException;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
  @TempDir
  Path tmp;

  private final ImageDecoder decoder = new ImageDecoder();

  /** A 40x30 image with distinct, smooth colors (so JPEG stays close). */
  private static BufferedImage pattern() {
    BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        int r = x < 20 ? 220 : 30;
        int g = y < 15 ? 200 : 60;
        int b = 100;
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return img;
  }

  private Path write(BufferedImage img, String format, String name) throws IOException {
    Path f = tmp.resolve(name);
    assertTrue(ImageIO.write(img, format, f.toFile()), "ImageIO has a " + format + " writer");
    return f;
  }

  private static int[] bgr(BgrImage img, int x, int y) {
    int i = 3 * (y * img.width() + x);
    return new int[] {img.data()[i] & 0xFF, img.data()[i + 1] & 0xFF, img.data()[i + 2] & 0xFF};
  }

  private static void assertPattern(BgrImage img, int tolerance, String what) {
    assertEquals(40, img.width(), what);
    assertEquals(30, img.height(), what);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        int[] p = bgr(img, x, y);
        int[] want = {100, y < 15 ? 200 : 60, x < 20 ? 220 : 30};
        // JPEG blurs edges; compare away from them
        boolean edge = Math.abs(x - 19.5) < 8 || Math.abs(y - 14.5) < 8;
        if (tolerance > 0 && edge) {
          continue;
        }
        for (int c = 0; c < 3; c++) {
          assertTrue(
              Math.abs(p[c] - want[c]) <= tolerance,
              what + " channel " + c + " at " + x + "," + y + ": " + Arrays.toString(p) + " vs "
                  + Arrays.toString(want));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"png", "bmp", "gif", "tiff"})
  void losslessFormatsReadBackExactlyAsBgr(String format) throws IOException {
    BgrImage img = decoder.read(write(pattern(), format, "p." + format));
    assertPattern(img, 0, format);
  }

  @Test
  void jpegReadsBackApproximately() throws IOException {
    assertPattern(decoder.read(write(pattern(), "jpg", "p.jpg")), 16, "jpeg");
    assertPattern(decoder.read(write(pattern(), "jpg", "p.jpeg")), 16, "jpeg");
  }

  @Test
  void grayImagesBecomeEqualBgr() throws IOException {
    BufferedImage g8 = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
    g8.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 128, 255});
    BgrImage a = decoder.read(write(g8, "png", "g8.png"));
    assertEquals(Arrays.toString(new int[] {128, 128, 128}), Arrays.toString(bgr(a, 1, 0)));
    assertEquals(Arrays.toString(new int[] {255, 255, 255}), Arrays.toString(bgr(a, 2, 0)));
    assertEquals(Arrays.toString(new int[] {0, 0, 0}), Arrays.toString(bgr(a, 0, 0)));

    BufferedImage g16 = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
    g16.getRaster().setPixels(0, 0, 3, 1, new int[] {50 * 257, 128 * 257, 65535});
    BgrImage b = decoder.read(write(g16, "png", "g16.png"));
    assertEquals(Arrays.toString(new int[] {50, 50, 50}), Arrays.toString(bgr(b, 0, 0)));
    assertEquals(Arrays.toString(new int[] {128, 128, 128}), Arrays.toString(bgr(b, 1, 0)));
    assertEquals(Arrays.toString(new int[] {255, 255, 255}), Arrays.toString(bgr(b, 2, 0)));
  }

  /** Gray + alpha (a TYPE_CUSTOM image): samples are taken as they are, not gamma-converted. */
  @ParameterizedTest
  @ValueSource(ints = {8, 16})
  void grayWithAlphaKeepsItsGrayLevels(int bits) throws IOException {
    int max = (1 << bits) - 1;
    ComponentColorModel cm = new ComponentColorModel(
        ColorSpace.getInstance(ColorSpace.CS_GRAY),
        new int[] {bits, bits},
        true,
        false,
        Transparency.TRANSLUCENT,
        bits == 8 ? DataBuffer.TYPE_BYTE : DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(4, 1);
    int[] gray = {77, 200, 255, 200};
    int[] alpha = {255, 255, 0, 128};
    for (int x = 0; x < 4; x++) {
      raster.setSample(x, 0, 0, gray[x] * max / 255);
      raster.setSample(x, 0, 1, alpha[x] * max / 255);
    }
    BufferedImage img = new BufferedImage(cm, raster, false, null);
    BgrImage direct = BgrImage.from(img);
    BgrImage decoded = decoder.read(write(img, "png", "la" + bits + ".png"));
    for (BgrImage b : new BgrImage[] {direct, decoded}) {
      assertEquals(
          Arrays.toString(new int[] {77, 77, 77}), Arrays.toString(bgr(b, 0, 0)), bits + " bit");
      assertEquals(
          Arrays.toString(new int[] {200, 200, 200}), Arrays.toString(bgr(b, 1, 0)), bits + " bit");
      assertEquals(
          Arrays.toString(new int[] {0, 0, 0}),
          Arrays.toString(bgr(b, 2, 0)),
          bits + " bit: transparent");
      assertTrue(
          Math.abs(bgr(b, 3, 0)[1] - 100) <= 1, bits + " bit: half transparent " + bgr(b, 3, 0)[1]);
    }
  }

  @Test
  void alphaIsCompositedOverBlack() throws IOException {
    BufferedImage argb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0xFF102030); // opaque
    argb.setRGB(1, 0, 0x00FFFFFF); // fully transparent white
    argb.setRGB(2, 0, 0x80FF0000); // half red
    BgrImage img = decoder.read(write(argb, "png", "a.png"));
    assertEquals(Arrays.toString(new int[] {0x30, 0x20, 0x10}), Arrays.toString(bgr(img, 0, 0)));
    assertEquals(Arrays.toString(new int[] {0, 0, 0}), Arrays.toString(bgr(img, 1, 0)));
    int[] half = bgr(img, 2, 0);
    assertEquals(0, half[0]);
    assertEquals(0, half[1]);
    assertTrue(Math.abs(half[2] - 128) <= 1, Arrays.toString(half));
  }

  /**
   * Indexed images: a full 256-entry palette and 8 rows, because the JDK's own GIF and BMP writers
   * mis-write tiny palettes and 2..4-row GIFs (the files, not the decoder, are then wrong).
   */
  @ParameterizedTest
  @ValueSource(strings = {"png", "gif", "bmp"})
  void indexedColorsAreLookedUp(String format) throws IOException {
    byte[] r = new byte[256];
    byte[] g = new byte[256];
    byte[] b = new byte[256];
    for (int i = 0; i < 256; i++) {
      r[i] = (byte) (i * 7);
      g[i] = (byte) (255 - i);
      b[i] = (byte) (i * 3 + 1);
    }
    BufferedImage ix = new BufferedImage(
        5, 8, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 5; x++) {
        ix.getRaster().setSample(x, y, 0, (x * 37 + y * 11) % 256);
      }
    }
    BgrImage img = decoder.read(write(ix, format, "ix." + format));
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 5; x++) {
        int i = (x * 37 + y * 11) % 256;
        int[] want = {b[i] & 0xFF, g[i] & 0xFF, r[i] & 0xFF};
        assertEquals(
            Arrays.toString(want), Arrays.toString(bgr(img, x, y)), format + " at " + x + "," + y);
      }
    }
  }

  /**
   * A 64x32 fixture of quadrants RGB (82,127,160) (200,100,50) / (128,128,128) (30,60,90), made by Pillow, must
   * decode to {@code want} (BGR, OpenCV 4.6's imread of the same file) within {@code tolerance} at each centre.
   */
  private void assertQuadrants(String fixture, int[][] want, int tolerance) throws IOException {
    Path f = tmp.resolve(fixture);
    try (var in = ImageDecoderTest.class.getResourceAsStream("/images/" + fixture)) {
      Files.copy(in, f);
    }
    BgrImage img = decoder.read(f);
    assertEquals(64, img.width(), fixture);
    int[][] at = {{16, 8}, {48, 8}, {16, 24}, {48, 24}};
    for (int q = 0; q < 4; q++) {
      int[] got = bgr(img, at[q][0], at[q][1]);
      for (int c = 0; c < 3; c++) {
        assertTrue(
            Math.abs(got[c] - want[q][c]) <= tolerance,
            fixture + " quadrant " + q + ": " + Arrays.toString(got));
      }
    }
  }

  @Test
  void cmykJpegGetsTheColorsOpenCvShows() throws IOException {
    // saved as CMYK (Adobe marker, inverted samples); Java2D's print-profile conversion was off by
    // up to 70 levels
    assertQuadrants(
        "quadrants-cmyk.jpg",
        new int[][] {{161, 128, 83}, {51, 101, 201}, {129, 129, 129}, {91, 61, 31}},
        3);
  }

  @Test
  void webpDecodesLosslessExactlyAndLossyAsOpenCvDoes() throws IOException {
    assertQuadrants(
        "quadrants-lossless.webp",
        new int[][] {{160, 127, 82}, {50, 100, 200}, {128, 128, 128}, {90, 60, 30}},
        0);
    assertQuadrants(
        "quadrants-lossy.webp",
        new int[][] {{160, 127, 82}, {50, 100, 201}, {128, 128, 128}, {91, 61, 29}},
        3);
    assertTrue(ImageDecoder.hasImageExtension(Path.of("a/B.WEBP")), "folders pick up .webp files");
  }

  @Test
  void aWebpShorterThanItsHeaderSaysIsRefused() throws IOException {
    byte[] webp;
    try (var in = ImageDecoderTest.class.getResourceAsStream("/images/quadrants-lossy.webp")) {
      webp = in.readAllBytes();
    }
    assertEquals(webp.length, ImageDecoder.webpLength(webp));
    assertRefused(
        Files.write(tmp.resolve("cut.webp"), Arrays.copyOf(webp, webp.length - 5)), "truncated");
  }

  @Test
  void threeByteBgrIsWrappedWithoutChangingBytes() {
    BufferedImage src = new BufferedImage(5, 4, BufferedImage.TYPE_3BYTE_BGR);
    src.setRGB(2, 1, 0x123456);
    BgrImage img = BgrImage.from(src);
    assertEquals(Arrays.toString(new int[] {0x56, 0x34, 0x12}), Arrays.toString(bgr(img, 2, 1)));
    BufferedImage back = img.toBufferedImage();
    assertEquals(0x123456, back.getRGB(2, 1) & 0xFFFFFF);
    // a sub-image is copied, not wrapped with the parent's offsets
    BgrImage sub = BgrImage.from(src.getSubimage(2, 1, 2, 2));
    assertEquals(2, sub.width());
    assertEquals(Arrays.toString(new int[] {0x56, 0x34, 0x12}), Arrays.toString(bgr(sub, 0, 0)));
  }

  private void assertRefused(Path file, String... words) {
    ImageException e = assertThrows(ImageException.class, () -> decoder.read(file));
    assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
    for (String w : words) {
      assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
    }
  }

  @Test
  void brokenInputsAreImageExceptionsNamingTheFile() throws IOException {
    assertRefused(Files.write(tmp.resolve("empty.png"), new byte[0]), "empty");
    assertRefused(
        Files.writeString(
            tmp.resolve("text.png"), "this is not a picture\n", StandardCharsets.UTF_8),
        "not an image");
    assertRefused(Files.createDirectories(tmp.resolve("folder.png")), "directory");
    assertRefused(tmp.resolve("missing.png"), "no such file");

    BufferedImage noisy = new BufferedImage(200, 150, BufferedImage.TYPE_3BYTE_BGR);
    Random r = new Random(42);
    for (int y = 0; y < 150; y++) {
      for (int x = 0; x < 200; x++) {
        noisy.setRGB(x, y, r.nextInt());
      }
    }
    for (String format : new String[] {"png", "jpg", "gif", "bmp", "tiff"}) {
      byte[] whole = Files.readAllBytes(write(noisy, format, "whole." + format));
      Path half =
          Files.write(tmp.resolve("half." + format), Arrays.copyOf(whole, whole.length / 2));
      assertRefused(half, "truncated");
    }
  }

  /** A PNG whose IHDR declares {@code w x h}, with valid CRCs and a tiny IDAT. */
  private static byte[] pngDeclaring(int w, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(
        out,
        "IHDR",
        ByteBuffer.allocate(13)
            .putInt(w)
            .putInt(h)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0)
            .array());
    Deflater d = new Deflater();
    d.setInput(new byte[] {0, 0, 0, 0});
    d.finish();
    byte[] buf = new byte[64];
    int n = d.deflate(buf);
    chunk(out, "IDAT", Arrays.copyOf(buf, n));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data)
      throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void hugeDeclaredSizeIsRefusedBeforeDecoding() throws IOException {
    Path bomb = Files.write(tmp.resolve("bomb.png"), pngDeclaring(100_000, 100_000));
    assertRefused(bomb, "100000x100000", "limit");
    // the same file passes the size check with a high enough limit, so the refusal above is the
    // limit's doing
    Path small = Files.write(tmp.resolve("small.png"), pngDeclaring(1, 1));
    assertEquals(1, decoder.read(small).width());
    ImageDecoder strict = new ImageDecoder(99);
    BgrImage ok =
        strict.read(write(new BufferedImage(9, 11, BufferedImage.TYPE_INT_RGB), "png", "99.png"));
    assertEquals(99, ok.pixels());
    ImageException e = assertThrows(
        ImageException.class,
        () -> strict.read(
            write(new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB), "png", "100.png")));
    assertTrue(e.getMessage().contains("100.png") && e.getMessage().contains("99"), e.getMessage());
  }

  @Test
  void imageExtensions() {
    assertTrue(ImageDecoder.hasImageExtension(Path.of("a/B.JPG")));
    assertTrue(ImageDecoder.hasImageExtension(Path.of("x.tiff")));
    assertFalse(ImageDecoder.hasImageExtension(Path.of("x.txt")));
    assertFalse(ImageDecoder.hasImageExtension(Path.of("png")));
  }
}
