package dev.segmenter.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A thin tensor: a shape and one primitive array in row-major order. Not an ND-array library.
 *
 * <p>Ownership: the {@code of(...)} factories wrap the given array without copying, and
 * {@link #floats()}, {@link #ints()}, {@link #longs()} return that same array (a view). Callers that
 * keep a tensor must not change its array afterwards.
 *
 * <p>Views: {@link #view} wraps FLOAT32 scores in native memory that a backend session owns (a direct buffer in
 * native byte order), without copying. A view is valid while its {@link Lease} lasts: the session ends the lease
 * when it moves on (its next forward pass, or close), and every read of an ended view throws
 * {@link IllegalStateException}. Read a view with {@link #nativeFloats()}; {@link #floats()} refuses it, so that
 * no copy happens unasked; {@link #toHeap()} is the one copying getter (its bytes are counted, see
 * {@link #heapCopyBytes()}).
 */
public final class Tensor {

  /** Element types the pipeline accepts from a backend. */
  public enum DType {
    FLOAT32,
    INT32,
    INT64
  }

  private final DType dtype;
  private final int[] shape;
  private final Object data;
  /** Non-null for views of native memory. */
  private final Lease lease;

  /** Bytes of views copied into Java arrays by {@link #toHeap}, in this process. */
  private static final LongAdder HEAP_COPY_BYTES = new LongAdder();

  /**
   * How long a session's views stay valid. The session makes one per output it hands out and {@link #end()}s it
   * when it writes that memory again or frees it.
   */
  public static final class Lease {
    private final String owner;
    private volatile boolean ended;

    /** @param owner what hands the views out, for messages (e.g. "onnxruntime session") */
    public Lease(String owner) {
      this.owner = owner;
    }

    /** Ends the views under this lease; idempotent. */
    public void end() {
      ended = true;
    }

    public boolean isEnded() {
      return ended;
    }

    void check() {
      if (ended) {
        throw new IllegalStateException(
            "this output view of the " + owner + " is no longer valid: the session "
                + "has run its next forward pass or closed; copy it with Tensor.toHeap() before then to keep it");
      }
    }
  }

  private Tensor(DType dtype, int[] shape, Object data, int length) {
    this(dtype, shape, data, length, null);
  }

  private Tensor(DType dtype, int[] shape, Object data, int length, Lease lease) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
          + " elements but the array has " + length);
    }
    this.dtype = dtype;
    this.shape = shape.clone();
    this.data = data;
    this.lease = lease;
  }

  public static Tensor of(float[] data, int... shape) {
    return new Tensor(DType.FLOAT32, shape, data, data.length);
  }

  public static Tensor of(int[] data, int... shape) {
    return new Tensor(DType.INT32, shape, data, data.length);
  }

  public static Tensor of(long[] data, int... shape) {
    return new Tensor(DType.INT64, shape, data, data.length);
  }

  /**
   * A FLOAT32 view of {@code nativeFloats} from its position to its limit (a direct buffer in native byte order,
   * exactly {@code 4 x size} bytes), valid while {@code lease} lasts. Nothing is copied.
   */
  public static Tensor view(ByteBuffer nativeFloats, Lease lease, int... shape) {
    if (!nativeFloats.isDirect() || nativeFloats.order() != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException(
          "a tensor view needs a direct buffer in native byte order, got " + nativeFloats);
    }
    if (nativeFloats.remaining() % Float.BYTES != 0) {
      throw new IllegalArgumentException(
          "a float view needs a multiple of 4 bytes, got " + nativeFloats.remaining());
    }
    ByteBuffer b = nativeFloats.slice().order(ByteOrder.nativeOrder());
    return new Tensor(
        DType.FLOAT32,
        shape,
        b,
        b.remaining() / Float.BYTES,
        java.util.Objects.requireNonNull(lease));
  }

  /**
   * An array of {@code length} floats to fill: {@code spare}'s own array when it is FLOAT32 of exactly that length
   * (see {@link dev.segmenter.engine.spi.BackendSession#forward(Tensor, Tensor)}), else a new one.
   */
  public static float[] floatsToFill(Tensor spare, int length) {
    if (spare != null
        && spare.dtype == DType.FLOAT32
        && spare.lease == null
        && ((float[]) spare.data).length == length) {
      return (float[]) spare.data;
    }
    return new float[length];
  }

  public DType dtype() {
    return dtype;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int axis) {
    return shape[axis];
  }

  public int size() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** The backing float array (a view, not a copy). */
  public float[] floats() {
    if (dtype != DType.FLOAT32) {
      throw new IllegalStateException("tensor is " + dtype + ", not FLOAT32");
    }
    if (lease != null) {
      throw new IllegalStateException(
          "tensor is a view of a session's native memory, not an array; read it with "
              + "nativeFloats() or copy it with toHeap()");
    }
    return (float[]) data;
  }

  /** True for a view of a session's native memory ({@link #view}). */
  public boolean isView() {
    return lease != null;
  }

  /**
   * A view's scores: a direct buffer in native byte order from index 0, to read with absolute gets only (the
   * same buffer each call).
   *
   * @throws IllegalStateException when this is no view, or its session has moved on
   */
  public ByteBuffer nativeFloats() {
    if (lease == null) {
      throw new IllegalStateException("tensor is a Java array, not a view; read it with floats()");
    }
    lease.check();
    return (ByteBuffer) data;
  }

  /**
   * This tensor with its data in a Java array: itself when it is one already, else a copy of the view (counted in
   * {@link #heapCopyBytes()}).
   *
   * @throws IllegalStateException when the view's session has moved on
   */
  public Tensor toHeap() {
    return toHeap(null);
  }

  /** Like {@link #toHeap()}, copying into {@code spare}'s array when it fits (see {@link #floatsToFill}). */
  public Tensor toHeap(Tensor spare) {
    if (lease == null) {
      return this;
    }
    ByteBuffer b = nativeFloats();
    float[] a = floatsToFill(spare, size());
    b.asFloatBuffer().get(0, a);
    lease.check(); // the session may have written it meanwhile
    HEAP_COPY_BYTES.add((long) a.length * Float.BYTES);
    return of(a, shape);
  }

  /** Bytes that {@link #toHeap} copied out of views into Java arrays in this process so far. */
  public static long heapCopyBytes() {
    return HEAP_COPY_BYTES.sum();
  }

  /** The backing int array (a view, not a copy). */
  public int[] ints() {
    if (dtype != DType.INT32) {
      throw new IllegalStateException("tensor is " + dtype + ", not INT32");
    }
    return (int[]) data;
  }

  /** The backing long array (a view, not a copy). */
  public long[] longs() {
    if (dtype != DType.INT64) {
      throw new IllegalStateException("tensor is " + dtype + ", not INT64");
    }
    return (long[]) data;
  }

  @Override
  public String toString() {
    return "Tensor[" + dtype + " " + Arrays.toString(shape) + (lease != null ? " view" : "") + "]";
  }
}
