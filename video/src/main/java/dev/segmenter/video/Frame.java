package dev.segmenter.video;

import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.image.BgrImage;

/**
 * One decoded frame and its segmentation, handed to a {@link FrameRenderer}.
 *
 * @param index the frame's position in the video, from 0
 * @param image the decoded frame (the renderer may reuse its array for the result)
 * @param segmentation the frame's segmentation
 */
public record Frame(long index, BgrImage image, Segmentation segmentation) {}
