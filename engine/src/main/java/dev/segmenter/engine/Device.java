package dev.segmenter.engine;

import java.util.Locale;

/** Where a backend runs the network. */
public enum Device {
  CPU,
  GPU;

  /** Parses {@code cpu} or {@code gpu} (any case); anything else is a {@link ConfigException} naming {@code source}. */
  public static Device parse(String value, String source) {
    if (value != null) {
      switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "cpu":
          return CPU;
        case "gpu":
        case "cuda":
          return GPU;
        default:
          break;
      }
    }
    throw new ConfigException(source + ": device '" + value + "' is not known; accepted: cpu, gpu");
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
