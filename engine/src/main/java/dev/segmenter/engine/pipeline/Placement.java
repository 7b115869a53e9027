package dev.segmenter.engine.pipeline;

/**
 * Where the image landed in the network input: a network coordinate is
 * {@code u = x * scaleX + offsetX}, {@code v = y * scaleY + offsetY} for image coordinate {@code (x, y)}
 * (continuous, pixel edges at integers). Letterbox padding has a positive offset; a centre crop a negative one.
 *
 * @param netWidth network input width the coordinates refer to
 * @param netHeight network input height
 */
public record Placement(
    double scaleX, double offsetX, double scaleY, double offsetY, int netWidth, int netHeight) {

  /** The same placement in the coordinates of an output map of {@code outW x outH} covering the whole input. */
  public Placement toOutput(int outW, int outH) {
    double rx = (double) outW / netWidth;
    double ry = (double) outH / netHeight;
    return new Placement(scaleX * rx, offsetX * rx, scaleY * ry, offsetY * ry, outW, outH);
  }

  /** Kernel mapping for a destination of the image's size: source pixels per destination pixel. */
  public double kernelScaleX() {
    return scaleX;
  }

  public double kernelScaleY() {
    return scaleY;
  }
}
