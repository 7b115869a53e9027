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

  /**
   * Like {@link #forward(Tensor, Tensor)}, but a FLOAT32 output may come back as a view of the session's own output
   * memory ({@link Tensor#isView()}, no copy). A view is valid until the same thread calls a forward method of this
   * session again (for sessions that are not {@linkplain #isThreadSafe() thread-safe}: until any next forward) or
   * the session closes; after that its reads throw {@link IllegalStateException}. Copy it with
   * {@link Tensor#toHeap()} to keep it. Sessions that have no such memory return what
   * {@link #forward(Tensor, Tensor)} would (the default).
   */
  default Tensor forwardView(Tensor input, Tensor spare) {
    return forward(input, spare);
  }

  /** True when {@link #forward} may be called from several threads at once. */
  boolean isThreadSafe();

  /** The device this session runs on, in words (e.g. "cpu", "cuda:0"). */
  String device();

  @Override
  void close();
}
