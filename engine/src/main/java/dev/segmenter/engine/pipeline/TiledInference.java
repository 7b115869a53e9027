package dev.segmenter.engine.pipeline;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.model.InputSpec;
import dev.segmenter.engine.model.OutputSpec;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Sliding-window inference with optional test-time augmentation: the image is cut into crops
 * ({@link TilePlan}), each crop goes through the card's preprocessing and the network, and the outputs are
 * blended in score space into a class map at the image's size.
 *
 * <p><b>Blending.</b> Each crop's output is resampled to the crop's image pixels (bilinear for scores and sigmoid
 * probabilities, nearest for class ids, which count as one-hot votes) and added with a window weight: 1 inside the
 * tile, falling linearly towards a side that another tile overlaps, over the overlap's width
 * ({@code min(1, (d + 0.5) / overlap)} at {@code d} pixels from that side; sides on the image's border keep
 * weight 1). The class of a pixel is the argmax of the weighted sum (the same as the argmax of the weighted mean);
 * a sigmoid output is thresholded on the weighted mean. Flipped and rescaled passes add to the same sums.
 *
 * <p><b>Memory.</b> Crops are processed in order of their top row; rows above the next crop's top are final,
 * decided and dropped. So besides the decoded image and the class map, memory holds one band of
 * {@code classes x (tallest crop) x image width} floats plus the crops in flight, never image x classes.
 *
 * <p><b>Parallelism.</b> The crops of one row run on the caller's thread and on the helpers that {@link InferenceSlots}
 * lends for slots free at the row's start, so tiles share the inference slots of a batch instead of adding a pool of
 * their own. Contributions are added in crop order whichever thread computed them, so the class map is the same
 * bytes however many helpers ran.
 *
 * <p>Crops that stick out past the image (a tile larger than the image, or a test-time scale below 1) are filled
 * with the card's mean color, which the network sees as zero. Thread-safe: state lives in each {@link #run}.
 */
public final class TiledInference {
  private final TilePlan plan;
  private final Tta tta;
  private final Preprocessor preprocessor;
  private final Postprocessor postprocessor;
  private final OutputSpec output;
  private final int classes;
  private final Kernels kernels;
  private final byte[] fill;

  /** What a run produced, with the summed time of each stage over all crops. */
  public record Result(
      ClassMap classMap, int crops, double preprocessMs, double forwardMs, double postprocessMs) {}

  public TiledInference(
      TilePlan plan,
      Tta tta,
      InputSpec input,
      OutputSpec output,
      int classes,
      String modelName,
      Kernels kernels) {
    this.plan = plan;
    this.tta = tta;
    this.preprocessor = new Preprocessor(input);
    this.postprocessor = new Postprocessor(output, classes, modelName, kernels);
    this.output = output;
    this.classes = classes;
    this.kernels = kernels;
    this.fill = meanBytes(input);
  }

  public TilePlan plan() {
    return plan;
  }

  public Tta tta() {
    return tta;
  }

  /**
   * Segments one image.
   *
   * @param forward runs the network on one input blob; called from the calling thread and the helpers of
   *     {@code slots} at once
   * @param slots lends helpers for the slots free at the start of each row of crops
   */
  public Result run(BgrImage image, UnaryOperator<Tensor> forward, InferenceSlots slots) {
    List<TilePlan.Crop> crops = plan.crops(image.width(), image.height(), tta);
    int tallest = 0;
    for (TilePlan.Crop c : crops) {
      tallest = Math.max(tallest, Math.min(c.height(), image.height() - c.y()));
    }
    boolean sigmoid = output.kind() == OutputSpec.Kind.SIGMOID;
    Band band = new Band(
        image.width(),
        image.height(),
        tallest,
        sigmoid ? 1 : classes,
        ClassMap.allocate(image.width(), image.height(), sigmoid ? 2 : classes));
    AtomicLong pre = new AtomicLong();
    AtomicLong fwd = new AtomicLong();
    AtomicLong post = new AtomicLong();
    int i = 0;
    while (i < crops.size()) {
      int y = crops.get(i).y();
      int j = i;
      while (j < crops.size() && crops.get(j).y() == y) {
        j++;
      }
      band.finishBelow(y);
      List<TilePlan.Crop> row = crops.subList(i, j);
      slots.runAll(row.size(), k -> one(image, row.get(k), k, forward, band, pre, fwd, post));
      i = j;
    }
    long t0 = System.nanoTime();
    band.finishBelow(image.height());
    post.addAndGet(System.nanoTime() - t0);
    return new Result(band.map, crops.size(), pre.get() / 1e6, fwd.get() / 1e6, post.get() / 1e6);
  }

