package dev.segmenter.cli;

import java.io.PrintStream;
import java.util.Locale;

/** A progress bar on a terminal, plain progress lines otherwise, nothing with --quiet. */
final class Progress {
  private final PrintStream err;
  private final boolean terminal;
  private final boolean quiet;
  private final int total;
  private final long start = System.nanoTime();
  private int lastWidth;

  Progress(PrintStream err, int total, boolean quiet) {
    this.err = err;
    this.total = total;
    this.quiet = quiet;
    this.terminal = System.console() != null && System.getenv("CI") == null;
  }

  void step(int done, String name, boolean failed) {
    if (quiet) {
      return;
    }
    double secs = (System.nanoTime() - start) / 1e9;
    double rate = done / Math.max(secs, 1e-9);
    if (terminal) {
      int width = 30;
      int filled = total == 0 ? width : (int) ((long) done * width / total);
      String line = String.format(
          Locale.ROOT,
          "\r[%s%s] %d/%d  %.1f/s  %s",
          "=".repeat(filled),
          " ".repeat(width - filled),
          done,
          total,
          rate,
          shorten(name, 40));
      err.print(line + " ".repeat(Math.max(0, lastWidth - line.length())));
      lastWidth = line.length();
      if (done == total) {
        err.println();
      }
    } else {
      err.printf(
          Locale.ROOT, "segmenter: %d/%d %s %s%n", done, total, failed ? "FAILED" : "done", name);
    }
    err.flush();
  }

  private static String shorten(String s, int n) {
    return s.length() <= n ? s : "..." + s.substring(s.length() - n + 3);
  }
}
