package dev.segmenter.engine;

import java.util.Arrays;

/**
 * A thin tensor: a shape and one primitive array in row-major order. Not an ND-array library.
 *
 * <p>Ownership: the {@code of(...)} factories wrap the given array without copying, and
 * {@link #floats()}, {@link #ints()}, {@link #longs()} return that same array (a view). Callers that
 * keep a tensor must not change its array afterwards.
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

  private Tensor(DType dtype, int[] shape, Object data, int length) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + n + " elements but the array has " + length);
    }
    this.dtype = dtype;
    this.shape = shape.clone();
    this.data = data;
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
   * An array of {@code length} floats to fill: {@code spare}'s own array when it is FLOAT32 of exactly that length
   * (see {@link dev.segmenter.engine.spi.BackendSession#forward(Tensor, Tensor)}), else a new one.
   */
  public static float[] floatsToFill(Tensor spare, int length) {
    if (spare != null && spare.dtype == DType.FLOAT32 && ((float[]) spare.data).length == length) {
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
    return (float[]) data;
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
    return "Tensor[" + dtype + " " + Arrays.toString(shape) + "]";
  }
}