  /** Crop {@code index} of its row: cut, preprocess, forward, resample and add to the band in row order. */
  private void one(
      BgrImage image,
      TilePlan.Crop c,
      int index,
      UnaryOperator<Tensor> forward,
      Band band,
      AtomicLong pre,
      AtomicLong fwd,
      AtomicLong post) {
    try {
      long t0 = System.nanoTime();
      BgrImage crop = cut(image, c);
      Preprocessor.Blob blob = preprocessor.apply(crop);
      long t1 = System.nanoTime();
      Tensor out = forward.apply(blob.tensor());
      long t2 = System.nanoTime();
      Contribution k = contribution(out, blob.placement(), c, image.width(), image.height());
      band.add(index, k);
      post.addAndGet(System.nanoTime() - t2);
      fwd.addAndGet(t2 - t1);
      pre.addAndGet(t1 - t0);
    } catch (RuntimeException | Error e) {
      band.abort(); // the crops after this one wait for it in band.add
      throw e;
    }
  }

  /** The crop's pixels, mirrored when the crop is a flipped pass; outside the image, the fill color. */
  private BgrImage cut(BgrImage image, TilePlan.Crop c) {
    int w = image.width();
    int cw = c.width();
    int ch = c.height();
    byte[] src = image.data();
    byte[] dst = new byte[Math.multiplyExact(Math.multiplyExact(cw, ch), 3)];
    int inW = Math.min(cw, w - c.x());
    int inH = Math.min(ch, image.height() - c.y());
    if (inW < cw || inH < ch) {
      for (int i = 0; i < cw * ch; i++) {
        dst[3 * i] = fill[0];
        dst[3 * i + 1] = fill[1];
        dst[3 * i + 2] = fill[2];
      }
    }
    for (int y = 0; y < inH; y++) {
      int from = ((c.y() + y) * w + c.x()) * 3;
      int to = y * cw * 3;
      if (!c.flip()) {
        System.arraycopy(src, from, dst, to, inW * 3);
      } else {
        for (int x = 0; x < inW; x++) {
          int d = to + (cw - 1 - x) * 3;
          int s = from + x * 3;
          dst[d] = src[s];
          dst[d + 1] = src[s + 1];
          dst[d + 2] = src[s + 2];
        }
      }
    }
    return new BgrImage(cw, ch, dst);
  }

  /** One crop's weighted scores over its part of the image, planar {@code [channels][rows][cols]}, and weights. */
  private record Contribution(
      int x, int y, int cols, int rows, int channels, float[] scores, float[] weights) {}

