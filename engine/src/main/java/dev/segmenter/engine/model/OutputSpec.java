package dev.segmenter.engine.model;

/**
 * What the network's output means.
 *
 * @param kind scores, class ids or a single sigmoid channel
 * @param layout NCHW, NHWC or AUTO (batch axis optional)
 * @param threshold probability above which a sigmoid output is class 1
 * @param name the output tensor's name, or null for the first output
 */
public record OutputSpec(Kind kind, Layout layout, double threshold, String name) {

  /** Output semantics. */
  public enum Kind {
    /** One score per class and pixel: logits or probabilities (argmax is the same either way). */
    SCORES,
    /** One class id per pixel, already argmaxed by the network (int32, int64 or float). */
    CLASS_IDS,
    /** One channel of sigmoid probabilities: class 1 where the value is above the threshold, else class 0. */
    SIGMOID
  }
}
