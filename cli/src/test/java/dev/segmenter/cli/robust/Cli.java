package dev.segmenter.cli.robust;

import dev.segmenter.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the command line in-process (Main.run, no System.exit) and captures exit code, stdout and stderr. */
final class Cli {
  private Cli() {}

  /** Runs the command line in-process; see {@link CliRunner}. */
  static CliRunner.Result run(String... args) {
    return CliRunner.run(args);
  }

  /** The project root (the folder holding the ./segmenter launcher). */
  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("segmenter"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "cannot find the project root above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  static Path testnet(String name) {
    return root().resolve("models/testnets").resolve(name);
  }

  /** A fresh, empty folder under target/robust. */
  static Path workDir(String name) {
    Path d = Path.of("target", "robust", name).toAbsolutePath();
    try {
      if (Files.exists(d)) {
        try (var s = Files.walk(d)) {
          for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(d);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return d;
  }

  /** The seed of a generated corpus: -Drobust.seed, else a fixed default; printed so a failure can be replayed. */
  static long seed(String what) {
    long seed = Long.getLong("robust.seed", 20261125L);
    System.out.println(
        "robust: " + what + " corpus seed " + seed + " (replay with -Drobust.seed=" + seed + ")");
    return seed;
  }
}
