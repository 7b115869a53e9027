package dev.segmenter.cli;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code -v/--verbose} and {@code -q/--quiet}, mixed into every subcommand. picocli calls the setters as it parses
 * them, and each sets the logging level at once: {@link #configure} applies the default (warnings) before parsing.
 */
final class Verbosity {
  boolean verbose;
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "Stack traces on errors, runtime logs and kernel choice.")
  void verbose(boolean on) {
    verbose = on;
    configure(verbose, quiet);
  }

  @Option(
      names = {"-q", "--quiet"},
      description = "Print errors only.")
  void quiet(boolean on) {
    quiet = on;
    configure(verbose, quiet);
  }

  /** True when the command that {@code line} parsed was given {@code -v} (false before it was parsed). */
  static boolean verbose(CommandLine line) {
    return line.getCommandSpec().mixins().values().stream()
        .map(m -> m.userObject())
        .anyMatch(m -> m instanceof Verbosity v && v.verbose);
  }

  /** Sets the level of the root logger and its console handler: -v info, -q severe, else warning. */
  static void configure(boolean verbose, boolean quiet) {
    System.setProperty("java.util.logging.SimpleFormatter.format", "segmenter: %4$s: %5$s%6$s%n");
    Logger root = Logger.getLogger("");
    Level level = verbose ? Level.INFO : quiet ? Level.SEVERE : Level.WARNING;
    root.setLevel(level);
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler h = new ConsoleHandler();
    h.setLevel(level);
    h.setFormatter(new SimpleFormatter());
    root.addHandler(h);
    // third-party runtimes (DJL, ONNX Runtime's Java side) stay at WARNING unless --verbose
    if (verbose) {
      // an earlier run in this JVM (embedding, tests) may have quieted them
      CONFIGURED.values().forEach(l -> l.setLevel(null));
    } else {
      hold("ai.djl", Level.SEVERE);
      hold("ai.onnxruntime", Level.SEVERE);
      hold("dev.segmenter.engine.kernels", Level.WARNING);
    }
  }

  /**
   * Loggers whose level was set here. java.util.logging holds loggers weakly: without a strong reference a GC
   * drops the configured logger, the runtime later gets a fresh one at the root's level, and warnings such as
   * DJL's CUDA probe ("Failed to detect GPU count") reached the terminal.
   */
  private static final Map<String, Logger> CONFIGURED = new ConcurrentHashMap<>();

  private static void hold(String name, Level level) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(level);
    CONFIGURED.put(name, logger);
  }
}
