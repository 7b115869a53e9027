package dev.segmenter.engine.kernels.vector;

import dev.segmenter.engine.kernels.FusedKernel;
import dev.segmenter.engine.kernels.KernelScratch;
import dev.segmenter.engine.kernels.ScalarFusedKernel;

/**
 * Vector fused argmax, palette and blend: block by block (4096 pixels), the ids, colors and overlay of a block are
 * produced while its colors are still in cache, so the scores are read once and the image and overlay touched
 * once. The colors come out of the argmax itself ({@link VectorArgmaxKernel#planarTagged}: each class's lanes carry
 * its id and packed color through the same blends), which replaces the palette's widen-and-gather pass. (Blocks
 * of 1024 pixels were slower: the blend loop restarted too often; 16384 no better.)
 */
public final class VectorFusedKernel implements FusedKernel {

  private static final int BLOCK = 4 * VectorArgmaxKernel.BLOCK;

  VectorFusedKernel() {
  }

  @Override
  public void argmaxPaletteBlend(float[] scores, int offset, int classes, int pixels, int from, int to,
      byte[] image, byte[] lut3, float alpha, byte[] ids, byte[] color, byte[] overlay) {
    ScalarFusedKernel.check(scores, offset, classes, pixels, from, to, image, lut3, alpha, ids, color, overlay);
    KernelScratch k = KernelScratch.get();
    int entries = Math.min(lut3.length / 3, 256);
    int[] packed = VectorPaletteKernel.packed(k, lut3, entries);
    int[] tags = k.fusedTags = KernelScratch.ensure(k.fusedTags, classes);
    for (int c = 0; c < classes; c++) {
      tags[c] = c << 24 | packed[Math.min(c, entries - 1)];
    }
    // slack for the full vector stores of the last colors
    byte[] block = k.blockColor = KernelScratch.ensure(k.blockColor, 3 * BLOCK + 64);
    for (int b = from; b < to; b += BLOCK) {
      int e = Math.min(to, b + BLOCK);
      VectorArgmaxKernel.planarTagged(scores, offset, classes, pixels, b, e, tags, ids, block, 0);
      if (color != null) {
        System.arraycopy(block, 0, color, 3 * b, 3 * (e - b));
      }
      VectorBlendKernel.blend(image, 3 * b, block, 0, overlay, 3 * b, 3 * (e - b), alpha);
    }
  }
}
