package dev.segmenter.engine.pipeline;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.kernels.Parallel;
import dev.segmenter.engine.model.Layout;
import dev.segmenter.engine.model.OutputSpec;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Turns the network's output into a class map at the image's size, following the card's output
 * semantics. Stateless apart from its settings; thread-safe.
 *
 * <p>Views ({@link Tensor#isView()}): planar scores decoded with nearest resizing (or none) are read in place
 * from the session's memory; everything else (interleaved scores, bilinear resizing, other output kinds, and
 * scores to keep) is first copied to the heap with {@link Tensor#toHeap()}.
 */
public final class Postprocessor {
  private static final int MIN_ROWS_PER_TASK = 16;

  private final OutputSpec spec;
  private final int classes;
  private final String modelName;
  private final Kernels kernels;

  public Postprocessor(OutputSpec spec, int classes, String modelName, Kernels kernels) {
    this.spec = spec;
    this.classes = classes;
    this.modelName = modelName;
    this.kernels = kernels;
  }

  /** The kernels it decodes with. */
  public Kernels kernels() {
    return kernels;
  }

  /** The decoded output: the class map at image size, and the planar scores at network resolution (or null). */
  public record Decoded(ClassMap classMap, Tensor scores) {}

  /**
   * Decodes one output.
   *
   * @param output the backend's output tensor
   * @param placement where the image sat in the network input
   * @param width image width
   * @param height image height
   * @param mode nearest or bilinear
   * @param keepScores whether to return the planar scores
   * @param threads worker threads for the kernels (1 = the calling thread only)
   */
  public Decoded decode(
      Tensor output,
      Placement placement,
      int width,
      int height,
      ResizeMode mode,
      boolean keepScores,
      int threads) {
    return switch (spec.kind()) {
      case SCORES -> scores(output, placement, width, height, mode, keepScores, threads);
      case CLASS_IDS -> new Decoded(ids(output.toHeap(), placement, width, height, threads), null);
      case SIGMOID -> sigmoid(output.toHeap(), placement, width, height, mode, keepScores, threads);
    };
  }

  /**
   * The grid of one output, its shape checked as {@link #decode} checks it: {@code channels} is the class count for
   * scores and 1 for class ids and sigmoid; {@code channelsLast} tells NHWC scores from NCHW.
   */
  public record Grid(int channels, int height, int width, boolean channelsLast) {}

  /** The output's grid (for callers that blend outputs themselves, such as tiled inference). */
  public Grid grid(Tensor output) {
    if (spec.kind() != OutputSpec.Kind.SCORES) {
      if (spec.kind() == OutputSpec.Kind.SIGMOID && output.dtype() != Tensor.DType.FLOAT32) {
        throw new ModelException(
            "model '" + modelName + "': output.kind is sigmoid but the network returned "
                + output.dtype() + " " + Arrays.toString(output.shape()));
      }
      int[] dims = withoutBatch(output, 2);
      return new Grid(1, dims[0], dims[1], false);
    }
    if (output.dtype() != Tensor.DType.FLOAT32) {
      throw new ModelException("model '" + modelName
          + "': output.kind is scores but the network returned " + output.dtype() + " "
          + Arrays.toString(output.shape()) + "; use kind class-ids for integer outputs");
    }
    int[] dims = withoutBatch(output, 3);
    boolean nhwc = channelsLast(dims, output);
    int c = nhwc ? dims[2] : dims[0];
    if (c != classes) {
      throw new ModelException(
          "model '" + modelName + "': the network returned " + c + " score channels "
              + Arrays.toString(output.shape()) + " but the card lists " + classes + " classes");
    }
    return new Grid(c, nhwc ? dims[0] : dims[1], nhwc ? dims[1] : dims[2], nhwc);
  }

  private Decoded scores(
      Tensor output,
      Placement placement,
      int width,
      int height,
      ResizeMode mode,
      boolean keepScores,
      int threads) {
    Grid g = grid(output); // checks the type, the rank and the class count
    int c = g.channels();
    int oh = g.height();
    int ow = g.width();
    boolean nhwc = g.channelsLast();
    Placement p = placement.toOutput(ow, oh);
    ClassMap map = ClassMap.allocate(width, height, classes);
    boolean identity = ow == width && oh == height && isIdentity(p);
    boolean inPlace = output.isView() && !nhwc && (mode == ResizeMode.NEAREST || identity);
    ByteBuffer nativeData = inPlace ? output.nativeFloats() : null;
    float[] data = inPlace ? null : output.toHeap().floats();
    if (mode == ResizeMode.BILINEAR && !identity) {
      float[] planar = nhwc ? toPlanar(data, oh * ow, c) : data;
      Content in = Content.of(planar, c, ow, oh, p, width, height);
      Parallel.forRange(height, threads, MIN_ROWS_PER_TASK, (from, to) -> {
        if (map.isWide()) {
          kernels
              .resize()
              .bilinearArgmax(
                  in.data,
                  0,
                  c,
                  in.w,
                  in.h,
                  map.shorts(),
                  width,
                  height,
                  in.p.scaleX(),
                  in.p.offsetX(),
                  in.p.scaleY(),
                  in.p.offsetY(),
                  from,
                  to);
        } else {
          kernels
              .resize()
              .bilinearArgmax(
                  in.data,
                  0,
                  c,
                  in.w,
                  in.h,
                  map.bytes(),
                  width,
                  height,
                  in.p.scaleX(),
                  in.p.offsetX(),
                  in.p.scaleY(),
                  in.p.offsetY(),
                  from,
                  to);
        }
      });
      return new Decoded(map, keepScores ? Tensor.of(planar, c, oh, ow) : null);
    }
    ClassMap small = identity ? map : ClassMap.allocate(ow, oh, classes);
    int pixels = ow * oh;
    Parallel.forRange(pixels, threads, MIN_ROWS_PER_TASK * ow, (from, to) -> {
      if (nhwc) {
        if (small.isWide()) {
          kernels.argmax().argmaxInterleaved(data, 0, c, from, to, small.shorts());
        } else {
          kernels.argmax().argmaxInterleaved(data, 0, c, from, to, small.bytes());
        }
      } else if (nativeData != null) {
        if (small.isWide()) {
          kernels.argmax().argmaxPlanar(nativeData, 0, c, pixels, from, to, small.shorts());
        } else {
          kernels.argmax().argmaxPlanar(nativeData, 0, c, pixels, from, to, small.bytes());
        }
      } else if (small.isWide()) {
        kernels.argmax().argmaxPlanar(data, 0, c, pixels, from, to, small.shorts());
      } else {
        kernels.argmax().argmaxPlanar(data, 0, c, pixels, from, to, small.bytes());
      }
    });
    if (!identity) {
      nearest(small, map, p, threads);
    }
    Tensor scores = null;
    if (keepScores) {
      float[] heap = data != null ? data : output.toHeap().floats();
      scores = Tensor.of(nhwc ? toPlanar(heap, pixels, c) : heap, c, oh, ow);
    }
    return new Decoded(map, scores);
  }

  private ClassMap ids(Tensor output, Placement placement, int width, int height, int threads) {
    int[] dims = withoutBatch(output, 2);
    int oh = dims[0];
    int ow = dims[1];
    int n = ow * oh;
    ClassMap small = ClassMap.allocate(ow, oh, classes);
    for (int i = 0; i < n; i++) {
      int id = classIdAt(output, i);
      if (small.isWide()) {
        small.shorts()[i] = (short) id;
      } else {
        small.bytes()[i] = (byte) id;
      }
    }
    Placement p = placement.toOutput(ow, oh);
    if (ow == width && oh == height && isIdentity(p)) {
      return small;
    }
    ClassMap map = ClassMap.allocate(width, height, classes);
    nearest(small, map, p, threads);
    return map;
  }

  /** The class id at flat index {@code i} of a class-id output (int64, int32 or integral float), checked against the card. */
  public int classIdAt(Tensor output, int i) {
    long id;
    switch (output.dtype()) {
      case INT64 -> id = output.longs()[i];
      case INT32 -> id = output.ints()[i];
      default -> {
        float f = output.floats()[i];
        if (f != Math.rint(f)) {
          throw new ModelException(
              "model '" + modelName + "': output.kind is class-ids but the network returned "
                  + "the non-integer value " + f + "; use kind scores for score maps");
        }
        id = (long) f;
      }
    }
    if (id < 0 || id >= classes) {
      throw new ModelException("model '" + modelName + "': the network returned class id " + id
          + " but the card lists " + classes + " classes (0.." + (classes - 1) + ")");
    }
    return (int) id;
  }

  private Decoded sigmoid(
      Tensor output,
      Placement placement,
      int width,
      int height,
      ResizeMode mode,
      boolean keepScores,
      int threads) {
    if (output.dtype() != Tensor.DType.FLOAT32) {
      throw new ModelException(
          "model '" + modelName + "': output.kind is sigmoid but the network returned "
              + output.dtype() + " " + Arrays.toString(output.shape()));
    }
    int[] dims = withoutBatch(output, 2);
    int oh = dims[0];
    int ow = dims[1];
    float[] prob = output.floats();
    float t = (float) spec.threshold();
    Placement p = placement.toOutput(ow, oh);
    boolean identity = ow == width && oh == height && isIdentity(p);
    ClassMap map = ClassMap.allocate(width, height, 2);
    if (mode == ResizeMode.BILINEAR && !identity) {
      float[] up = bilinearPlane(prob, ow, oh, placement, width, height, kernels, threads);
      threshold(up, t, map.bytes());
    } else {
      ClassMap small = identity ? map : ClassMap.allocate(ow, oh, 2);
      threshold(prob, t, small.bytes());
      if (!identity) {
        nearest(small, map, p, threads);
      }
    }
    return new Decoded(map, keepScores ? Tensor.of(prob, 1, oh, ow) : null);
  }

  /**
   * One plane at the network's output resolution ({@code ow x oh}, e.g. a probability map) resized bilinearly to
   * the image's {@code width x height}, with the mapping and border rule of the bilinear class maps (letterbox
   * padding is not blended in). For soft masks: see {@code render.SoftMasks}.
   *
   * @param placement where the image sat in the network input (as {@code Segmentation.placement()})
   */
  public static float[] bilinearPlane(
      float[] plane,
      int ow,
      int oh,
      Placement placement,
      int width,
      int height,
      Kernels kernels,
      int threads) {
    float[] up = new float[width * height];
    Placement p = placement.toOutput(ow, oh);
    Content in = Content.of(plane, 1, ow, oh, p, width, height);
    Parallel.forRange(
        height,
        threads,
        MIN_ROWS_PER_TASK,
        (from, to) -> kernels
            .resize()
            .bilinear(
                in.data,
                0,
                1,
                in.w,
                in.h,
                up,
                width,
                height,
                in.p.scaleX(),
                in.p.offsetX(),
                in.p.scaleY(),
                in.p.offsetY(),
                from,
                to));
    return up;
  }

  private static void threshold(float[] prob, float t, byte[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (prob[i] > t ? 1 : 0);
    }
  }

  private void nearest(ClassMap small, ClassMap map, Placement p, int threads) {
    int ow = small.width();
    int oh = small.height();
    int width = map.width();
    int height = map.height();
    Parallel.forRange(height, threads, MIN_ROWS_PER_TASK, (from, to) -> {
      if (map.isWide()) {
        kernels
            .resize()
            .nearest(
                small.shorts(),
                ow,
                oh,
                map.shorts(),
                width,
                height,
                p.scaleX(),
                p.offsetX(),
                p.scaleY(),
                p.offsetY(),
                from,
                to);
      } else {
        kernels
            .resize()
            .nearest(
                small.bytes(),
                ow,
                oh,
                map.bytes(),
                width,
                height,
                p.scaleX(),
                p.offsetX(),
                p.scaleY(),
                p.offsetY(),
                from,
                to);
      }
    });
  }

  /**
   * The output cells the image covers, cut out of planar scores when letterbox padding surrounds them, so
   * that bilinear sampling at the image's border clamps to its own cells instead of blending in the padding.
   */
  private record Content(float[] data, int w, int h, Placement p) {
    static Content of(
        float[] planar, int classes, int ow, int oh, Placement p, int width, int height) {
      int x0 = Math.max(0, (int) Math.floor(p.offsetX() + 1e-9));
      int y0 = Math.max(0, (int) Math.floor(p.offsetY() + 1e-9));
      int x1 = Math.min(ow, (int) Math.ceil(p.offsetX() + width * p.scaleX() - 1e-9));
      int y1 = Math.min(oh, (int) Math.ceil(p.offsetY() + height * p.scaleY() - 1e-9));
      if (x1 <= x0 || y1 <= y0 || (x0 == 0 && y0 == 0 && x1 == ow && y1 == oh)) {
        return new Content(planar, ow, oh, p);
      }
      int cw = x1 - x0;
      int ch = y1 - y0;
      float[] cut = new float[classes * cw * ch];
      for (int c = 0; c < classes; c++) {
        for (int y = 0; y < ch; y++) {
          System.arraycopy(planar, c * ow * oh + (y + y0) * ow + x0, cut, (c * ch + y) * cw, cw);
        }
      }
      return new Content(
          cut,
          cw,
          ch,
          new Placement(p.scaleX(), p.offsetX() - x0, p.scaleY(), p.offsetY() - y0, cw, ch));
    }
  }

  private static boolean isIdentity(Placement p) {
    return Math.abs(p.scaleX() - 1) < 1e-12
        && Math.abs(p.scaleY() - 1) < 1e-12
        && p.offsetX() == 0
        && p.offsetY() == 0;
  }

  /** Dims without leading size-1 axes beyond {@code rank}; errors when the batch is not 1 or the rank is off. */
  private int[] withoutBatch(Tensor t, int rank) {
    int[] shape = t.shape();
    int start = 0;
    while (shape.length - start > rank && shape[start] == 1) {
      start++;
    }
    // a trailing channel axis of 1 (NHWC single channel) for 2-d kinds
    int end = shape.length;
    while (end - start > rank && shape[end - 1] == 1) {
      end--;
    }
    if (end - start != rank) {
      throw new ModelException("model '" + modelName + "': output shape " + Arrays.toString(shape)
          + " does not fit output.kind " + spec.kind().name().toLowerCase().replace('_', '-')
          + " (expected "
          + (rank == 3 ? "[1,] C, H, W or [1,] H, W, C" : "[1, 1,] H, W") + " with batch 1)");
    }
    int[] dims = Arrays.copyOfRange(shape, start, end);
    for (int d : dims) {
      if (d <= 0) {
        throw new ModelException(
            "model '" + modelName + "': output shape " + Arrays.toString(shape) + " is empty");
      }
    }
    return dims;
  }

  private boolean channelsLast(int[] dims, Tensor output) {
    Layout layout = spec.layout();
    if (layout == Layout.NHWC) {
      return true;
    }
    if (layout == Layout.NCHW) {
      return false;
    }
    boolean first = dims[0] == classes;
    boolean last = dims[2] == classes;
    if (!first && !last) {
      throw new ModelException(
          "model '" + modelName + "': the network returned shape " + Arrays.toString(output.shape())
              + " but the card lists " + classes
              + " classes: neither the first nor the last axis has " + classes
              + " entries");
    }
    if (first && !last) {
      return false;
    }
    if (last && !first) {
      return true;
    }
    throw new ModelException("model '" + modelName
        + "': cannot tell the class axis of output shape " + Arrays.toString(output.shape())
        + " for " + classes + " classes; set output.layout to NCHW or NHWC in the card");
  }

  private static float[] toPlanar(float[] interleaved, int pixels, int c) {
    float[] planar = new float[pixels * c];
    for (int p = 0; p < pixels; p++) {
      int base = p * c;
      for (int k = 0; k < c; k++) {
        planar[k * pixels + p] = interleaved[base + k];
      }
    }
    return planar;
  }
}
