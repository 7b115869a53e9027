package dev.segmenter.backend.pytorch;

import ai.djl.Model;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.CallGuard;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One TorchScript module. Thread-safe: concurrent {@link #forward} calls on one module give the same
 * results as serial ones (see the test); each call owns a sub-{@link NDManager} that frees its
 * tensors before it returns. The first call runs alone, because DJL switches the module to inference
 * mode on it.
 *
 * <p>Output: a tensor as is; a tuple or list gives its first tensor; a dict gives the entry the card's
 * output name names, else its only entry, else {@code out} (torchvision's name), since DJL does not
 * keep a dict's order.
 *
 * <p>Views ({@link #forwardView}): a float output on the CPU comes back as a view of the output tensor's own memory
 * (DJL's {@code toByteBuffer(true)}: a direct buffer over a contiguous tensor, no copy). The call's sub-manager,
 * which owns that memory, stays open until the same thread's next call or close, which end the view's lease
 * first and then free it.
 */
final class PyTorchSession implements BackendSession {

  private final String outputName;
  private final String device;
  private final CallGuard guard = new CallGuard("pytorch session");
  /**
   * Direct input buffers for reuse, at most one per concurrent caller: DJL copies a float[] into a fresh
   * direct buffer per call, freed only when a GC runs its cleaner, so native memory would swing with GC
   * timing (seen in SoakTest). A direct buffer is wrapped by the input tensor without a copy.
   */
  private final ConcurrentLinkedQueue<ByteBuffer> inputBuffers = new ConcurrentLinkedQueue<>();

  private final Model model;
  private volatile boolean warm;
  /** Each thread's last view: its lease and the sub-manager that owns its memory. */
  private final ThreadLocal<Held> held = new ThreadLocal<>();
  /** Every {@link Held} made, so that close frees them. */
  private final ConcurrentLinkedQueue<Held> allHeld = new ConcurrentLinkedQueue<>();

  /** A thread's last view and the memory under it (the output, and the input buffer the call's input wraps). */
  private final class Held {
    Tensor.Lease lease;
    NDManager manager;
    ByteBuffer input;

    synchronized void free() {
      if (input != null) {
        inputBuffers.offer(input);
        input = null;
      }
      if (lease != null) {
        lease.end();
        lease = null;
      }
      if (manager != null) {
        manager.close();
        manager = null;
      }
    }
  }

  PyTorchSession(Model model, String outputName, String device) {
    this.model = model;
    this.outputName = outputName;
    this.device = device;
  }

  @Override
  public Tensor forward(Tensor input) {
    return forward(input, false);
  }

  @Override
  public Tensor forwardView(Tensor input, Tensor spare) {
    return forward(input, true);
  }

  private Tensor forward(Tensor input, boolean view) {
    guard.enter();
    Model m = model;
    try {
      Held h = held.get();
      if (h != null) {
        h.free(); // the SPI's rule: the thread's next call ends its view
      }
      if (!warm) {
        synchronized (this) {
          if (!warm) {
            Tensor t = run(m, input, view);
            warm = true;
            return t;
          }
        }
      }
      return run(m, input, view);
    } finally {
      guard.exit();
    }
  }

  private Tensor run(Model m, Tensor input, boolean view) {
    if (input.dtype() != Tensor.DType.FLOAT32) {
      throw new BackendException(
          BackendException.Reason.FAILED, "pytorch: input must be FLOAT32, got " + input.dtype());
    }
    long[] shape = new long[input.rank()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = input.dim(i);
    }
    float[] in = input.floats();
    ByteBuffer buf = inputBuffers.poll();
    if (buf == null || buf.capacity() < in.length * Float.BYTES) {
      buf = ByteBuffer.allocateDirect(in.length * Float.BYTES).order(ByteOrder.nativeOrder());
    }
    buf.clear();
    buf.asFloatBuffer().put(in);
    buf.limit(in.length * Float.BYTES);
    NDManager call = m.getNDManager().newSubManager();
    boolean kept = false;
    try {
      NDArray x = call.create(buf, new Shape(shape), DataType.FLOAT32);
      NDList out = m.getBlock().forward(new ParameterStore(call, false), new NDList(x), false);
      NDArray a = pick(out);
      if (view
          && a instanceof ai.djl.pytorch.engine.PtNDArray
          && a.getDataType() == DataType.FLOAT32
          && a.getDevice().equals(ai.djl.Device.cpu())) {
        ByteBuffer b = ((ai.djl.pytorch.engine.PtNDArray) a).toByteBuffer(true);
        if (b.isDirect() && b.order() == ByteOrder.nativeOrder()) {
          Held h = held.get();
          if (h == null) {
            h = new Held();
            held.set(h);
            allHeld.add(h);
          }
          h.manager = call;
          h.input = buf;
          h.lease = new Tensor.Lease("pytorch session");
          kept = true;
          return Tensor.view(b, h.lease, shapeOf(a));
        }
      }
      return toTensor(a);
    } catch (BackendException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BackendException(
          BackendException.Reason.FAILED,
          "pytorch: forward failed on input " + Arrays.toString(input.shape()) + ": "
              + PyTorchBackend.RUNTIME.oneLine(e),
          e);
    } finally {
      if (!kept) {
        call.close();
        inputBuffers.offer(buf); // the call's tensors, the input among them, are freed by now
      }
    }
  }

  private NDArray pick(NDList out) {
    if (out.isEmpty()) {
      throw new BackendException(
          BackendException.Reason.FAILED, "pytorch: the module returned no tensor");
    }
    List<String> names = new ArrayList<>();
    for (NDArray a : out) {
      if (a.getName() != null) {
        names.add(a.getName());
      }
    }
    if (names.isEmpty()) { // a tensor, tuple or list
      return out.get(0);
    }
    // a dict: DJL keeps its keys as names but not its order
    String wanted = outputName != null ? outputName : out.size() == 1 ? names.get(0) : "out";
    for (NDArray a : out) {
      if (wanted.equals(a.getName())) {
        return a;
      }
    }
    throw new BackendException(
        BackendException.Reason.FAILED,
        "pytorch: the module returned a dict without '" + wanted + "'; its keys are " + names
            + (outputName == null ? "; name one as output.name in model.yaml" : ""));
  }

  private static int[] shapeOf(NDArray a) {
    long[] s = a.getShape().getShape();
    int[] shape = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      shape[i] = Math.toIntExact(s[i]);
    }
    return shape;
  }

  private static Tensor toTensor(NDArray a) {
    long[] s = a.getShape().getShape();
    int[] shape = new int[s.length];
    for (int i = 0; i < s.length; i++) {
      shape[i] = Math.toIntExact(s[i]);
    }
    DataType type = a.getDataType();
    switch (type) {
      case FLOAT32:
        return Tensor.of(a.toFloatArray(), shape);
      case FLOAT64:
      case FLOAT16:
      case BFLOAT16:
        return Tensor.of(a.toType(DataType.FLOAT32, false).toFloatArray(), shape);
      case INT64:
        return Tensor.of(a.toLongArray(), shape);
      case INT32:
        return Tensor.of(a.toIntArray(), shape);
      case UINT8:
      case INT8:
      case INT16:
        return Tensor.of(a.toType(DataType.INT32, false).toIntArray(), shape);
      default:
        throw new BackendException(
            BackendException.Reason.FAILED,
            "pytorch: output type " + type
                + " is not supported; accepted: float32/64/16, int64, int32, (u)int8, int16");
    }
  }

  /** Arrays still held by the model's manager and its sub-managers: each call's scope must leave none. */
  int liveArrays() {
    guard.enter();
    try {
      return ((BaseNDManager) model.getNDManager()).getManagedArrays().size();
    } finally {
      guard.exit();
    }
  }

  @Override
  public boolean isThreadSafe() {
    return true;
  }

  @Override
  public String device() {
    return device;
  }

  /** Waits for running calls to finish, then frees the module and its memory; later calls throw. */
  @Override
  public void close() {
    if (!guard.closeAndAwait()) {
      return;
    }
    for (Held h; (h = allHeld.poll()) != null; ) {
      h.free();
    }
    inputBuffers.clear();
    model.close();
  }
}
