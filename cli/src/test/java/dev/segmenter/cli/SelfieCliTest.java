package dev.segmenter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped selfie model on a real photograph: soft cut-out, probabilities, background replacement, demo. */
class SelfieCliTest {
  private static final Path PHOTO = TestModels.ROOT.resolve("models/photos/astronaut.jpg");

  @Test
  void cutoutProbAndBlurredBackground(@TempDir Path out) throws Exception {
    CliRunner.Result r = CliRunner.run(
        "segment",
        PHOTO.toString(),
        "--model",
        "selfie",
        "--outputs",
        "cutout,prob",
        "--background",
        "blur",
        "--out",
        out.toString(),
        "-q");
    assertEquals(0, r.code(), r.err());
    BufferedImage cut = ImageIO.read(out.resolve("astronaut.cutout.png").toFile());
    BufferedImage prob = ImageIO.read(out.resolve("astronaut.prob.png").toFile());
    BgrImage bg = new ImageDecoder().read(out.resolve("astronaut.background.png"));
    BgrImage photo = new ImageDecoder().read(PHOTO);
    assertEquals(384, cut.getWidth());
    assertEquals(16, prob.getColorModel().getPixelSize(), "prob.png is 16-bit gray");
    int soft = 0;
    int opaque = 0;
    int clear = 0;
    long changedWhereClear = 0;
    long keptWhereOpaque = 0;
    for (int y = 0; y < 384; y++) {
      for (int x = 0; x < 384; x++) {
        int a = cut.getRGB(x, y) >>> 24;
        int p = y * 384 + x;
        boolean same = true;
        for (int k = 0; k < 3; k++) {
          same &= bg.data()[3 * p + k] == photo.data()[3 * p + k];
        }
        if (a == 0) {
          clear++;
          changedWhereClear += same ? 0 : 1;
        } else if (a == 255) {
          opaque++;
          keptWhereOpaque += same ? 1 : 0;
        } else {
          soft++;
        }
        int pr = prob.getRaster().getSample(x, y, 0);
        assertTrue(
            Math.abs(pr / 65535.0 - a / 255.0) <= 1.5 / 255,
            "prob and cut-out alpha agree at " + x + "," + y);
      }
    }
    assertTrue(
        opaque > 0.4 * 384 * 384 && clear > 0.3 * 384 * 384,
        "opaque " + opaque + ", clear " + clear);
    assertTrue(soft > 300, "a soft edge around the person: " + soft + " pixels between 0 and 255");
    assertTrue(keptWhereOpaque == opaque, "the person's pixels are the photo's");
    assertTrue(
        changedWhereClear > 0.9 * clear,
        "the background is blurred: " + changedWhereClear + " of " + clear);
  }

  @Test
  void hardEdgesAndAColorBackground(@TempDir Path out) throws Exception {
    CliRunner.Result r = CliRunner.run(
        "segment",
        PHOTO.toString(),
        "--model",
        "selfie",
        "--outputs",
        "cutout",
        "--background",
        "0,255,0",
        "--hard-edges",
        "--out",
        out.toString(),
        "-q");
    assertEquals(0, r.code(), r.err());
    BufferedImage cut = ImageIO.read(out.resolve("astronaut.cutout.png").toFile());
    BufferedImage bg = ImageIO.read(out.resolve("astronaut.background.png").toFile());
    int green = 0;
    for (int y = 0; y < 384; y++) {
      for (int x = 0; x < 384; x++) {
        int a = cut.getRGB(x, y) >>> 24;
        assertTrue(a == 0 || a == 255, "hard edges: alpha " + a);
        if (a == 0) {
          assertEquals(0x00FF00, bg.getRGB(x, y) & 0xFFFFFF);
          green++;
        }
      }
    }
    assertTrue(green > 0.3 * 384 * 384);
  }

  @Test
  void onlyOpenCvReadsTheModelAndABadBackgroundIsAUsageError(@TempDir Path out) {
    CliRunner.Result r = CliRunner.run(
        "segment",
        PHOTO.toString(),
        "--model",
        "selfie",
        "--backend",
        "onnxruntime",
        "--out",
        out.toString(),
        "-q");
    assertEquals(ExitCode.UNAVAILABLE, r.code(), r.err());
    assertTrue(
        r.err()
            .contains(
                "backend 'onnxruntime' reads onnx but the model has tflite; only opencv reads tflite: "
                    + "pick opencv or auto"),
        r.err());
    CliRunner.Result b = CliRunner.run(
        "segment",
        PHOTO.toString(),
        "--model",
        "selfie",
        "--background",
        "nope.jpg",
        "--out",
        out.toString(),
        "-q");
    assertEquals(ExitCode.USAGE, b.code(), b.err());
    assertTrue(
        b.err()
            .contains(
                "--background nope.jpg: background 'nope.jpg' is neither a color, blur, nor an "
                    + "existing image file"),
        b.err());
  }

  @Test
  void demoOnTheBundledPhotograph(@TempDir Path out) throws Exception {
    CliRunner.Result r = CliRunner.run(
        "demo", "--model", "selfie", "--background", "white", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out()
            .contains(
                "Photograph astronaut.jpg (public domain, NASA), 384x384; model selfie on opencv"),
        r.out());
    for (String f :
        new String[] {"demo.report.png", "demo.cutout.png", "demo.background.png", "demo.prob.png"
        }) {
      assertTrue(Files.size(out.resolve(f)) > 1000, f);
    }
    BufferedImage bg = ImageIO.read(out.resolve("demo.background.png").toFile());
    assertEquals(
        0xFFFFFF, bg.getRGB(380, 5) & 0xFFFFFF, "the top-right corner is background, now white");
  }
}
