package dev.segmenter.backend.opencv;

import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.spi.BackendSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
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
 *
 * <p>Views ({@link #forwardView}): OpenCV copies a float output, natively, into a direct buffer this session owns
 * (a {@link Mat} over it), and the view reads that buffer until the next forward or close. Not a zero-copy view of
 * the net's own output blob: its address ({@code Mat.dataAddr()}) cannot be wrapped as a buffer on Java 17
 * without JNI or opening {@code java.nio} (and on 22+ only through a restricted method), and the blob is freed or
 * rewritten by the net behind Java's back. What the view spares is the copy into a Java array.
 */
final class OpenCvSession implements BackendSession {

  private final String inputName;
  private final String outputName;
  private final String device;
  private Net net;
  /** The buffer float outputs are copied into for views, the Mat over it, and its address as OpenCV saw it. */
  private ByteBuffer viewBytes;

  private Mat viewMat;
  private long viewAddress;
  private Tensor.Lease lease;

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
    return forward(input, spare, false);
  }

  @Override
  public Tensor forwardView(Tensor input, Tensor spare) {
    return forward(input, spare, true);
  }

  private Tensor forward(Tensor input, Tensor spare, boolean view) {
    if (lease != null) {
      lease.end();
      lease = null;
    }
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
      if (view && src.total() > 0) {
        Tensor v = intoViewBuffer(src, shape);
        if (v != null) {
          return v;
        }
      }
      float[] data = Tensor.floatsToFill(spare, Math.toIntExact(src.total() * src.channels()));
      src.get(origin, data);
      return Tensor.of(data, shape);
    } catch (RuntimeException e) {
      throw new BackendException(
          BackendException.Reason.FAILED,
          "opencv: forward failed on input " + Arrays.toString(input.shape()) + ": "
              + OpenCvBackend.RUNTIME.oneLine(e),
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

  /**
   * Copies a continuous float Mat into {@link #viewBytes} (OpenCV's own copy, native to native) and returns a view
   * of it; null when OpenCV put the copy elsewhere (then the caller copies to the heap).
   */
  private Tensor intoViewBuffer(Mat src, int[] shape) {
    int n = Math.toIntExact(src.total() * src.channels());
    if (viewBytes == null || viewBytes.capacity() != n * Float.BYTES) {
      releaseView();
      viewBytes = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder());
      viewMat = new Mat(1, n, CvType.CV_32F, viewBytes);
      viewAddress = viewMat.dataAddr();
    }
    Mat flat = src.reshape(1, 1);
    try {
      flat.copyTo(viewMat);
    } finally {
      flat.release();
    }
    if (viewMat.dataAddr() != viewAddress) {
      releaseView(); // OpenCV reallocated instead of writing our buffer
      return null;
    }
    lease = new Tensor.Lease("opencv session");
    return Tensor.view(viewBytes, lease, shape);
  }

  private void releaseView() {
    if (viewMat != null) {
      viewMat.release();
    }
    viewMat = null;
    viewBytes = null;
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
    if (lease != null) {
      lease.end();
      lease = null;
    }
    releaseView();
    net = null;
  }
}
