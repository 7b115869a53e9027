package dev.segmenter.engine.spi;

/**
 * Tracks calls in progress on a native resource so that {@code close()} can wait for them before it
 * frees memory a runtime is still using, and so that calls after close fail with
 * {@link IllegalStateException}. Thread-safe.
 *
 * <pre>{@code
 * guard.enter();                 // throws IllegalStateException once closed
 * try { ... } finally { guard.exit(); }
 * ...
 * if (guard.closeAndAwait()) { free(); }   // true only for the first close
 * }</pre>
 */
public final class CallGuard {
  private final String what;
  private final Object lock = new Object();
  private int running;
  private boolean closed;

  /** @param what the resource in words, for the use-after-close message (e.g. "onnxruntime session") */
  public CallGuard(String what) {
    this.what = what;
  }

  /** Registers a call; throws {@link IllegalStateException} when closed. */
  public void enter() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException(what + " is closed");
      }
      running++;
    }
  }

  /** Ends a call registered by {@link #enter()}. */
  public void exit() {
    synchronized (lock) {
      running--;
      if (running == 0) {
        lock.notifyAll();
      }
    }
  }

  public boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  /**
   * Refuses new calls and waits for the running ones to end. Returns true for the first close only,
   * so the caller frees its resources exactly once. Keeps the thread's interrupt status.
   */
  public boolean closeAndAwait() {
    synchronized (lock) {
      if (closed) {
        return false;
      }
      closed = true;
      boolean interrupted = false;
      while (running > 0) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return true;
    }
  }
}
