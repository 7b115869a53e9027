package dev.segmenter.engine;

/** A bad option or configuration value: names the source (file, flag, variable), the key and what is accepted. */
public class ConfigException extends SegmenterException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
