package dev.segmenter.video;

import dev.segmenter.engine.image.BgrImage;

/**
 * What a video frame becomes in the output video: the overlay, a replaced background... Called from several
 * threads at once (one frame each), so implementations keep no per-call state in fields.
 */
@FunctionalInterface
public interface FrameRenderer {
  /** The picture to encode for this frame; it must have the frame's size. */
  BgrImage render(Frame frame);
}
