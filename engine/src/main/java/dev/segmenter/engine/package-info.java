/**
 * The API: {@link dev.segmenter.engine.Segmenter} (built by its {@code Builder}: a model, a backend, a device) turns
 * an image file, a {@link java.awt.image.BufferedImage} or BGR pixels into a
 * {@link dev.segmenter.engine.Segmentation}: the {@link dev.segmenter.engine.ClassMap} (one class id per pixel, at
 * the image's size), optionally the network's scores ({@link dev.segmenter.engine.Tensor}), the model card and the
 * time of each stage ({@link dev.segmenter.engine.Timings}).
 *
 * <p>Backends are plug-ins found by {@link java.util.ServiceLoader} and chosen by
 * {@link dev.segmenter.engine.Backends}: by name, then configuration, then rank among those that read one of the
 * model's {@link dev.segmenter.engine.ModelFormat}s on the {@link dev.segmenter.engine.Device}.
 *
 * <p>Every failure is an unchecked {@link dev.segmenter.engine.SegmenterException}:
 * {@link dev.segmenter.engine.ModelException}, {@link dev.segmenter.engine.ImageException},
 * {@link dev.segmenter.engine.BackendException} or {@link dev.segmenter.engine.ConfigException}, each with a one-line
 * message naming the file, field or value at fault. Guide with complete programs: {@code docs/EMBEDDING.md}.
 */
package dev.segmenter.engine;
