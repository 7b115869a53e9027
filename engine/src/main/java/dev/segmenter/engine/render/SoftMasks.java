package dev.segmenter.engine.render;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.model.OutputSpec;
import dev.segmenter.engine.pipeline.Placement;
import dev.segmenter.engine.pipeline.Postprocessor;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferUShort;

/**
 * Probabilities at the image's resolution, for soft edges: computed per output cell at the network's resolution
 * (sigmoid as the network gave it, softmax over the classes for score outputs), then resized bilinearly to the
 * image, so an edge fades over the width of one output cell (e.g. 2 pixels for a 512-pixel image and a 256-cell
 * output) instead of stepping from one pixel to the next as nearest-upsampled class ids do.
 *
 * <p>Needs the scores: build the segmenter with {@code keepScores(true)}. Without them (or for class-id outputs)
 * the probabilities are 0 or 1 from the class map, i.e. hard edges.
 *
 * <pre>{@code
 * Segmentation r = segmenter.segment(image);                    // built with keepScores(true)
 * byte[] alpha = SoftMasks.alpha(SoftMasks.kept(r, Kernels.get(), 1));
 * BufferedImage cut = Cutout.image(r.image(), alpha);
 * }</pre>
 */
public final class SoftMasks {
  /** The 16-bit probability PNG stores {@code round(p * 65535)}. */
  public static final int PNG_SCALE = 65535;

  private SoftMasks() {}

  /** True when {@code r} carries what soft masks need (scores and placement); else they fall back to hard edges. */
  public static boolean available(Segmentation r) {
    return r.scores() != null && r.placement() != null;
  }

  /**
   * The probability that each pixel shows one of the {@code keep} classes, {@code [0, 1]}, row-major at image size:
   * for a sigmoid output {@code p} (foreground kept) or {@code 1 - p}; for scores the sum of the kept classes'
   * softmax probabilities. Hard (0 or 1 from the class map) when {@link #available} is false.
   */
  public static float[] kept(Segmentation r, Kernels kernels, int... keep) {
    if (!available(r)) {
      return hard(r.classMap(), Masks.select(r.classMap(), keep));
    }
    return kept(
        r.scores(),
        r.model().output().kind() == OutputSpec.Kind.SIGMOID,
        r.placement(),
        r.width(),
        r.height(),
        kernels,
        keep);
  }

  /**
   * {@link #kept(Segmentation, Kernels, int...)} from its parts: planar scores {@code [C, H, W]} at the network's
   * output resolution ({@code C = 1} probabilities when {@code sigmoid}), where the image sat in the network input,
   * and the image's size.
   */
  public static float[] kept(
      Tensor scores,
      boolean sigmoid,
      Placement placement,
      int width,
      int height,
      Kernels kernels,
      int... keep) {
    int c = scores.shape()[0];
    int oh = scores.shape()[1];
    int ow = scores.shape()[2];
    boolean[] in = new boolean[Math.max(2, c)];
    for (int id : keep) {
      if (id >= 0 && id < in.length) {
        in[id] = true;
      }
    }
    int cells = ow * oh;
    float[] data = scores.floats();
    float[] plane = new float[cells];
    if (sigmoid) {
      boolean fg = in[1];
      boolean bg = in[0];
      for (int i = 0; i < cells; i++) {
        float p = data[i];
        plane[i] = fg && bg ? 1f : fg ? p : bg ? 1f - p : 0f;
      }
    } else {
      float[] prob = new float[c];
      for (int i = 0; i < cells; i++) {
        softmax(data, i, cells, c, prob);
        float sum = 0;
        for (int k = 0; k < c; k++) {
          if (in[k]) {
            sum += prob[k];
          }
        }
        plane[i] = Math.min(1f, sum);
      }
    }
    return Postprocessor.bilinearPlane(
        plane,
        ow,
        oh,
        placement,
        width,
        height,
        kernels,
        Runtime.getRuntime().availableProcessors());
  }

  /**
   * The confidence map behind {@code NAME.prob.png}, {@code [0, 1]}, at image size: for a sigmoid output the
   * foreground probability; for scores the winning class's softmax probability (at least {@code 1 / classes}).
   *
   * @throws IllegalStateException when the segmentation has no scores (build with {@code keepScores(true)})
   */
  public static float[] confidence(Segmentation r, Kernels kernels) {
    if (!available(r)) {
      throw new IllegalStateException("segmentation of model '" + r.model().name()
          + "' has no scores; build the " + "segmenter with keepScores(true) for probabilities");
    }
    Tensor s = r.scores();
    int c = s.shape()[0];
    int oh = s.shape()[1];
    int ow = s.shape()[2];
    int cells = ow * oh;
    float[] plane;
    if (r.model().output().kind() == OutputSpec.Kind.SIGMOID) {
      plane = s.floats();
    } else {
      float[] data = s.floats();
      float[] prob = new float[c];
      plane = new float[cells];
      for (int i = 0; i < cells; i++) {
        softmax(data, i, cells, c, prob);
        float max = 0;
        for (float p : prob) {
          max = Math.max(max, p);
        }
        plane[i] = max;
      }
    }
    return Postprocessor.bilinearPlane(
        plane,
        ow,
        oh,
        r.placement(),
        r.width(),
        r.height(),
        kernels,
        Runtime.getRuntime().availableProcessors());
  }

  /** Alpha bytes {@code round(p * 255)} (p clamped to [0, 1]; NaN gives 0). */
  public static byte[] alpha(float[] p) {
    byte[] a = new byte[p.length];
    for (int i = 0; i < p.length; i++) {
      float v = p[i] >= 0f ? Math.min(p[i], 1f) : 0f;
      a[i] = (byte) Math.round(v * 255f);
    }
    return a;
  }

  /** Alpha 255 where the class map's class is kept, else 0: hard edges. */
  public static byte[] hardAlpha(ClassMap map, int... keep) {
    return Masks.bytes(map, keep);
  }

  /** A 16-bit grayscale image of {@code round(p * 65535)} ({@link #PNG_SCALE}); p clamped to [0, 1], NaN gives 0. */
  public static BufferedImage probabilityImage(float[] p, int width, int height) {
    if (p.length != width * height) {
      throw new IllegalArgumentException(
          "probabilities hold " + p.length + " values, not " + width + "x" + height);
    }
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
    short[] px = ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < p.length; i++) {
      float v = p[i] >= 0f ? Math.min(p[i], 1f) : 0f;
      px[i] = (short) Math.round(v * PNG_SCALE);
    }
    return img;
  }

  private static float[] hard(ClassMap map, boolean[] in) {
    float[] out = new float[map.pixels()];
    for (int i = 0; i < out.length; i++) {
      int id = map.get(i);
      out[i] = id < in.length && in[id] ? 1f : 0f;
    }
    return out;
  }

  /** Softmax of cell {@code i} of planar scores into {@code prob} (max subtracted first). */
  private static void softmax(float[] planar, int i, int cells, int c, float[] prob) {
    float max = Float.NEGATIVE_INFINITY;
    for (int k = 0; k < c; k++) {
      max = Math.max(max, planar[k * cells + i]);
    }
    double sum = 0;
    for (int k = 0; k < c; k++) {
      double e = Math.exp(planar[k * cells + i] - max);
      prob[k] = (float) e;
      sum += e;
    }
    for (int k = 0; k < c; k++) {
      prob[k] = (float) (prob[k] / sum);
    }
  }
}
