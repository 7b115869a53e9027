package dev.segmenter.engine.model;

/** Axis order of an image-shaped tensor (the batch axis is optional). */
public enum Layout {
  /** Channels first: N, C, H, W. */
  NCHW,
  /** Channels last: N, H, W, C. */
  NHWC,
  /** Decide from the tensor's shape, only where unambiguous (outputs only). */
  AUTO
}
