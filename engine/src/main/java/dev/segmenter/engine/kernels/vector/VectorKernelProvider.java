package dev.segmenter.engine.kernels.vector;

import dev.segmenter.engine.kernels.ArgmaxKernel;
import dev.segmenter.engine.kernels.BlendKernel;
import dev.segmenter.engine.kernels.CompositeKernel;
import dev.segmenter.engine.kernels.KernelProvider;
import dev.segmenter.engine.kernels.PaletteKernel;
import dev.segmenter.engine.kernels.ResizeKernel;
import jdk.incubator.vector.FloatVector;

/**
 * The Vector API kernels ({@link VectorSupport} picks the width). Made by name by {@link KernelProvider}, so nothing
 * outside this package links against {@code jdk.incubator.vector}; the constructor refuses, with the reason, when
 * the kernels cannot run here.
 */
public final class VectorKernelProvider extends KernelProvider {

  private final String description;
  private final ArgmaxKernel argmax;
  private final PaletteKernel palette;
  private final BlendKernel blend;
  private final ResizeKernel resize;
  private final CompositeKernel composite;

  /**
   * @throws UnsupportedOperationException saying why when the vectors are narrower than 128 bits (the kernels'
   *     byte species need at least 64 bits for a quarter of the float width)
   */
  public VectorKernelProvider() {
    int bits = VectorSupport.FLOATS.vectorBitSize();
    if (bits < 128) {
      throw new UnsupportedOperationException(
          "vector size here is " + bits + " bits; the vector kernels need at least 128");
    }
    description = "vector (" + VectorSupport.isa(FloatVector.SPECIES_PREFERRED.vectorBitSize())
        + ", " + bits + "-bit, FloatVector " + VectorSupport.FLOATS.length() + " lanes: "
        + VectorSupport.WHY + "; native scores: " + NativeFloats.HOW + ")";
    argmax = new VectorArgmaxKernel();
    palette = new VectorPaletteKernel();
    blend = new VectorBlendKernel();
    resize = new VectorResizeKernel();
    composite = new VectorCompositeKernel();
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public ArgmaxKernel argmax() {
    return argmax;
  }

  @Override
  public PaletteKernel palette() {
    return palette;
  }

  @Override
  public BlendKernel blend() {
    return blend;
  }

  @Override
  public ResizeKernel resize() {
    return resize;
  }

  @Override
  public CompositeKernel composite() {
    return composite;
  }
}
