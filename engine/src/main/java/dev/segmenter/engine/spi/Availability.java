package dev.segmenter.engine.spi;

/** Whether a backend can run here; {@code reason} says why not (or what was found when it can). */
public record Availability(boolean available, String reason) {

  public static Availability yes(String detail) {
    return new Availability(true, detail);
  }

  public static Availability no(String reason) {
    return new Availability(false, reason);
  }
}
