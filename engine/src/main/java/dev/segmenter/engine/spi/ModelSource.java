package dev.segmenter.engine.spi;

import dev.segmenter.engine.ModelFormat;
import java.nio.file.Path;

/**
 * The file(s) a backend loads.
 *
 * @param format the file's format
 * @param file the weights or graph file (exists, inside the model directory)
 * @param config the second file some formats need (Caffe prototxt, Darknet cfg, TensorFlow pbtxt), or null
 * @param inputName the network's input name from the card, or null for the first input
 * @param outputName the network's output name from the card, or null for the first output
 */
public record ModelSource(
    ModelFormat format, Path file, Path config, String inputName, String outputName) {

  public ModelSource {
    if (format == null || file == null) {
      throw new IllegalArgumentException("format and file are required");
    }
  }
}
