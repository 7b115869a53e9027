package dev.segmenter.engine;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.pipeline.Placement;

/**
 * The result of segmenting one image: the class map at the image's size, the image itself, optional
 * scores at network resolution (planar {@code [C, H, W]}), and per-stage timings. Immutable apart from
 * the arrays it hands out as views.
 */
public final class Segmentation {
  private final BgrImage image;
  private final ClassMap classMap;
  private final Tensor scores;
  private final Timings timings;
  private final ModelCard model;
  private final String backend;
  private final Placement placement;

  Segmentation(
      BgrImage image,
      ClassMap classMap,
      Tensor scores,
      Timings timings,
      ModelCard model,
      String backend) {
    this(image, classMap, scores, timings, model, backend, null);
  }

  Segmentation(
      BgrImage image,
      ClassMap classMap,
      Tensor scores,
      Timings timings,
      ModelCard model,
      String backend,
      Placement placement) {
    this.placement = placement;
    this.image = image;
    this.classMap = classMap;
    this.scores = scores;
    this.timings = timings;
    this.model = model;
    this.backend = backend;
  }

  /** The input image (a view). */
  public BgrImage image() {
    return image;
  }

  /** One class id per pixel, at the image's size (8-bit ids up to 256 classes, 16-bit above). */
  public ClassMap classMap() {
    return classMap;
  }

  /** The network's scores at its output resolution, planar [C, H, W], or null unless requested. */
  public Tensor scores() {
    return scores;
  }

  /**
   * Where the image sat in the network input (null when unknown): with {@link #scores()} it maps the scores back
   * onto the image, e.g. for soft masks ({@code render.SoftMasks}).
   */
  public Placement placement() {
    return placement;
  }

  public Timings timings() {
    return timings;
  }

  public ModelCard model() {
    return model;
  }

  /** The backend's name. */
  public String backend() {
    return backend;
  }

  public int width() {
    return classMap.width();
  }

  public int height() {
    return classMap.height();
  }

  /** Pixels per class id (index = id), for the model's classes. */
  public long[] pixelsPerClass() {
    long[] h = classMap.histogram(model.classCount());
    return java.util.Arrays.copyOf(h, model.classCount());
  }
}
