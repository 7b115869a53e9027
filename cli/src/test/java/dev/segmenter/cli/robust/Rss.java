package dev.segmenter.cli.robust;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident memory, from /proc/self/status (Linux). */
final class Rss {
  private Rss() {}

  static boolean available() {
    return Files.isReadable(Path.of("/proc/self/status"));
  }

  /** VmRSS in KiB. */
  static long kib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no VmRSS line in /proc/self/status");
  }

  /** VmRSS in KiB after a garbage collection, so that garbage waiting to be collected does not count. */
  static long settledKib() {
    System.gc();
    System.runFinalization();
    System.gc();
    return kib();
  }

  static String mib(long kib) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", kib / 1024.0);
  }
}
