package dev.segmenter.engine.pipeline;

import dev.segmenter.engine.ConfigException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Test-time augmentation: each image (or tile) also goes through the network mirrored and/or at other scales,
 * and the outputs are averaged in score space (logits, sigmoid probabilities, or one-hot votes for class-id
 * outputs) before the argmax. A scale {@code s} shows the network the content magnified by {@code s}: a crop of
 * {@code tile / s} image pixels is resized to the network input. Cost: {@code (flip ? 2 : 1) x sum(s^2)} forward
 * passes of the plain run (flip with scales 0.75, 1, 1.25 is 6.25x).
 *
 * @param flip also run the horizontally mirrored input and mirror its scores back
 * @param scales magnifications, each in (0, 8]; {@code [1]} without scale augmentation
 */
public record Tta(boolean flip, double[] scales) {
  /** No augmentation. */
  public static final Tta NONE = new Tta(false, new double[] {1});

  public Tta {
    if (scales == null || scales.length == 0) {
      throw new ConfigException("tta scales: give at least one scale, e.g. scales=0.75,1,1.25");
    }
    scales = scales.clone();
    for (double s : scales) {
      if (!(s > 0 && s <= 8)) {
        throw new ConfigException(
            "tta scale " + s + " is not accepted; accepted: numbers in (0, 8], e.g. 0.75,1,1.25");
      }
    }
  }

  /** The scales (a copy). */
  @Override
  public double[] scales() {
    return scales.clone();
  }

  /** True when this adds nothing to a plain run. */
  public boolean isNone() {
    return !flip && scales.length == 1 && scales[0] == 1;
  }

  /** Forward passes per plain pass (an estimate: scale s costs s^2 as many tiles). */
  public double cost() {
    double sum = 0;
    for (double s : scales) {
      sum += s * s;
    }
    return (flip ? 2 : 1) * sum;
  }

  /**
   * Parses {@code flip}, {@code scales=0.75,1,1.25}, {@code none}, or both joined by {@code +} or {@code ;}
   * ({@code flip+scales=0.75,1,1.25}).
   */
  public static Tta parse(String text) {
    Tta t = NONE;
    for (String part : text.split("[+;]")) {
      t = t.and(parseOne(part.trim(), text));
    }
    return t;
  }

  /** This augmentation combined with another: flip if either flips, the scales of the one that has several. */
  public Tta and(Tta other) {
    boolean f = flip || other.flip;
    double[] s = other.scales.length > 1 || other.scales[0] != 1 ? other.scales : scales;
    return new Tta(f, s);
  }

  private static Tta parseOne(String part, String whole) {
    String p = part.toLowerCase(Locale.ROOT);
    if (p.equals("flip")) {
      return new Tta(true, new double[] {1});
    }
    if (p.equals("none") || p.isEmpty()) {
      return NONE;
    }
    if (p.startsWith("scales=")) {
      String[] items = p.substring("scales=".length()).split(",");
      double[] s = new double[items.length];
      try {
        for (int i = 0; i < items.length; i++) {
          s[i] = Double.parseDouble(items[i].trim());
        }
      } catch (NumberFormatException e) {
        throw new ConfigException(
            "tta '" + whole + "': scales must be numbers, e.g. scales=0.75,1,1.25");
      }
      return new Tta(false, s);
    }
    throw new ConfigException(
        "tta '" + whole + "' is not accepted; accepted: flip, scales=S1,S2,..., none, "
            + "or flip+scales=0.75,1,1.25");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tta t && t.flip == flip && Arrays.equals(t.scales, scales);
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(flip) * 31 + Arrays.hashCode(scales);
  }

  @Override
  public String toString() {
    return (flip ? "flip+" : "") + "scales=" + Arrays.toString(scales).replaceAll("[\\[\\] ]", "");
  }
}
