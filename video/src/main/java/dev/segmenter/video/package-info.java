/**
 * Video in and out through FFmpeg (JavaCV's grabber and recorder over the bytedeco FFmpeg build), and a
 * pipeline that decodes, segments and encodes on separate threads. Optional: nothing in the core needs it.
 *
 * <pre>{@code
 * try (VideoReader in = VideoReader.open(Path.of("clip.mp4"));
 *     VideoWriter out = VideoWriter.open(Path.of("clip.overlay.mp4"), in.width(), in.height(), in.fps())) {
 *   VideoPipeline.Result r = new VideoPipeline(1, 8).run(in, out,
 *       VideoPipeline.segmenting(segmenter::segment, frame -> overlay(frame.segmentation())));
 * }
 * }</pre>
 */
package dev.segmenter.video;
