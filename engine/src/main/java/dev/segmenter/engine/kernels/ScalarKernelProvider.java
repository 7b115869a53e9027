package dev.segmenter.engine.kernels;

/** The plain-Java kernels: the reference every other implementation must match, and the fallback. */
final class ScalarKernelProvider extends KernelProvider {

  static final ScalarKernelProvider INSTANCE = new ScalarKernelProvider();

  private ScalarKernelProvider() {}

  @Override
  public String description() {
    return "scalar";
  }

  @Override
  public ArgmaxKernel argmax() {
    return ScalarArgmaxKernel.INSTANCE;
  }

  @Override
  public PaletteKernel palette() {
    return ScalarPaletteKernel.INSTANCE;
  }

  @Override
  public BlendKernel blend() {
    return ScalarBlendKernel.INSTANCE;
  }

  @Override
  public ResizeKernel resize() {
    return ScalarResizeKernel.INSTANCE;
  }

  @Override
  public CompositeKernel composite() {
    return ScalarCompositeKernel.INSTANCE;
  }
}
