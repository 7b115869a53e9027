package dev.segmenter.engine.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.pipeline.Placement;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferUShort;
import org.junit.jupiter.api.Test;

/**
 * Soft edges: probabilities resized bilinearly fade over the upsampling width, where nearest-upsampled class ids
 * step from one pixel to the next.
 */
class SoftMasksTest {
  private static final Kernels K = Kernels.scalar();
  private static final int CELLS = 16;
  private static final int SIZE = 128; // 8 image pixels per output cell

  /** A vertical edge: probability 0 left of column 8, 1 from it on. */
  private static Tensor edge() {
    float[] p = new float[CELLS * CELLS];
    for (int y = 0; y < CELLS; y++) {
      for (int x = CELLS / 2; x < CELLS; x++) {
        p[y * CELLS + x] = 1f;
      }
    }
    return Tensor.of(p, 1, CELLS, CELLS);
  }

  private static Placement stretch() {
    return new Placement((double) CELLS / SIZE, 0, (double) CELLS / SIZE, 0, CELLS, CELLS);
  }

  @Test
  void softEdgeSpansTheUpsamplingWidthWhereNearestIdsStepInOnePixel() {
    byte[] alpha = SoftMasks.alpha(SoftMasks.kept(edge(), true, stretch(), SIZE, SIZE, K, 1));
    byte[] ids = new byte[CELLS * CELLS];
    float[] p = edge().floats();
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (byte) (p[i] > 0.5f ? 1 : 0);
    }
    byte[] nearest = new byte[SIZE * SIZE];
    Placement pl = stretch();
    K.resize()
        .nearest(ids, CELLS, CELLS, nearest, SIZE, SIZE, pl.scaleX(), 0, pl.scaleY(), 0, 0, SIZE);
    int y = SIZE / 3;
    int soft = 0;
    int firstSoft = -1;
    int last = -1;
    int nearestStep = -1;
    for (int x = 0; x < SIZE; x++) {
      int a = alpha[y * SIZE + x] & 0xFF;
      assertTrue(a >= last, "the soft edge rises monotonically: x=" + x);
      last = a;
      if (a > 0 && a < 255) {
        soft++;
        firstSoft = firstSoft < 0 ? x : firstSoft;
      }
      int id = nearest[y * SIZE + x];
      assertTrue(id == 0 || id == 1);
      if (x > 0 && id != nearest[y * SIZE + x - 1]) {
        assertEquals(-1, nearestStep, "nearest ids step once");
        nearestStep = x;
      }
    }
    assertEquals(
        SIZE / 2, nearestStep, "nearest ids step from 0 to 1 between two neighbouring pixels");
    assertTrue(
        soft >= SIZE / CELLS - 1 && soft <= SIZE / CELLS + 1,
        "the soft edge spans the upsampling width (8 pixels), got " + soft
            + " pixels between 0 and 255");
    assertTrue(
        Math.abs(firstSoft + soft / 2.0 - nearestStep) <= 1,
        "the soft edge is centred on the hard one");
  }

  @Test
  void keepingTheBackgroundInvertsTheSigmoidAndKeepingBothIsOpaque() {
    float[] bg = SoftMasks.kept(edge(), true, stretch(), SIZE, SIZE, K, 0);
    float[] fg = SoftMasks.kept(edge(), true, stretch(), SIZE, SIZE, K, 1);
    float[] both = SoftMasks.kept(edge(), true, stretch(), SIZE, SIZE, K, 0, 1);
    for (int i = 0; i < fg.length; i++) {
      assertEquals(1f, fg[i] + bg[i], 1e-6f);
      assertEquals(1f, both[i]);
    }
  }

  @Test
  void scoresGiveSoftmaxProbabilitiesOfTheKeptClasses() {
    // 3 classes, one cell each scoring (2, 1, 0) everywhere: softmax (0.665, 0.245, 0.090)
    float[] s = new float[3 * 4];
    for (int i = 0; i < 4; i++) {
      s[i] = 2;
      s[4 + i] = 1;
    }
    Tensor t = Tensor.of(s, 3, 2, 2);
    Placement p = new Placement(2.0 / 10, 0, 2.0 / 10, 0, 2, 2);
    double e = Math.exp(2) + Math.exp(1) + 1;
    float[] k12 = SoftMasks.kept(t, false, p, 10, 10, K, 1, 2);
    assertEquals((Math.exp(1) + 1) / e, k12[55], 1e-5);
    byte[] a = SoftMasks.alpha(k12);
    assertEquals(Math.round(255 * (Math.exp(1) + 1) / e), a[0] & 0xFF);
  }

  @Test
  void probabilityPngIs16BitWithScale65535() {
    BufferedImage img =
        SoftMasks.probabilityImage(new float[] {0f, 0.5f, 1f, Float.NaN, 2f, -1f}, 3, 2);
    assertEquals(BufferedImage.TYPE_USHORT_GRAY, img.getType());
    short[] px = ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
    int[] want = {0, 32768, 65535, 0, 65535, 0};
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], px[i] & 0xFFFF, "pixel " + i);
    }
  }
}
