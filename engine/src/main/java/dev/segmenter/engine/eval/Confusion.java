package dev.segmenter.engine.eval;

import dev.segmenter.engine.ClassMap;
import java.util.ArrayList;
import java.util.List;

/**
 * A confusion matrix over label and predicted class maps, and the usual segmentation scores from it.
 * Label pixels equal to the ignore id are skipped; label ids outside {@code 0..classes-1} are skipped too.
 * Not thread-safe: one per evaluation (merge with {@link #add(Confusion)}).
 */
public final class Confusion {
  private final int classes;
  private final int ignore;
  private final long[] counts;

  public Confusion(int classes, int ignore) {
    if (classes <= 0 || classes > 4096) {
      throw new IllegalArgumentException("classes must be 1..4096, got " + classes);
    }
    this.classes = classes;
    this.ignore = ignore;
    this.counts = new long[classes * classes];
  }

  /** Adds one image; both maps must have the same size. */
  public void add(ClassMap label, ClassMap predicted) {
    if (label.width() != predicted.width() || label.height() != predicted.height()) {
      throw new IllegalArgumentException("label " + label.width() + "x" + label.height()
          + " and prediction " + predicted.width() + "x" + predicted.height() + " differ in size");
    }
    int n = label.pixels();
    for (int i = 0; i < n; i++) {
      int l = label.get(i);
      if (l == ignore || l >= classes) {
        continue;
      }
      int p = predicted.get(i);
      if (p >= classes) {
        continue;
      }
      counts[l * classes + p]++;
    }
  }

  /**
   * Adds {@code pixels} pixels labelled {@code label} and predicted {@code predicted} (e.g. a cell of a matrix summed
   * elsewhere, as Spark does across partitions).
   */
  public void add(int label, int predicted, long pixels) {
    if (label < 0 || label >= classes || predicted < 0 || predicted >= classes || pixels < 0) {
      throw new IllegalArgumentException("cell (" + label + ", " + predicted + ") += " + pixels
          + " is outside " + classes + " classes or negative");
    }
    counts[label * classes + predicted] += pixels;
  }

  public void add(Confusion other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
  }

  public int classes() {
    return classes;
  }

  /** Pixels labelled {@code label} and predicted {@code predicted}. */
  public long count(int label, int predicted) {
    return counts[label * classes + predicted];
  }

  /** Per-class scores. */
  public record ClassScore(
      int id, long labelPixels, long predictedPixels, double iou, double accuracy) {
    /** True when the class occurs in the labels or the predictions. */
    public boolean present() {
      return labelPixels > 0 || predictedPixels > 0;
    }
  }

  public List<ClassScore> perClass() {
    List<ClassScore> out = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      long tp = count(c, c);
      long label = 0;
      long pred = 0;
      for (int k = 0; k < classes; k++) {
        label += count(c, k);
        pred += count(k, c);
      }
      long union = label + pred - tp;
      out.add(new ClassScore(
          c,
          label,
          pred,
          union == 0 ? Double.NaN : (double) tp / union,
          label == 0 ? Double.NaN : (double) tp / label));
    }
    return out;
  }

  /** Mean IoU over the classes present in the labels or the predictions. */
  public double meanIou() {
    double sum = 0;
    int n = 0;
    for (ClassScore s : perClass()) {
      if (s.present()) {
        sum += s.iou();
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Correct pixels over counted pixels. */
  public double pixelAccuracy() {
    long tp = 0;
    long all = 0;
    for (int c = 0; c < classes; c++) {
      tp += count(c, c);
    }
    for (long v : counts) {
      all += v;
    }
    return all == 0 ? Double.NaN : (double) tp / all;
  }
}
