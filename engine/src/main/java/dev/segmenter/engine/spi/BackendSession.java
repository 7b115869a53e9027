package dev.segmenter.engine.spi;

import dev.segmenter.engine.Tensor;

/**
 * A loaded network. Owns native resources until {@link #close()}; {@code close()} is idempotent and
 * throws nothing checked; {@link #forward} after close throws {@link IllegalStateException}.
 */
public interface BackendSession extends AutoCloseable {

  /**
   * Runs the network on one input blob (the layout the model card declares, batch 1) and returns its
   * first output. The input array is not kept; the returned tensor is owned by the caller.
   *
   * @throws dev.segmenter.engine.BackendException when the runtime fails
   */
  Tensor forward(Tensor input);

  /**
   * Like {@link #forward(Tensor)}, but the session may write a FLOAT32 output into {@code spare}'s array and
   * return a tensor over it when the sizes match, which spares the allocation (and zeroing) of a large array per
   * frame. The caller hands {@code spare} over: it must not read or keep it afterwards. {@code spare} may be
   * null; sessions that cannot use it ignore it.
   */
  default Tensor forward(Tensor input, Tensor spare) {
    return forward(input);
  }

  /** True when {@link #forward} may be called from several threads at once. */
  boolean isThreadSafe();

  /** The device this session runs on, in words (e.g. "cpu", "cuda:0"). */
  String device();

  @Override
  void close();
}
