package dev.segmenter.engine;

/**
 * Base of every error the engine reports. Unchecked; each layer has one subtype whose message
 * names the file, field or value at fault and what would be accepted.
 */
public class SegmenterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SegmenterException(String message) {
    super(message);
  }

  public SegmenterException(String message, Throwable cause) {
    super(message, cause);
  }
}
