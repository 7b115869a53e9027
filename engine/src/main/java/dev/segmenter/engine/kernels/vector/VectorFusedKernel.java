package dev.segmenter.engine.kernels.vector;

import dev.segmenter.engine.kernels.FusedKernel;
import dev.segmenter.engine.kernels.KernelScratch;
import dev.segmenter.engine.kernels.ScalarFusedKernel;

/**
 * Vector fused argmax, palette and blend: block by block (4096 pixels), the ids, colors and overlay of a block are
 * produced while its ids and colors are still in cache, so the scores are read once and the image and overlay
 * touched once. (Blocks of 1024 pixels were slower: the palette and blend loops restarted too often; 16384 no
 * better.)
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
    byte[] block = color != null ? null : (k.blockColor = KernelScratch.ensure(k.blockColor, 3 * BLOCK));
    for (int b = from; b < to; b += BLOCK) {
      int e = Math.min(to, b + BLOCK);
      VectorArgmaxKernel.planar(scores, offset, classes, pixels, b, e, ids, null);
      byte[] colors = color != null ? color : block;
      int colorPos = color != null ? 3 * b : 0;
      VectorPaletteKernel.lookup3(ids, null, b, e, packed, entries - 1, colors, colorPos, k);
      VectorBlendKernel.blend(image, 3 * b, colors, colorPos, overlay, 3 * b, 3 * (e - b), alpha);
    }
  }
}
