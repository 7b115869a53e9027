package dev.segmenter.backend.opencv;

import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.spi.BackendSession;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.dnn.Net;

/**
 * One OpenCV {@link Net}. Not thread-safe: {@code setInput} and {@code forward} share the network's
 * state, so callers serialise or open one session per thread.
 *
 * <p>Every {@link Mat} made by {@link #forward} is released before it returns. The {@link Net} itself
 * has no explicit release in OpenCV's Java binding (its native memory is freed when the object is
 * finalized), so {@link #close()} drops the only reference to it.
 */
final class OpenCvSession implements BackendSession {

  private final String inputName;
  private final String outputName;
  private final String device;
  private Net net;

  OpenCvSession(Net net, String inputName, String outputName, String device) {
    this.net = net;
    this.inputName = inputName == null ? "" : inputName;
    this.outputName = outputName;
    this.device = device;
  }

  @Override
  public Tensor forward(Tensor input) {
    return forward(input, null);
  }

  @Override
  public Tensor forward(Tensor input, Tensor spare) {
    Net n = net;
    if (n == null) {
      throw new IllegalStateException("opencv session is closed");
    }
    if (input.dtype() != Tensor.DType.FLOAT32) {
      throw new BackendException(
          BackendException.Reason.FAILED, "opencv: input must be FLOAT32, got " + input.dtype());
    }
    Mat blob = new Mat(input.shape(), CvType.CV_32F);
    Mat out = null;
    Mat converted = null;
    try {
      blob.put(new int[input.rank()], input.floats());
      n.setInput(blob, inputName);
      out = outputName == null ? n.forward() : n.forward(outputName);
      Mat src = out;
      if (!src.isContinuous()) {
        converted = src.clone();
        src = converted;
      }
      int depth = CvType.depth(src.type());
      if (depth != CvType.CV_32F && depth != CvType.CV_32S) {
        Mat f = new Mat();
        src.convertTo(f, CvType.CV_32F);
        if (converted != null) {
          converted.release();
        }
        converted = f;
        src = f;
      }
      int[] shape = shapeOf(src);
      int[] origin = new int[src.dims()];
      if (CvType.depth(src.type()) == CvType.CV_32S) {
        int[] data = new int[Math.toIntExact(src.total() * src.channels())];
        src.get(origin, data);
        return Tensor.of(data, shape);
      }
      float[] data = Tensor.floatsToFill(spare, Math.toIntExact(src.total() * src.channels()));
      src.get(origin, data);
      return Tensor.of(data, shape);
    } catch (RuntimeException e) {
      throw new BackendException(
          BackendException.Reason.FAILED,
          "opencv: forward failed on input " + Arrays.toString(input.shape()) + ": " + oneLine(e),
          e);
    } finally {
      blob.release();
      if (out != null) {
        out.release();
      }
      if (converted != null) {
        converted.release();
      }
    }
  }

  /** The Mat's real shape: one entry per dimension, plus a trailing channel axis when it has several. */
  private static int[] shapeOf(Mat m) {
    int dims = m.dims();
    int channels = m.channels();
    int[] shape = new int[channels > 1 ? dims + 1 : dims];
    for (int i = 0; i < dims; i++) {
      shape[i] = m.size(i);
    }
    if (channels > 1) {
      shape[dims] = channels;
    }
    return shape;
  }

  @Override
  public boolean isThreadSafe() {
    return false;
  }

  @Override
  public String device() {
    return device;
  }

  @Override
  public void close() {
    net = null;
  }

  private static final Pattern CV_ERROR =
      Pattern.compile("error: \\((-?\\d+):([^)]*)\\) (.*?)(?: in function '[^']*')?\\s*\\]?\\s*$");

  /**
   * A runtime message on one line, without the stack trace. OpenCV's {@code cv::Exception} text
   * ({@code OpenCV(4.9.0) /build/path/file.cpp:280: error: (-210:Category) what in function 'f'}) keeps
   * only what went wrong and its category.
   */
  static String oneLine(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      m = t.getClass().getSimpleName();
    }
    m = m.replaceAll("\\s+", " ").trim();
    Matcher cv = CV_ERROR.matcher(m);
    if (cv.find()) {
      m = cv.group(3).trim() + " (" + cv.group(2).trim() + ")";
    }
    return m;
  }
}
