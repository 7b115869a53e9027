package dev.segmenter.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The integer fast path of the blend is taken only where it gives the float definition's bytes. */
class BlendWeightsTest {

  @Test
  void commonAlphasHaveExactIntegerWeights() {
    assertEquals(128, BlendWeights.of(0.5f));
    assertEquals(64, BlendWeights.of(0.25f));
    assertEquals(192, BlendWeights.of(0.75f));
    assertEquals(0, BlendWeights.of(0f));
    assertEquals(256, BlendWeights.of(1f));
  }

  @Test
  void alphasWithoutExactWeightsKeepTheFloatPath() {
    // 0.3 is not a multiple of 1/256: some pair of bytes rounds differently, so no weight is
    // offered
    assertEquals(BlendWeights.NONE, BlendWeights.of(0.3f));
    assertEquals(BlendWeights.NONE, BlendWeights.of(1f / 3));
  }

  @Test
  void everyOfferedWeightMatchesTheDefinitionOnAllPairs() {
    for (int k = 0; k <= 256; k++) {
      float alpha = k / 256f;
      int w = BlendWeights.of(alpha);
      if (w == BlendWeights.NONE) {
        continue;
      }
      for (int a = 0; a < 256; a++) {
        for (int b = 0; b < 256; b++) {
          int want = (int) (a * (1f - alpha) + b * alpha + 0.5f);
          assertEquals(
              want, (a * (256 - w) + b * w + 128) >> 8, "alpha=" + alpha + " a=" + a + " b=" + b);
        }
      }
    }
  }
}
