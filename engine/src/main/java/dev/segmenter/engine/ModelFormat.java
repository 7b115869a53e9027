package dev.segmenter.engine;

import java.util.List;
import java.util.Locale;

/** The file formats a model can come in. The card key is the name used under {@code files:} in {@code model.yaml}. */
public enum ModelFormat {
  ONNX("onnx", List.of(".onnx")),
  TORCHSCRIPT("torchscript", List.of(".pt", ".torchscript", ".pth")),
  CAFFE("caffe", List.of(".caffemodel")),
  TENSORFLOW("tensorflow", List.of(".pb")),
  TORCH7("torch7", List.of(".t7", ".net")),
  DARKNET("darknet", List.of(".weights")),
  TFLITE("tflite", List.of(".tflite"));

  private final String key;
  private final List<String> extensions;

  ModelFormat(String key, List<String> extensions) {
    this.key = key;
    this.extensions = extensions;
  }

  /** The name used in model cards and on the command line. */
  public String key() {
    return key;
  }

  public List<String> extensions() {
    return extensions;
  }

  /** The format a card key names, or null. */
  public static ModelFormat fromKey(String key) {
    for (ModelFormat f : values()) {
      if (f.key.equalsIgnoreCase(key)) {
        return f;
      }
    }
    return null;
  }

  /** The format a file name's extension says, or null when the extension says none. */
  public static ModelFormat fromFileName(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    for (ModelFormat f : values()) {
      for (String ext : f.extensions) {
        if (lower.endsWith(ext)) {
          return f;
        }
      }
    }
    return null;
  }

  /** All card keys, comma separated, for error messages. */
  public static String keys() {
    StringBuilder sb = new StringBuilder();
    for (ModelFormat f : values()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(f.key);
    }
    return sb.toString();
  }
}
