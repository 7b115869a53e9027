package dev.segmenter.engine.kernels;

import java.nio.ByteBuffer;

/**
 * Per-pixel argmax over the class axis of a score tensor.
 *
 * <p>Layouts: <b>planar</b> (NCHW without batch): the score of class {@code c} at pixel {@code p} is
 * {@code scores[offset + c * pixels + p]}; <b>interleaved</b> (NHWC): {@code scores[offset + p * classes + c]}.
 * Only pixels {@code from <= p < to} are written ({@code out[p]}), so callers can split work in row bands.
 *
 * <p>Rules every implementation follows exactly:
 * <ul>
 *   <li>Ties go to the lowest class index (as numpy's {@code argmax}).
 *   <li>NaN: a NaN score never wins: the result is the lowest index of the maximum of the non-NaN scores
 *       (so {@code [NaN, -Inf, -Inf]} gives 1); a pixel whose scores are all NaN gets class 0.
 *       (+Inf wins over every finite value; -Inf loses to every finite value; with all -Inf, class 0.)
 *   <li>-0.0 and +0.0 compare equal (so the lower index wins the tie).
 * </ul>
 * Byte outputs hold ids 0..255 (unsigned), valid for {@code classes <= 256}; short outputs hold
 * ids 0..65535 (unsigned), valid for {@code classes <= 65536}.
 *
 * <p>Native memory: the {@link ByteBuffer} forms read planar floats from a buffer in native byte order (usually a
 * direct one over a runtime's output), float {@code i} at byte {@code 4 * i} from index 0 (the buffer's position
 * is ignored); offsets and sizes count floats. Results equal the array forms' for the same floats.
 *
 * <p>The public methods check their arguments (the same checks and messages for every implementation) and then
 * call the {@code do*} method of the implementation, which may assume them valid.
 */
public abstract class ArgmaxKernel {

  protected ArgmaxKernel() {}

  public final void argmaxPlanar(
      float[] scores, int offset, int classes, int pixels, int from, int to, byte[] out) {
    KernelChecks.planar(scores, offset, classes, pixels, from, to, out.length, 256);
    doArgmaxPlanar(scores, offset, classes, pixels, from, to, out);
  }

  public final void argmaxPlanar(
      float[] scores, int offset, int classes, int pixels, int from, int to, short[] out) {
    KernelChecks.planar(scores, offset, classes, pixels, from, to, out.length, 65536);
    doArgmaxPlanar(scores, offset, classes, pixels, from, to, out);
  }

  public final void argmaxPlanar(
      ByteBuffer scores, int offset, int classes, int pixels, int from, int to, byte[] out) {
    KernelChecks.planar(scores, offset, classes, pixels, from, to, out.length, 256);
    doArgmaxPlanar(scores, offset, classes, pixels, from, to, out);
  }

  public final void argmaxPlanar(
      ByteBuffer scores, int offset, int classes, int pixels, int from, int to, short[] out) {
    KernelChecks.planar(scores, offset, classes, pixels, from, to, out.length, 65536);
    doArgmaxPlanar(scores, offset, classes, pixels, from, to, out);
  }

  public final void argmaxInterleaved(
      float[] scores, int offset, int classes, int from, int to, byte[] out) {
    KernelChecks.interleaved(scores, offset, classes, from, to, out.length, 256);
    doArgmaxInterleaved(scores, offset, classes, from, to, out);
  }

  public final void argmaxInterleaved(
      float[] scores, int offset, int classes, int from, int to, short[] out) {
    KernelChecks.interleaved(scores, offset, classes, from, to, out.length, 65536);
    doArgmaxInterleaved(scores, offset, classes, from, to, out);
  }

  protected abstract void doArgmaxPlanar(
      float[] scores, int offset, int classes, int pixels, int from, int to, byte[] out);

  protected abstract void doArgmaxPlanar(
      float[] scores, int offset, int classes, int pixels, int from, int to, short[] out);

  protected abstract void doArgmaxPlanar(
      ByteBuffer scores, int offset, int classes, int pixels, int from, int to, byte[] out);

  protected abstract void doArgmaxPlanar(
      ByteBuffer scores, int offset, int classes, int pixels, int from, int to, short[] out);

  protected abstract void doArgmaxInterleaved(
      float[] scores, int offset, int classes, int from, int to, byte[] out);

  protected abstract void doArgmaxInterleaved(
      float[] scores, int offset, int classes, int from, int to, short[] out);
}
