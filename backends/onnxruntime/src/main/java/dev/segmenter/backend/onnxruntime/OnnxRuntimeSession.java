package dev.segmenter.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.CallGuard;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One {@link OrtSession}. Thread-safe: {@code OrtSession.run} may be called concurrently, and each
 * call owns its input tensor and result, closed before it returns.
 */
final class OnnxRuntimeSession implements BackendSession {

  private final OrtEnvironment env;
  private final String inputName;
  private final Set<String> outputNames;
  private final String device;
  private final CallGuard guard = new CallGuard("onnxruntime session");
  /**
   * Direct input buffers for reuse, at most one per concurrent caller: a fresh direct buffer per frame is
   * freed only when a GC runs its cleaner, so native memory would swing with GC timing (seen in SoakTest).
   */
  private final ConcurrentLinkedQueue<FloatBuffer> inputBuffers = new ConcurrentLinkedQueue<>();
  private final OrtSession session;
  private final OrtSession.SessionOptions options;

  OnnxRuntimeSession(
      OrtEnvironment env,
      OrtSession session,
      OrtSession.SessionOptions options,
      String inputName,
      String outputName,
      String device) {
    this.env = env;
    this.session = session;
    this.options = options;
    this.inputName = inputName;
    this.outputNames = Set.of(outputName);
    this.device = device;
  }

  @Override
  public Tensor forward(Tensor input) {
    guard.enter();
    try {
      return run(session, input);
    } finally {
      guard.exit();
    }
  }

  private Tensor run(OrtSession s, Tensor input) {
    if (input.dtype() != Tensor.DType.FLOAT32) {
      throw new BackendException(
          BackendException.Reason.FAILED, "onnxruntime: input must be FLOAT32, got " + input.dtype());
    }
    float[] in = input.floats();
    // the one input copy: heap float[] -> direct native-order buffer (reused), which ORT then uses in place
    FloatBuffer direct = inputBuffers.poll();
    if (direct == null || direct.capacity() < in.length) {
      direct = ByteBuffer.allocateDirect(in.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
    direct.clear();
    direct.put(in).flip();
    long[] shape = new long[input.rank()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = input.dim(i);
    }
    try {
      return run(s, direct, shape);
    } finally {
      inputBuffers.offer(direct);
    }
  }

  private Tensor run(OrtSession s, FloatBuffer direct, long[] shape) {
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, direct, shape);
        OrtSession.Result result = s.run(Map.of(inputName, tensor), outputNames)) {
      OnnxValue value = result.get(0);
      if (!(value instanceof OnnxTensor)) {
        throw new BackendException(
            BackendException.Reason.FAILED,
            "onnxruntime: output '" + outputNames.iterator().next() + "' is a " + value.getType()
                + ", not a tensor");
      }
      return toTensor((OnnxTensor) value);
    } catch (OrtException | RuntimeException e) {
      if (e instanceof BackendException) {
        throw (BackendException) e;
      }
      throw new BackendException(
          BackendException.Reason.FAILED,
          "onnxruntime: forward failed on input " + Arrays.toString(shape) + ": " + oneLine(e),
          e);
    }
  }

  /** Copies the output once, into the array the tensor wraps. */
  private static Tensor toTensor(OnnxTensor out) {
    TensorInfo info = out.getInfo();
    long[] longShape = info.getShape();
    int[] shape = new int[longShape.length];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = Math.toIntExact(longShape[i]);
    }
    switch (info.type) {
      case FLOAT:
      case FLOAT16:
      case BFLOAT16:
        return Tensor.of(array(out.getFloatBuffer()), shape);
      case DOUBLE:
        {
          DoubleBuffer d = out.getDoubleBuffer();
          float[] f = new float[d.remaining()];
          for (int i = 0; i < f.length; i++) {
            f[i] = (float) d.get(i);
          }
          return Tensor.of(f, shape);
        }
      case INT64:
        return Tensor.of(array(out.getLongBuffer()), shape);
      case INT32:
        return Tensor.of(array(out.getIntBuffer()), shape);
      case UINT8:
      case INT8:
        {
          ByteBuffer b = out.getByteBuffer();
          int[] a = new int[b.remaining()];
          boolean unsigned = info.type == ai.onnxruntime.OnnxJavaType.UINT8;
          for (int i = 0; i < a.length; i++) {
            byte v = b.get(i);
            a[i] = unsigned ? (v & 0xff) : v;
          }
          return Tensor.of(a, shape);
        }
      default:
        throw new BackendException(
            BackendException.Reason.FAILED,
            "onnxruntime: output type " + info.type + " is not supported; accepted: float, double, int64, int32,"
                + " uint8, int8");
    }
  }

  // The getXxxBuffer() getters already return a fresh heap copy: take its array as is when it is exact.

  private static float[] array(FloatBuffer b) {
    if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.array().length == b.remaining()) {
      return b.array();
    }
    float[] a = new float[b.remaining()];
    b.get(a);
    return a;
  }

  private static long[] array(LongBuffer b) {
    if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.array().length == b.remaining()) {
      return b.array();
    }
    long[] a = new long[b.remaining()];
    b.get(a);
    return a;
  }

  private static int[] array(IntBuffer b) {
    if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.array().length == b.remaining()) {
      return b.array();
    }
    int[] a = new int[b.remaining()];
    b.get(a);
    return a;
  }

  @Override
  public boolean isThreadSafe() {
    return true;
  }

  @Override
  public String device() {
    return device;
  }

  /** Waits for running calls to finish, then frees the session; later calls throw. */
  @Override
  public void close() {
    if (!guard.closeAndAwait()) {
      return;
    }
    inputBuffers.clear();
    try {
      session.close();
    } catch (OrtException e) {
      // nothing a caller could do; the session's memory is gone either way
    } finally {
      options.close();
    }
  }

  static String oneLine(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      m = t.getClass().getSimpleName();
    }
    return m.replaceAll("\\s+", " ").trim();
  }
}
