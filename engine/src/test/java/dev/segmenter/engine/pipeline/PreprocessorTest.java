package dev.segmenter.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.model.InputSpec;
import dev.segmenter.engine.model.Layout;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PreprocessorTest {
  private static final double[] ZERO = {0, 0, 0};
  private static final double[] ONE = {1, 1, 1};

  private static InputSpec spec(int w, int h, Layout layout, boolean rgb, InputSpec.Fit fit) {
    return new InputSpec(w, h, layout, rgb, 1.0, ZERO, ONE, fit, ZERO, null);
  }

  /** A solid image; b, g, r in 0..255. */
  private static BgrImage solid(int w, int h, int b, int g, int r) {
    BgrImage img = BgrImage.allocate(w, h);
    for (int i = 0; i < w * h; i++) {
      img.data()[3 * i] = (byte) b;
      img.data()[3 * i + 1] = (byte) g;
      img.data()[3 * i + 2] = (byte) r;
    }
    return img;
  }

  /** Value of network channel c at (x, y) for NCHW or NHWC tensors with batch 1. */
  private static float at(Tensor t, int c, int x, int y) {
    int[] s = t.shape();
    if (s[1] == 3) {
      return t.floats()[(c * s[2] + y) * s[3] + x];
    }
    return t.floats()[(y * s[2] + x) * 3 + c];
  }

  @ParameterizedTest
  @EnumSource(InputSpec.Fit.class)
  void shapeFollowsLayoutAndInputSize(InputSpec.Fit fit) {
    BgrImage img = solid(50, 30, 1, 2, 3);
    Tensor nchw =
        new Preprocessor(spec(20, 12, Layout.NCHW, true, fit)).apply(img).tensor();
    assertArrayEquals(new int[] {1, 3, 12, 20}, nchw.shape());
    Tensor nhwc =
        new Preprocessor(spec(20, 12, Layout.NHWC, true, fit)).apply(img).tensor();
    assertArrayEquals(new int[] {1, 12, 20, 3}, nhwc.shape());
    for (int y = 0; y < 12; y += 5) {
      for (int x = 0; x < 20; x += 3) {
        for (int c = 0; c < 3; c++) {
          assertEquals(at(nchw, c, x, y), at(nhwc, c, x, y), "channel " + c + " at " + x + "," + y);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void pureBlueLandsInTheChannelTheNetworkCallsBlue(Layout layout) {
    if (layout == Layout.AUTO) {
      return;
    }
    BgrImage blue = solid(7, 5, 255, 0, 0);
    Tensor rgb = new Preprocessor(spec(4, 4, layout, true, InputSpec.Fit.STRETCH))
        .apply(blue)
        .tensor();
    Tensor bgr = new Preprocessor(spec(4, 4, layout, false, InputSpec.Fit.STRETCH))
        .apply(blue)
        .tensor();
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        assertEquals(0f, at(rgb, 0, x, y));
        assertEquals(0f, at(rgb, 1, x, y));
        assertEquals(255f, at(rgb, 2, x, y), "RGB network: blue is channel 2");
        assertEquals(255f, at(bgr, 0, x, y), "BGR network: blue is channel 0");
        assertEquals(0f, at(bgr, 1, x, y));
        assertEquals(0f, at(bgr, 2, x, y));
      }
    }
  }

  @Test
  void meanScaleStdArithmeticPerChannelInNetworkOrder() {
    BgrImage img = solid(3, 2, 10, 20, 30); // B=10 G=20 R=30
    double[] mean = {1, 2, 3}; // R, G, B for an RGB network
    double[] std = {2, 4, 8};
    InputSpec rgb =
        new InputSpec(3, 2, Layout.NCHW, true, 0.5, mean, std, InputSpec.Fit.STRETCH, ZERO, null);
    Tensor t = new Preprocessor(rgb).apply(img).tensor();
    assertEquals((30 - 1) * 0.5f / 2, at(t, 0, 2, 1), 1e-6);
    assertEquals((20 - 2) * 0.5f / 4, at(t, 1, 2, 1), 1e-6);
    assertEquals((10 - 3) * 0.5f / 8, at(t, 2, 2, 1), 1e-6);
    InputSpec bgr =
        new InputSpec(3, 2, Layout.NHWC, false, 0.5, mean, std, InputSpec.Fit.STRETCH, ZERO, null);
    t = new Preprocessor(bgr).apply(img).tensor();
    assertEquals((10 - 1) * 0.5f / 2, at(t, 0, 0, 0), 1e-6);
    assertEquals((20 - 2) * 0.5f / 4, at(t, 1, 0, 0), 1e-6);
    assertEquals((30 - 3) * 0.5f / 8, at(t, 2, 0, 0), 1e-6);
    // ImageNet-style: scale 1/255 then std
    InputSpec imagenet = new InputSpec(
        3,
        2,
        Layout.NCHW,
        true,
        1 / 255.0,
        new double[] {123.675, 116.28, 103.53},
        new double[] {0.229, 0.224, 0.225},
        InputSpec.Fit.STRETCH,
        ZERO,
        null);
    t = new Preprocessor(imagenet).apply(solid(3, 2, 255, 128, 0)).tensor();
    assertEquals((0 - 123.675) / 255 / 0.229, at(t, 0, 1, 1), 1e-5);
    assertEquals((128 - 116.28) / 255 / 0.224, at(t, 1, 1, 1), 1e-5);
    assertEquals((255 - 103.53) / 255 / 0.225, at(t, 2, 1, 1), 1e-5);
  }

  @Test
  void letterboxWideImagePadsTopAndBottom() {
    // 200x100 into 64x64: content 64x32 at y offset 16
    double[] pad = {10, 20, 30}; // R, G, B (network order)
    InputSpec s = new InputSpec(
        64, 64, Layout.NCHW, true, 1.0, ZERO, ONE, InputSpec.Fit.LETTERBOX, pad, null);
    Preprocessor.Blob blob = new Preprocessor(s).apply(solid(200, 100, 200, 100, 50));
    Placement p = blob.placement();
    assertEquals(64 / 200.0, p.scaleX(), 1e-12);
    assertEquals(32 / 100.0, p.scaleY(), 1e-12);
    assertEquals(0, p.offsetX());
    assertEquals(16, p.offsetY());
    assertEquals(64, p.netWidth());
    assertEquals(64, p.netHeight());
    Tensor t = blob.tensor();
    for (int y = 0; y < 64; y++) {
      boolean padRow = y < 16 || y >= 48;
      for (int x = 0; x < 64; x++) {
        String where = "(" + x + "," + y + ")";
        assertEquals(padRow ? 10f : 50f, at(t, 0, x, y), "R " + where);
        assertEquals(padRow ? 20f : 100f, at(t, 1, x, y), "G " + where);
        assertEquals(padRow ? 30f : 200f, at(t, 2, x, y), "B " + where);
      }
    }
  }

  @Test
  void letterboxTallImagePadsLeftAndRightWithMeanAndScaleApplied() {
    // 100x200 into 64x64: content 32x64 at x offset 16; pad goes through the same arithmetic as
    // pixels
    double[] pad = {114, 114, 114};
    InputSpec s = new InputSpec(
        64,
        64,
        Layout.NHWC,
        false,
        0.5,
        new double[] {100, 100, 100},
        ONE,
        InputSpec.Fit.LETTERBOX,
        pad,
        null);
    Preprocessor.Blob blob = new Preprocessor(s).apply(solid(100, 200, 0, 0, 255));
    assertEquals(16, blob.placement().offsetX());
    assertEquals(0, blob.placement().offsetY());
    Tensor t = blob.tensor();
    for (int y = 0; y < 64; y += 7) {
      for (int x = 0; x < 64; x++) {
        boolean padCol = x < 16 || x >= 48;
        assertEquals(padCol ? 7f : -50f, at(t, 0, x, y), "B at " + x + "," + y);
        assertEquals(padCol ? 7f : 77.5f, at(t, 2, x, y), "R at " + x + "," + y);
      }
    }
  }

  @Test
  void centerCropCutsTheOverflowSymmetrically() {
    // 200x100 into 64x64: factor 0.64, resized 128x64, crop origin x 32 -> image x 50..150 visible
    BgrImage img = BgrImage.allocate(200, 100);
    for (int y = 0; y < 100; y++) {
      for (int x = 0; x < 200; x++) {
        int i = 3 * (y * 200 + x);
        int ch = x < 50 ? 2 : x >= 150 ? 1 : 0; // red | blue | green
        img.data()[i + ch] = (byte) 255;
      }
    }
    Preprocessor.Blob blob =
        new Preprocessor(spec(64, 64, Layout.NCHW, true, InputSpec.Fit.CENTER_CROP)).apply(img);
    Placement p = blob.placement();
    assertEquals(0.64, p.scaleX(), 1e-6);
    assertEquals(0.64, p.scaleY(), 1e-6);
    assertEquals(-32, p.offsetX());
    assertEquals(0, p.offsetY());
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        assertEquals(255f, at(blob.tensor(), 2, x, y), "blue at " + x + "," + y);
        assertEquals(0f, at(blob.tensor(), 0, x, y), "no red at " + x + "," + y);
        assertEquals(0f, at(blob.tensor(), 1, x, y), "no green at " + x + "," + y);
      }
    }
    // a tall image is cropped top and bottom
    Placement tall = new Preprocessor(spec(64, 64, Layout.NCHW, true, InputSpec.Fit.CENTER_CROP))
        .apply(solid(100, 200, 1, 1, 1))
        .placement();
    assertEquals(0, tall.offsetX());
    assertEquals(-32, tall.offsetY());
  }

  @ParameterizedTest
  @EnumSource(InputSpec.Fit.class)
  void imageAlreadyAtInputSizeIsCopiedUnchanged(InputSpec.Fit fit) {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    BgrImage img = BgrImage.allocate(37, 23);
    r.nextBytes(img.data());
    Preprocessor.Blob blob = new Preprocessor(spec(37, 23, Layout.NCHW, false, fit)).apply(img);
    assertEquals(new Placement(1, 0, 1, 0, 37, 23), blob.placement());
    for (int y = 0; y < 23; y++) {
      for (int x = 0; x < 37; x++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(
              img.data()[3 * (y * 37 + x) + c] & 0xFF,
              at(blob.tensor(), c, x, y),
              "seed " + seed + " channel " + c + " at " + x + "," + y);
        }
      }
    }
  }

  @Test
  void placementToOutputScalesOffsetsWithTheOutputGrid() {
    Placement p = new Placement(0.32, 0, 0.32, 16, 64, 64).toOutput(8, 8);
    assertEquals(0.04, p.scaleX(), 1e-12);
    assertEquals(2, p.offsetY(), 1e-12);
    assertEquals(8, p.netWidth());
    assertEquals(8, p.netHeight());
  }

  /** Random sizes: the letterbox content is exactly the rectangle the Placement describes, pad everywhere else. */
  @Test
  void randomLetterboxesPutContentWhereThePlacementSays() {
    long seed = System.nanoTime();
    Random r = new Random(seed);
    for (int n = 0; n < 300; n++) {
      int iw = 1 + r.nextInt(r.nextBoolean() ? 20 : 400);
      int ih = 1 + r.nextInt(r.nextBoolean() ? 20 : 400);
      int w = 1 + r.nextInt(96);
      int h = 1 + r.nextInt(96);
      String ctx = "seed " + seed + ": " + iw + "x" + ih + " into " + w + "x" + h;
      InputSpec s = new InputSpec(
          w,
          h,
          Layout.NCHW,
          false,
          1.0,
          ZERO,
          ONE,
          InputSpec.Fit.LETTERBOX,
          new double[] {7, 7, 7},
          null);
      Preprocessor.Blob blob = new Preprocessor(s).apply(solid(iw, ih, 200, 200, 200));
      Placement p = blob.placement();
      double x0 = p.offsetX();
      double y0 = p.offsetY();
      double x1 = x0 + iw * p.scaleX();
      double y1 = y0 + ih * p.scaleY();
      assertEquals(Math.rint(x1), x1, 1e-9, ctx);
      assertEquals(Math.rint(y1), y1, 1e-9, ctx);
      assertEquals(true, x0 >= 0 && y0 >= 0 && x1 <= w + 1e-9 && y1 <= h + 1e-9, ctx + " " + p);
      // the aspect ratio is kept to within a pixel, and one side fills the input
      assertEquals(
          true, Math.abs(x1 - x0 - w) < 1e-9 || Math.abs(y1 - y0 - h) < 1e-9, ctx + " " + p);
      assertEquals(
          true,
          Math.abs((x1 - x0) / (y1 - y0) - (double) iw / ih)
                  <= (double) iw / ih * (1.0 / (y1 - y0) + 1.0 / (x1 - x0)) + 1e-9
              || x1 - x0 <= 1
              || y1 - y0 <= 1,
          ctx + " " + p);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          boolean inside = x >= x0 && x < Math.rint(x1) && y >= y0 && y < Math.rint(y1);
          assertEquals(
              inside ? 200f : 7f, at(blob.tensor(), 1, x, y), ctx + " at " + x + "," + y + " " + p);
        }
      }
    }
  }
}
