package dev.segmenter.video;

import dev.segmenter.engine.ImageException;

/**
 * A video that cannot be read or written: no such file, no container or codec FFmpeg knows, no video stream, a
 * stream that ends early or breaks, or FFmpeg's natives that cannot be loaded. An {@link ImageException} (an input
 * that cannot be read), so callers that handle bad images handle bad videos the same way. Messages are one line
 * and start with the file.
 */
public class VideoException extends ImageException {
  private static final long serialVersionUID = 1L;

  public VideoException(String message) {
    super(message);
  }

  public VideoException(String message, Throwable cause) {
    super(message, cause);
  }
}
