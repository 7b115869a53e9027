package dev.segmenter.engine;

/** A model directory, card or model file that cannot be used (missing, corrupt, invalid). */
public class ModelException extends SegmenterException {
  private static final long serialVersionUID = 1L;

  public ModelException(String message) {
    super(message);
  }

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
