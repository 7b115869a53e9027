package dev.segmenter.engine.kernels;

import java.nio.ByteBuffer;

/**
 * Plain-Java argmax: the reference every other implementation must match bit for bit.
 * The comparison {@code v > best} with {@code best} starting at -Infinity and the id at 0 gives the rules of
 * {@link ArgmaxKernel} (NaN never compares greater, ties keep the first class, -0.0 == +0.0) except one: when
 * the first non-NaN score is -Infinity it must still beat the NaNs before it, hence the {@code found} flag.
 */
public class ScalarArgmaxKernel extends ArgmaxKernel {

  public static final ScalarArgmaxKernel INSTANCE = new ScalarArgmaxKernel();

  protected ScalarArgmaxKernel() {}

  /** The argmax of one planar pixel; also the tail of the vector kernels. */
  public static int planarAt(float[] scores, int offset, int classes, int pixels, int p) {
    float best = Float.NEGATIVE_INFINITY;
    int id = 0;
    boolean found = false;
    int i = offset + p;
    for (int c = 0; c < classes; c++, i += pixels) {
      float v = scores[i];
      if (v > best) {
        best = v;
        id = c;
        found = true;
      } else if (!found && v == Float.NEGATIVE_INFINITY) {
        id = c;
        found = true;
      }
    }
    return id;
  }

  /** The argmax of one planar pixel of floats in a native-order buffer (float {@code i} at byte {@code 4i}). */
  public static int planarAt(ByteBuffer scores, int offset, int classes, int pixels, int p) {
    float best = Float.NEGATIVE_INFINITY;
    int id = 0;
    boolean found = false;
    int i = offset + p;
    for (int c = 0; c < classes; c++, i += pixels) {
      float v = scores.getFloat(i * Float.BYTES);
      if (v > best) {
        best = v;
        id = c;
        found = true;
      } else if (!found && v == Float.NEGATIVE_INFINITY) {
        id = c;
        found = true;
      }
    }
    return id;
  }

  /** The argmax of one interleaved pixel. */
  public static int interleavedAt(float[] scores, int offset, int classes, int p) {
    float best = Float.NEGATIVE_INFINITY;
    int id = 0;
    boolean found = false;
    int i = offset + p * classes;
    for (int c = 0; c < classes; c++) {
      float v = scores[i + c];
      if (v > best) {
        best = v;
        id = c;
        found = true;
      } else if (!found && v == Float.NEGATIVE_INFINITY) {
        id = c;
        found = true;
      }
    }
    return id;
  }

  @Override
  protected void doArgmaxPlanar(
      float[] scores, int offset, int classes, int pixels, int from, int to, byte[] out) {
    for (int p = from; p < to; p++) {
      out[p] = (byte) planarAt(scores, offset, classes, pixels, p);
    }
  }

  @Override
  protected void doArgmaxPlanar(
      float[] scores, int offset, int classes, int pixels, int from, int to, short[] out) {
    for (int p = from; p < to; p++) {
      out[p] = (short) planarAt(scores, offset, classes, pixels, p);
    }
  }

  @Override
  protected void doArgmaxPlanar(
      ByteBuffer scores, int offset, int classes, int pixels, int from, int to, byte[] out) {
    for (int p = from; p < to; p++) {
      out[p] = (byte) planarAt(scores, offset, classes, pixels, p);
    }
  }

  @Override
  protected void doArgmaxPlanar(
      ByteBuffer scores, int offset, int classes, int pixels, int from, int to, short[] out) {
    for (int p = from; p < to; p++) {
      out[p] = (short) planarAt(scores, offset, classes, pixels, p);
    }
  }

  @Override
  protected void doArgmaxInterleaved(
      float[] scores, int offset, int classes, int from, int to, byte[] out) {
    for (int p = from; p < to; p++) {
      out[p] = (byte) interleavedAt(scores, offset, classes, p);
    }
  }

  @Override
  protected void doArgmaxInterleaved(
      float[] scores, int offset, int classes, int from, int to, short[] out) {
    for (int p = from; p < to; p++) {
      out[p] = (short) interleavedAt(scores, offset, classes, p);
    }
  }
}
