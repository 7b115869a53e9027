package dev.segmenter.engine.kernels;

/**
 * Resizes class maps and score planes from network resolution to image resolution.
 *
 * <p>Mapping: destination pixel {@code (dx, dy)} samples the source at
 * {@code sx = (dx + 0.5) * scaleX + offsetX - 0.5}, {@code sy = (dy + 0.5) * scaleY + offsetY - 0.5}
 * (pixel centres; with {@code scaleX = srcW / dstW} and offset 0 this is OpenCV's and PyTorch's
 * {@code align_corners=False}). Offsets and scales let callers drop letterbox padding or undo a centre
 * crop. Coordinates outside the source are clamped to its border.
 * Only destination rows {@code rowFrom <= dy < rowTo} are written. The public methods check the arguments once,
 * for every implementation, then call its {@code do*} method.
 */
public abstract class ResizeKernel {

  protected ResizeKernel() {}

  /** Nearest neighbour on ids: source index {@code clamp(floor(sx + 0.5))}, likewise for y. */
  public final void nearest(
      byte[] src,
      int srcW,
      int srcH,
      byte[] dst,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo) {
    KernelChecks.resize(
        src.length,
        1,
        srcW,
        srcH,
        dst.length,
        1,
        dstW,
        dstH,
        scaleX,
        offsetX,
        scaleY,
        offsetY,
        rowFrom,
        rowTo);
    doNearest(src, srcW, srcH, dst, dstW, dstH, scaleX, offsetX, scaleY, offsetY, rowFrom, rowTo);
  }

  public final void nearest(
      short[] src,
      int srcW,
      int srcH,
      short[] dst,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo) {
    KernelChecks.resize(
        src.length,
        1,
        srcW,
        srcH,
        dst.length,
        1,
        dstW,
        dstH,
        scaleX,
        offsetX,
        scaleY,
        offsetY,
        rowFrom,
        rowTo);
    doNearest(src, srcW, srcH, dst, dstW, dstH, scaleX, offsetX, scaleY, offsetY, rowFrom, rowTo);
  }

  /**
   * Bilinear on planar scores followed by argmax (the accurate mode, what torchvision does):
   * for each destination pixel, every class plane is interpolated bilinearly and the argmax taken
   * with the rules of {@link ArgmaxKernel}. {@code src} is planar ({@code classes} planes of
   * {@code srcW * srcH} floats from {@code offset}); no full-resolution score tensor is materialised.
   */
  public final void bilinearArgmax(
      float[] src,
      int offset,
      int classes,
      int srcW,
      int srcH,
      byte[] dst,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo) {
    KernelChecks.classes(classes, 256);
    KernelChecks.bilinear(
        src,
        offset,
        classes,
        srcW,
        srcH,
        dst.length,
        1,
        dstW,
        dstH,
        scaleX,
        offsetX,
        scaleY,
        offsetY,
        rowFrom,
        rowTo);
    doBilinearArgmax(
        src, offset, classes, srcW, srcH, dst, dstW, dstH, scaleX, offsetX, scaleY, offsetY,
        rowFrom, rowTo);
  }

  public final void bilinearArgmax(
      float[] src,
      int offset,
      int classes,
      int srcW,
      int srcH,
      short[] dst,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo) {
    KernelChecks.classes(classes, 65536);
    KernelChecks.bilinear(
        src,
        offset,
        classes,
        srcW,
        srcH,
        dst.length,
        1,
        dstW,
        dstH,
        scaleX,
        offsetX,
        scaleY,
        offsetY,
        rowFrom,
        rowTo);
    doBilinearArgmax(
        src, offset, classes, srcW, srcH, dst, dstW, dstH, scaleX, offsetX, scaleY, offsetY,
        rowFrom, rowTo);
  }

  /**
   * Bilinear resize of planar scores to {@code dst} (planar, {@code classes * dstW * dstH} floats):
   * for callers that asked for the scores at image size.
   */
  public final void bilinear(
      float[] src,
      int offset,
      int classes,
      int srcW,
      int srcH,
      float[] dst,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo) {
    KernelChecks.bilinear(
        src,
        offset,
        classes,
        srcW,
        srcH,
        dst.length,
        classes,
        dstW,
        dstH,
        scaleX,
        offsetX,
        scaleY,
        offsetY,
        rowFrom,
        rowTo);
    doBilinear(
        src, offset, classes, srcW, srcH, dst, dstW, dstH, scaleX, offsetX, scaleY, offsetY,
        rowFrom, rowTo);
  }

  protected abstract void doNearest(
      byte[] src,
      int srcW,
      int srcH,
      byte[] dst,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo);

  protected abstract void doNearest(
      short[] src,
      int srcW,
      int srcH,
      short[] dst,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo);

  protected abstract void doBilinearArgmax(
      float[] src,
      int offset,
      int classes,
      int srcW,
      int srcH,
      byte[] dst,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo);

  protected abstract void doBilinearArgmax(
      float[] src,
      int offset,
      int classes,
      int srcW,
      int srcH,
      short[] dst,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo);

  protected abstract void doBilinear(
      float[] src,
      int offset,
      int classes,
      int srcW,
      int srcH,
      float[] dst,
      int dstW,
      int dstH,
      double scaleX,
      double offsetX,
      double scaleY,
      double offsetY,
      int rowFrom,
      int rowTo);
}
