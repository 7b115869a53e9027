package dev.segmenter.backend.opencv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.model.InputSpec;
import dev.segmenter.engine.model.Layout;
import dev.segmenter.engine.pipeline.Preprocessor;
import dev.segmenter.scenes.StreetScene;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;

/**
 * The engine's preprocessing equals OpenCV's {@code Dnn.blobFromImage} on the same image (max abs diff
 * {@code <= 1e-5}): stretch (crop=false) and centre crop (crop=true), with and without the channel swap,
 * for down- and up-scaling, odd sizes, the exact-2x path and the same-size copy.
 */
class BlobFromImageTest {

  @ParameterizedTest(name = "{0}x{1} -> {2}x{3} crop={4} swapRB={5}")
  @CsvSource({
    "640, 480, 512, 256, false, true",
    "37, 91, 512, 256, false, true",
    "1000, 700, 513, 513, false, false",
    "1024, 512, 512, 256, false, true",
    "512, 256, 512, 256, false, true",
    "13, 7, 64, 48, false, false",
    "300, 200, 301, 199, false, true",
    "640, 480, 512, 256, true, true",
    "333, 517, 224, 224, true, false",
    "1920, 1080, 500, 500, true, true",
    "16, 16, 520, 520, true, true"
  })
  void matchesBlobFromImage(int iw, int ih, int w, int h, boolean crop, boolean swapRb) {
    OpenCvBackend backend = new OpenCvBackend();
    assertTrue(backend.availability().available(), backend.availability().reason());
    long seed = 31L * iw + ih;
    for (int variant = 0; variant < 2; variant++) {
      BgrImage image = variant == 0
          ? BgrImage.from(
              StreetScene.generate(1_000_000L + seed, Math.max(iw, 16), Math.max(ih, 16))
                  .image())
          : random(iw, ih, seed);
      if (variant == 0 && (iw < 16 || ih < 16)) {
        continue;
      }
      double scale = 1 / 127.5;
      double[] mean = {123.675, 116.28, 103.53};
      InputSpec spec = new InputSpec(
          w,
          h,
          Layout.NCHW,
          swapRb,
          scale,
          mean,
          new double[] {1, 1, 1},
          crop ? InputSpec.Fit.CENTER_CROP : InputSpec.Fit.STRETCH,
          new double[] {0, 0, 0},
          null);
      float[] ours = new Preprocessor(spec).apply(image).tensor().floats();

      Mat mat = new Mat(image.height(), image.width(), CvType.CV_8UC3);
      mat.put(0, 0, image.data());
      Mat blob = Dnn.blobFromImage(
          mat, scale, new Size(w, h), new Scalar(mean[0], mean[1], mean[2]), swapRb, crop);
      assertArrayEquals(
          new int[] {1, 3, h, w},
          new int[] {blob.size(0), blob.size(1), blob.size(2), blob.size(3)});
      float[] theirs = new float[3 * w * h];
      blob.reshape(1, 1).get(0, 0, theirs);
      mat.release();
      blob.release();
      double max = 0;
      for (int i = 0; i < ours.length; i++) {
        max = Math.max(max, Math.abs(ours[i] - theirs[i]));
      }
      assertTrue(max <= 1e-5, (variant == 0 ? "scene" : "random") + " image: max abs diff " + max);
    }
  }

  private static BgrImage random(int w, int h, long seed) {
    byte[] data = new byte[w * h * 3];
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) rnd.nextInt(256);
    }
    return new BgrImage(w, h, data);
  }
}
