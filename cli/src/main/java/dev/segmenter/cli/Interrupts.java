package dev.segmenter.cli;

import dev.segmenter.engine.BatchJob;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) and SIGTERM during a batch: the JVM starts shutting down and runs this hook, which cancels the
 * job (no new input is taken; images already being written finish, the others are skipped, so each image has all
 * of its outputs or none) and waits until the command has printed its summary. The JVM then exits with 130 (SIGINT)
 * or 143 (SIGTERM). A run that takes longer than {@link #GRACE_SECONDS} to wind down is cut there; the temporary
 * files it leaves are removed by the next run.
 */
final class Interrupts {
  static final int GRACE_SECONDS = 30;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile BatchJob job;
  private volatile boolean happened;
  private Thread hook;

  void install(BatchJob job) {
    this.job = job;
    hook = new Thread(
        () -> {
          happened = true;
          BatchJob j = this.job;
          if (j != null) {
            j.cancel();
          }
          try {
            finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        },
        "segmenter-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Removes the hook (unless the JVM is already shutting down, when it is running). */
  void uninstall() {
    job = null;
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutdown in progress: the hook runs and waits for finished()
      }
      hook = null;
    }
  }

  /** True when a signal cancelled the run. */
  boolean happened() {
    return happened;
  }

  /** The summary is out: the JVM may exit. */
  void finished() {
    finished.countDown();
  }
}
