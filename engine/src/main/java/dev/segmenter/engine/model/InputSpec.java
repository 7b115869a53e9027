package dev.segmenter.engine.model;

/**
 * What the network expects as input. The blob is {@code ((pixel - mean[c]) * scale) / std[c]} for each
 * channel {@code c} in the network's channel order, as OpenCV's {@code blobFromImage} (plus std).
 *
 * @param width network input width
 * @param height network input height
 * @param layout NCHW or NHWC
 * @param rgb true when the network wants R, G, B channel order (images are decoded as B, G, R)
 * @param scale multiplier applied after the mean is subtracted
 * @param mean per-channel mean in pixel units, network channel order
 * @param std per-channel divisor applied last
 * @param fit how the image is fitted to the input size
 * @param pad letterbox fill per channel in pixel units, network channel order like {@code mean}
 * @param name the input tensor's name, or null for the first input
 */
public record InputSpec(
    int width,
    int height,
    Layout layout,
    boolean rgb,
    double scale,
    double[] mean,
    double[] std,
    Fit fit,
    double[] pad,
    String name) {

  /** How an image of another size or aspect ratio is fitted to the network's input. */
  public enum Fit {
    /** Resize to the input size, ignoring the aspect ratio (blobFromImage with crop=false). */
    STRETCH,
    /** Keep the aspect ratio, fit inside, pad the rest; the padding is removed from the output. */
    LETTERBOX,
    /** Keep the aspect ratio, fill, cut the overflow symmetrically (blobFromImage with crop=true). */
    CENTER_CROP
  }
}
