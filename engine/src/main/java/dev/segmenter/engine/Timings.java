package dev.segmenter.engine;

/**
 * Milliseconds spent in each stage of one segmentation. {@code decode} is 0 when the caller passed
 * pixels instead of a file.
 */
public record Timings(double decode, double preprocess, double forward, double postprocess) {

  public double total() {
    return decode + preprocess + forward + postprocess;
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }
}
