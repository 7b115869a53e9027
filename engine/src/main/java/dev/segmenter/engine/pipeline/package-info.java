/**
 * The stages around the network: {@link dev.segmenter.engine.pipeline.Preprocessor} makes the input tensor
 * (OpenCV {@code blobFromImage} semantics: resize, mean, scale, std, channel order, letterbox or centre crop) and
 * records the {@link dev.segmenter.engine.pipeline.Placement}; {@link dev.segmenter.engine.pipeline.Postprocessor}
 * turns the output tensor into a class map at the image's size, by {@link dev.segmenter.engine.pipeline.ResizeMode}
 * nearest (on ids) or bilinear (on scores).
 */
package dev.segmenter.engine.pipeline;
