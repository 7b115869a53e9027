package dev.segmenter.palettes;

/**
 * A palette that cannot be used: unknown name, too few colors for a model, or a palette file that
 * cannot be read. The message names the palette, file and line, or value at fault and what is accepted.
 */
public class PaletteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PaletteException(String message) {
    super(message);
  }

  public PaletteException(String message, Throwable cause) {
    super(message, cause);
  }
}
