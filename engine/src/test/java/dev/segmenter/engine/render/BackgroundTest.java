package dev.segmenter.engine.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ConfigException;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.image.ImageDecoder;
import dev.segmenter.engine.kernels.Kernels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackgroundTest {
  private static final ImageDecoder DECODER = new ImageDecoder();

  private static BgrImage random(int w, int h, long seed) {
    byte[] d = new byte[3 * w * h];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < d.length; i++) {
      d[i] = (byte) r.nextInt(256);
    }
    return new BgrImage(w, h, d);
  }

  @Test
  void colorWhereAlphaIsZeroImageWhereItIsFullAndTheMixBetween() {
    BgrImage img = random(37, 11, 1);
    byte[] alpha = new byte[img.pixels()];
    for (int i = 0; i < alpha.length; i++) {
      alpha[i] = (byte) (i % 3 == 0 ? 0 : i % 3 == 1 ? 255 : 128);
    }
    BgrImage out =
        Background.parse("#2E7D32", DECODER).render(img, alpha, Kernels.get().composite());
    for (int p = 0; p < img.pixels(); p++) {
      for (int k = 0; k < 3; k++) {
        int src = img.data()[3 * p + k] & 0xFF;
        int bg = new int[] {0x32, 0x7D, 0x2E}[k]; // BGR of #2E7D32
        int want =
            p % 3 == 0 ? bg : p % 3 == 1 ? src : (int) Math.round((src * 128 + bg * 127) / 255.0);
        assertEquals(want, out.data()[3 * p + k] & 0xFF, "pixel " + p + " channel " + k);
      }
    }
  }

  @Test
  void colorsAndBlurParse() {
    assertEquals("#ffffff", Background.parse("white", DECODER).toString());
    assertEquals("#0a141e", Background.parse("10, 20,30", DECODER).toString());
    assertEquals("blur:15", Background.parse("blur", DECODER).toString());
    assertEquals("blur:4", Background.parse("BLUR:4", DECODER).toString());
    ConfigException e =
        assertThrows(ConfigException.class, () -> Background.parse("nosuch.png", DECODER));
    assertTrue(
        e.getMessage()
            .startsWith(
                "background 'nosuch.png' is neither a color, blur, nor an existing image file; "
                    + "accepted: #RRGGBB, R,G,B, a color name"),
        e.getMessage());
    assertThrows(ConfigException.class, () -> Background.parse("blur:0", DECODER));
    assertThrows(ConfigException.class, () -> Background.parse("blur:x", DECODER));
    assertThrows(ConfigException.class, () -> Background.parse("1,2,300", DECODER));
  }

  @Test
  void blurKeepsAFlatImageFlatAndSmoothsNoise() {
    BgrImage flat = new BgrImage(20, 9, new byte[3 * 20 * 9]);
    java.util.Arrays.fill(flat.data(), (byte) 77);
    BgrImage b = Background.blurred(flat, 3);
    for (byte v : b.data()) {
      assertEquals(77, v & 0xFF);
    }
    BgrImage noise = random(64, 48, 2);
    BgrImage smooth = Background.blurred(noise, 5);
    assertTrue(
        spread(smooth) < spread(noise) / 4,
        "blur reduces the spread of noise: " + spread(smooth) + " vs " + spread(noise));
  }

  private static double spread(BgrImage img) {
    double sum = 0;
    double sq = 0;
    for (byte v : img.data()) {
      sum += v & 0xFF;
      sq += (v & 0xFF) * (v & 0xFF);
    }
    int n = img.data().length;
    return Math.sqrt(sq / n - (sum / n) * (sum / n));
  }

  @Test
  void aPictureCoversTheImageKeepingItsAspect(@TempDir Path dir) throws Exception {
    // a 40x10 picture: left half red, right half blue; on a 10x10 image the centre crop shows the
    // middle
    BgrImage pic = new BgrImage(40, 10, new byte[3 * 400]);
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 40; x++) {
        pic.data()[3 * (y * 40 + x) + (x < 20 ? 2 : 0)] = (byte) 255;
      }
    }
    Path file = dir.resolve("bg.png");
    PngOutputs.writeImage(pic, file);
    assertTrue(Files.isRegularFile(file));
    Background bg = Background.parse(file.toString(), DECODER);
    BgrImage c = bg.canvas(random(10, 10, 3));
    assertEquals(10, c.width());
    assertEquals(255, c.data()[3 * (5 * 10 + 1) + 2] & 0xFF, "left of centre is red");
    assertEquals(255, c.data()[3 * (5 * 10 + 8)] & 0xFF, "right of centre is blue");
    BgrImage tall = bg.canvas(random(8, 20, 4));
    assertEquals(8 * 20, tall.pixels());
  }
}
