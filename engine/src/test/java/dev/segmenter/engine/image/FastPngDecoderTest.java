package dev.segmenter.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.segmenter.engine.render.PngEncoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast PNG path gives exactly the pixels of the ImageIO path for every PNG it takes (ImageIO's adaptive filters
 * use all five filter types), and leaves every other PNG, and every damaged one, to the ImageIO path.
 */
class FastPngDecoderTest {
  @TempDir
  Path tmp;

  private static BufferedImage random(int w, int h, int type, Random rnd, boolean smooth) {
    BufferedImage img = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = smooth
            ? (x * 255 / Math.max(1, w - 1)) << 16
                | (y * 255 / Math.max(1, h - 1)) << 8
                | (x + y) & 0xFF
            : rnd.nextInt();
        img.setRGB(x, y, type == BufferedImage.TYPE_INT_ARGB ? rgb | 0xFF000000 : rgb);
      }
    }
    return img;
  }

  private BgrImage slow(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new ImageDecoder().decode(in, file.toString());
    }
  }

  @Test
  void takesGrayRgbAndOpaqueRgbaAndGivesTheImageIoPathsPixels() throws IOException {
    Random rnd = new Random(11);
    int n = 0;
    for (int[] size : new int[][] {{1, 1}, {2, 1}, {1, 3}, {5, 4}, {33, 17}, {257, 64}}) {
      for (int type : new int[] {
        BufferedImage.TYPE_3BYTE_BGR,
        BufferedImage.TYPE_BYTE_GRAY,
        BufferedImage.TYPE_INT_ARGB,
        BufferedImage.TYPE_INT_RGB
      }) {
        for (boolean smooth : new boolean[] {true, false}) {
          Path f = tmp.resolve("img-" + n++ + ".png");
          ImageIO.write(random(size[0], size[1], type, rnd, smooth), "png", f.toFile());
          byte[] bytes = Files.readAllBytes(f);
          FastPngDecoder.Decoded fast = FastPngDecoder.decode(bytes, Long.MAX_VALUE);
          assertNotNull(fast, f + " should take the fast path");
          BgrImage want = slow(f);
          assertEquals(want.width(), fast.image().width());
          assertEquals(want.height(), fast.image().height());
          assertArrayEquals(
              want.data(), fast.image().data(), f + " " + Arrays.toString(size) + " type " + type);
          assertArrayEquals(want.data(), new ImageDecoder().read(f).data(), f + " through read()");
        }
      }
    }
    // this engine's own encoder (filter Up) and every filter it has
    BgrImage scene = BgrImage.from(random(300, 41, BufferedImage.TYPE_3BYTE_BGR, rnd, true));
    for (PngEncoder.Filter filter : PngEncoder.Filter.values()) {
      Path f = tmp.resolve("enc-" + filter + ".png");
      Files.write(
          f, PngEncoder.toBytes(out -> new PngEncoder(1, filter).bgr(scene.data(), 300, 41, out)));
      assertArrayEquals(
          scene.data(),
          FastPngDecoder.decode(Files.readAllBytes(f), Long.MAX_VALUE).image().data());
    }
  }

  @Test
  void leavesOtherKindsAndDamagedFilesToTheImageIoPath() throws IOException {
    Random rnd = new Random(12);
    BufferedImage rgb = random(20, 10, BufferedImage.TYPE_3BYTE_BGR, rnd, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(rgb, "png", out);
    byte[] good = out.toByteArray();
    assertNotNull(FastPngDecoder.decode(good, Long.MAX_VALUE));
    // above the pixel limit: the usual path refuses it with its message
    assertNull(FastPngDecoder.decode(good, 199));
    // a flipped byte anywhere after the signature breaks a CRC; a cut anywhere loses IEND
    for (int i = 8; i < good.length; i += 7) {
      byte[] bad = good.clone();
      bad[i] ^= 0x10;
      assertNull(FastPngDecoder.decode(bad, Long.MAX_VALUE), "flipped byte " + i);
      assertNull(FastPngDecoder.decode(Arrays.copyOf(good, i), Long.MAX_VALUE), "cut at " + i);
    }
    // palette, 16-bit, translucent: not its kind
    BufferedImage indexed = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED);
    BufferedImage gray16 = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
    BufferedImage translucent = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
    translucent.setRGB(3, 3, 0x80FF0000);
    for (BufferedImage img : new BufferedImage[] {indexed, gray16, translucent}) {
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      ImageIO.write(img, "png", o);
      assertNull(FastPngDecoder.decode(o.toByteArray(), Long.MAX_VALUE), "type " + img.getType());
    }
    assertNull(FastPngDecoder.decode(
        "not a png at all, just some text here ...".getBytes(), Long.MAX_VALUE));
  }
}
