package dev.segmenter.engine;

/** An input image that cannot be read: missing, unreadable, corrupt, too large, or of no image format. */
public class ImageException extends SegmenterException {
  private static final long serialVersionUID = 1L;

  public ImageException(String message) {
    super(message);
  }

  public ImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
