package dev.segmenter.engine.spi;

import dev.segmenter.engine.Device;

/**
 * How to open a session.
 *
 * @param device where to run; GPU without CUDA is an error, never a fallback
 * @param threads intra-op threads for the runtime; 0 lets the runtime choose
 */
public record SessionOptions(Device device, int threads) {

  public SessionOptions {
    if (device == null) {
      throw new IllegalArgumentException("device must not be null");
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be >= 0, got " + threads);
    }
  }

  public static SessionOptions cpu() {
    return new SessionOptions(Device.CPU, 0);
  }
}
