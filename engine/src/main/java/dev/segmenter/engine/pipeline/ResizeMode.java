package dev.segmenter.engine.pipeline;

import dev.segmenter.engine.ConfigException;
import java.util.Locale;

/** How the network's output is brought back to the image's size. */
public enum ResizeMode {
  /** Argmax at network resolution, then nearest-neighbour on the class map: fast. */
  NEAREST,
  /** Bilinear on the scores, then argmax: accurate at class borders (what torchvision and MMSegmentation do). */
  BILINEAR;

  public static ResizeMode parse(String value, String source) {
    if (value != null) {
      for (ResizeMode m : values()) {
        if (m.name().equalsIgnoreCase(value.trim())) {
          return m;
        }
      }
    }
    throw new ConfigException(
        source + ": resize mode '" + value + "' is not known; accepted: nearest, bilinear");
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
