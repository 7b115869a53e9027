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
import java.util.logging.Logger;

/**
 * One {@link OrtSession}. Thread-safe: {@code OrtSession.run} may be called concurrently, and each
 * call owns its input tensor and result, closed before it returns.
 *
 * <p>Views ({@link #forwardView}): each calling thread has its own pinned output, which ORT writes and the
 * returned view reads in place; the thread's next call (or {@link #close()}) ends the view's lease first.
 */
final class OnnxRuntimeSession implements BackendSession {
  private static final Logger LOG = Logger.getLogger(OnnxRuntimeSession.class.getName());

  private final OrtEnvironment env;
  private final String inputName;
  private final String outputName;
  private final Set<String> outputNames;
  private final String device;
  private final CallGuard guard = new CallGuard("onnxruntime session");
  /**
   * Native buffers for reuse, at most one set per concurrent caller: a fresh direct buffer per frame is freed
   * only when a GC runs its cleaner, so native memory would swing with GC timing (seen in SoakTest).
   */
  private final ConcurrentLinkedQueue<Io> ios = new ConcurrentLinkedQueue<>();
  /** Each thread's buffers for {@link #forwardView}: a view reads its thread's pinned output until that thread's next call. */
  private final ThreadLocal<Io> viewIo = new ThreadLocal<>();
  /** Every {@link #viewIo} made, so that close ends their views and frees their pinned tensors. */
  private final ConcurrentLinkedQueue<Io> viewIos = new ConcurrentLinkedQueue<>();

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
    this.outputName = outputName;
    this.outputNames = Set.of(outputName);
    this.device = device;
  }

  @Override
  public Tensor forward(Tensor input) {
    return forward(input, null);
  }

  @Override
  public Tensor forward(Tensor input, Tensor spare) {
    guard.enter();
    try {
      Io view = viewIo.get();
      if (view != null) {
        view.endLease(); // the SPI's rule: any next call of the thread ends its view
      }
      return run(input, spare);
    } finally {
      guard.exit();
    }
  }

  @Override
  public Tensor forwardView(Tensor input, Tensor spare) {
    guard.enter();
    try {
      Io io = viewIo.get();
      if (io == null) {
        io = new Io();
        viewIo.set(io);
        viewIos.add(io);
      }
      io.endLease();
      return run(input, spare, io);
    } finally {
      guard.exit();
    }
  }

  /**
   * One caller's native buffers: the input (filled from the heap array each call, then used by ORT in place) and,
   * once a float output's shape is known for this input shape, an output tensor that ORT writes into directly
   * ("pinned"), so that the output is copied once, into a Java array the caller may hand back.
   */
  private static final class Io {
    FloatBuffer input;
    long[] pinnedFor;
    FloatBuffer output;
    /** The same memory as {@link #output}, for views. */
    ByteBuffer outputBytes;

    OnnxTensor pinned;
    int[] outputShape;
    /** The lease of the view over {@link #outputBytes} handed out last, if any. */
    Tensor.Lease lease;

    void endLease() {
      if (lease != null) {
        lease.end();
        lease = null;
      }
    }

    void unpin() {
      endLease();
      if (pinned != null) {
        pinned.close();
      }
      pinned = null;
      output = null;
      outputBytes = null;
      pinnedFor = null;
    }
  }

  private Tensor run(Tensor input, Tensor spare) {
    Io io = ios.poll();
    if (io == null) {
      io = new Io();
    }
    try {
      return run(input, spare, io);
    } finally {
      ios.offer(io);
    }
  }

  /** One call on {@code io}'s buffers; a view of its pinned output when {@code io} is a thread's view buffers. */
  private Tensor run(Tensor input, Tensor spare, Io io) {
    if (input.dtype() != Tensor.DType.FLOAT32) {
      throw new BackendException(
          BackendException.Reason.FAILED,
          "onnxruntime: input must be FLOAT32, got " + input.dtype());
    }
    float[] in = input.floats();
    if (io.input == null || io.input.capacity() < in.length) {
      io.input = ByteBuffer.allocateDirect(in.length * Float.BYTES)
          .order(ByteOrder.nativeOrder())
          .asFloatBuffer();
    }
    io.input.clear();
    io.input.put(in).flip();
    long[] shape = new long[input.rank()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = input.dim(i);
    }
    try {
      if (Arrays.equals(io.pinnedFor, shape)) {
        try {
          return runPinned(io, shape, spare, viewIo.get() == io);
        } catch (OrtException e) {
          // the output's shape changed for the same input shape (a data-dependent graph): run
          // without pinning
          LOG.fine(() -> "onnxruntime: pinned output refused ("
              + OnnxRuntimeBackend.RUNTIME.oneLine(e) + "); running unpinned");
        }
      }
      return runAndPin(io, shape);
    } catch (OrtException | RuntimeException e) {
      io.unpin();
      if (e instanceof BackendException) {
        throw (BackendException) e;
      }
      throw new BackendException(
          BackendException.Reason.FAILED,
          "onnxruntime: forward failed on input " + Arrays.toString(shape) + ": "
              + OnnxRuntimeBackend.RUNTIME.oneLine(e),
          e);
    }
  }

  /**
   * ORT writes the output into {@code io.output}; then a view of it under a new lease, or one copy from there into
   * {@code spare}'s array or a new one.
   */
  private Tensor runPinned(Io io, long[] shape, Tensor spare, boolean view) throws OrtException {
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, io.input, shape);
        OrtSession.Result result =
            session.run(Map.of(inputName, tensor), Set.of(), Map.of(outputName, io.pinned))) {
      if (view) {
        io.lease = new Tensor.Lease("onnxruntime session");
        return Tensor.view(io.outputBytes, io.lease, io.outputShape);
      }
      int n = io.output.capacity();
      float[] out = Tensor.floatsToFill(spare, n);
      io.output.clear();
      io.output.get(out);
      return Tensor.of(out, io.outputShape.clone());
    }
  }

  /** A plain run (ORT allocates the output); a float output's shape is then pinned for later calls of this shape. */
  private Tensor runAndPin(Io io, long[] shape) throws OrtException {
    io.unpin();
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, io.input, shape);
        OrtSession.Result result = session.run(Map.of(inputName, tensor), outputNames)) {
      OnnxValue value = result.get(0);
      if (!(value instanceof OnnxTensor)) {
        throw new BackendException(
            BackendException.Reason.FAILED,
            "onnxruntime: output '" + outputName + "' is a " + value.getType() + ", not a tensor");
      }
      Tensor out = toTensor((OnnxTensor) value);
      if (((OnnxTensor) value).getInfo().type == ai.onnxruntime.OnnxJavaType.FLOAT
          && out.size() > 0) {
        io.outputBytes =
            ByteBuffer.allocateDirect(out.size() * Float.BYTES).order(ByteOrder.nativeOrder());
        io.output = io.outputBytes.asFloatBuffer();
        long[] outShape = Arrays.stream(out.shape()).asLongStream().toArray();
        io.pinned = OnnxTensor.createTensor(env, io.output, outShape);
        io.outputShape = out.shape();
        io.pinnedFor = shape;
      }
      return out;
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
      case DOUBLE: {
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
      case INT8: {
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
            "onnxruntime: output type " + info.type
                + " is not supported; accepted: float, double, int64, int32," + " uint8, int8");
    }
  }

  // The getXxxBuffer() getters already return a fresh heap copy: take its array as is when it is
  // exact.

  private static float[] array(FloatBuffer b) {
    if (b.hasArray()
        && b.arrayOffset() == 0
        && b.position() == 0
        && b.array().length == b.remaining()) {
      return b.array();
    }
    float[] a = new float[b.remaining()];
    b.get(a);
    return a;
  }

  private static long[] array(LongBuffer b) {
    if (b.hasArray()
        && b.arrayOffset() == 0
        && b.position() == 0
        && b.array().length == b.remaining()) {
      return b.array();
    }
    long[] a = new long[b.remaining()];
    b.get(a);
    return a;
  }

  private static int[] array(IntBuffer b) {
    if (b.hasArray()
        && b.arrayOffset() == 0
        && b.position() == 0
        && b.array().length == b.remaining()) {
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
    for (Io io; (io = ios.poll()) != null; ) {
      io.unpin();
    }
    for (Io io; (io = viewIos.poll()) != null; ) {
      io.unpin(); // ends the last view of each thread
    }
    try {
      session.close();
    } catch (OrtException e) {
      // nothing a caller could do; the session's memory is gone either way
    } finally {
      options.close();
    }
  }
}