  private Contribution contribution(
      Tensor out, Placement placement, TilePlan.Crop c, int width, int height) {
    Postprocessor.Grid g = postprocessor.grid(out);
    int ow = g.width();
    int oh = g.height();
    Placement p = placement.toOutput(ow, oh);
    int cols = Math.min(c.width(), width - c.x());
    int rows = Math.min(c.height(), height - c.y());
    float[] wx = window(cols, c.width(), c.x() > 0, c.x() + c.width() < width, c.overlapX());
    float[] wy = window(rows, c.height(), c.y() > 0, c.y() + c.height() < height, c.overlapY());
    float[] weights = new float[cols * rows];
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        weights[y * cols + x] = wx[x] * wy[y];
      }
    }
    boolean ids = output.kind() == OutputSpec.Kind.CLASS_IDS;
    int channels = output.kind() == OutputSpec.Kind.SIGMOID ? 1 : classes;
    float[] scores = new float[channels * cols * rows];
    int plane = cols * rows;
    if (ids) {
      int[] u = new int[cols];
      for (int x = 0; x < cols; x++) {
        int col = c.flip() ? c.width() - 1 - x : x;
        u[x] = clamp((int) Math.floor((col + 0.5) * p.scaleX() + p.offsetX()), ow);
      }
      for (int y = 0; y < rows; y++) {
        int v = clamp((int) Math.floor((y + 0.5) * p.scaleY() + p.offsetY()), oh);
        for (int x = 0; x < cols; x++) {
          int id = postprocessor.classIdAt(out, v * ow + u[x]);
          int i = y * cols + x;
          scores[id * plane + i] = weights[i];
        }
      }
      return new Contribution(c.x(), c.y(), cols, rows, channels, scores, weights);
    }
    float[] data = out.floats();
    int[] u0 = new int[cols];
    int[] u1 = new int[cols];
    float[] fu = new float[cols];
    for (int x = 0; x < cols; x++) {
      int col = c.flip() ? c.width() - 1 - x : x;
      double f = Math.max(0, Math.min(ow - 1, (col + 0.5) * p.scaleX() + p.offsetX() - 0.5));
      u0[x] = (int) Math.floor(f);
      u1[x] = Math.min(ow - 1, u0[x] + 1);
      fu[x] = (float) (f - u0[x]);
    }
    int outPlane = ow * oh;
    boolean nhwc = g.channelsLast();
    for (int y = 0; y < rows; y++) {
      double f = Math.max(0, Math.min(oh - 1, (y + 0.5) * p.scaleY() + p.offsetY() - 0.5));
      int v0 = (int) Math.floor(f);
      int v1 = Math.min(oh - 1, v0 + 1);
      float fv = (float) (f - v0);
      for (int k = 0; k < channels; k++) {
        int o = k * plane + y * cols;
        for (int x = 0; x < cols; x++) {
          float a;
          float b;
          float d;
          float e;
          if (nhwc) {
            a = data[(v0 * ow + u0[x]) * channels + k];
            b = data[(v0 * ow + u1[x]) * channels + k];
            d = data[(v1 * ow + u0[x]) * channels + k];
            e = data[(v1 * ow + u1[x]) * channels + k];
          } else {
            int base = k * outPlane;
            a = data[base + v0 * ow + u0[x]];
            b = data[base + v0 * ow + u1[x]];
            d = data[base + v1 * ow + u0[x]];
            e = data[base + v1 * ow + u1[x]];
          }
          float top = a + (b - a) * fu[x];
          float bottom = d + (e - d) * fu[x];
          scores[o + x] = (top + (bottom - top) * fv) * weights[y * cols + x];
        }
      }
    }
    return new Contribution(c.x(), c.y(), cols, rows, channels, scores, weights);
  }

  private static int clamp(int i, int n) {
    return Math.max(0, Math.min(n - 1, i));
  }

  /**
   * Window weights along one side of a crop: {@code n} pixels inside the image of a crop {@code size} long, falling
   * towards the start and/or end over {@code overlap} pixels where another tile covers them.
   */
  static float[] window(int n, int size, boolean rampStart, boolean rampEnd, int overlap) {
    float[] w = new float[n];
    Arrays.fill(w, 1f);
    if (overlap <= 0) {
      return w;
    }
    for (int i = 0; i < n; i++) {
      if (rampStart) {
        w[i] = Math.min(w[i], (i + 0.5f) / overlap);
      }
      if (rampEnd) {
        w[i] = Math.min(w[i], (size - i - 0.5f) / overlap);
      }
    }
    return w;
  }

  /** The card's mean color in the image's B, G, R order: the network's zero after normalization. */
  private static byte[] meanBytes(InputSpec spec) {
    byte[] b = new byte[3];
    for (int c = 0; c < 3; c++) {
      int imageChannel = spec.rgb() ? 2 - c : c;
      b[imageChannel] = (byte) Math.max(0, Math.min(255, (int) Math.round(spec.mean()[c])));
    }
    return b;
  }

  /**
   * The rows of weighted sums not yet decided: a ring of {@code capacity} image rows starting at {@code base}.
   * The crops of a row add under the band's lock in their order within the row (float sums then do not depend on
   * which thread finished first); rows are decided once no later crop can reach them.
   */
  private final class Band {
    final int width;
    final int height;
    final int capacity;
    final int channels;
    final ClassMap map;
    final float[][] sums;
    final float[][] weights;
    final byte[] rowBytes;
    final short[] rowShorts;
    int base;
    /** The index within the current row of the crop whose turn it is to add. */
    int nextInRow;

    boolean aborted;

    Band(int width, int height, int capacity, int channels, ClassMap map) {
      this.width = width;
      this.height = height;
      this.capacity = Math.max(1, capacity);
      this.channels = channels;
      this.map = map;
      this.sums = new float[this.capacity][Math.multiplyExact(channels, width)];
      this.weights = new float[this.capacity][width];
      this.rowBytes = map.isWide() ? null : new byte[width];
      this.rowShorts = map.isWide() ? new short[width] : null;
    }

    /** Adds crop {@code index} of the current row, after the crops before it. */
    synchronized void add(int index, Contribution k) {
      while (nextInRow != index && !aborted) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while segmenting tiles", e);
        }
      }
      if (aborted) {
        return; // a crop before this one failed: the run is failing, nothing more is added
      }
      if (k.y() < base || k.y() + k.rows() > base + capacity) {
        throw new IllegalStateException("crop rows " + k.y() + ".." + (k.y() + k.rows())
            + " outside the band " + base + ".." + (base + capacity));
      }
      int plane = k.cols() * k.rows();
      for (int y = 0; y < k.rows(); y++) {
        int r = (k.y() + y) % capacity;
        float[] s = sums[r];
        float[] w = weights[r];
        int from = y * k.cols();
        for (int x = 0; x < k.cols(); x++) {
          w[k.x() + x] += k.weights()[from + x];
        }
        for (int c = 0; c < channels; c++) {
          int o = c * width + k.x();
          int i = c * plane + from;
          for (int x = 0; x < k.cols(); x++) {
            s[o + x] += k.scores()[i + x];
          }
        }
      }
      nextInRow++;
      notifyAll();
    }

    /** A crop failed: wakes the crops waiting for their turn in {@link #add}. */
    synchronized void abort() {
      aborted = true;
      notifyAll();
    }

    /** Decides rows up to {@code row} (exclusive), frees them for rows below, and starts a new row of crops. */
    synchronized void finishBelow(int row) {
      nextInRow = 0;
      int end = Math.min(row, height);
      double threshold = output.threshold();
      for (int y = base; y < end; y++) {
        int r = y % capacity;
        float[] s = sums[r];
        float[] w = weights[r];
        int at = y * width;
        if (output.kind() == OutputSpec.Kind.SIGMOID) {
          byte[] ids = map.bytes();
          for (int x = 0; x < width; x++) {
            ids[at + x] = (byte) (s[x] > threshold * w[x] ? 1 : 0);
          }
        } else if (map.isWide()) {
          kernels.argmax().argmaxPlanar(s, 0, channels, width, 0, width, rowShorts);
          System.arraycopy(rowShorts, 0, map.shorts(), at, width);
        } else {
          kernels.argmax().argmaxPlanar(s, 0, channels, width, 0, width, rowBytes);
          System.arraycopy(rowBytes, 0, map.bytes(), at, width);
        }
        Arrays.fill(s, 0f);
        Arrays.fill(w, 0f);
      }
      base = Math.max(base, end);
    }
  }
}
