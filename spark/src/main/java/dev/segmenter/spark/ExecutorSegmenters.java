package dev.segmenter.spark;

import dev.segmenter.engine.Segmenter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One {@link Segmenter} per executor JVM and settings, opened by the first task that needs it, shared by every
 * later task of that JVM (a {@code Segmenter} is thread-safe; OpenCV's sessions are pooled per thread inside it),
 * and closed when the JVM exits. A model therefore loads once per executor, not once per partition or row.
 */
public final class ExecutorSegmenters {
  private static final ConcurrentMap<SegmenterSettings, Segmenter> OPEN = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ExecutorSegmenters::closeAll, "segmenter-spark-close"));
  }

  private ExecutorSegmenters() {}

  /**
   * The segmenter for {@code settings} (threads already resolved for this task), opened on first use. A model or
   * backend error is thrown to the caller and nothing is cached, so a later task tries again.
   */
  public static Segmenter get(SegmenterSettings settings) {
    return OPEN.computeIfAbsent(settings, SegmenterSettings::open);
  }

  /** How many segmenters this JVM holds open. */
  public static int openCount() {
    return OPEN.size();
  }

  /** Closes every segmenter of this JVM (the shutdown hook does this; tests and embedding drivers may too). */
  public static void closeAll() {
    for (SegmenterSettings key : OPEN.keySet()) {
      Segmenter s = OPEN.remove(key);
      if (s != null) {
        s.close();
      }
    }
  }
}
