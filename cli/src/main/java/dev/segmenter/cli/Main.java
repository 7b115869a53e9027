package dev.segmenter.cli;

import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.ConfigException;
import dev.segmenter.engine.ErrorMessages;
import dev.segmenter.engine.ImageException;
import dev.segmenter.engine.ModelException;
import dev.segmenter.palettes.PaletteException;
import java.io.PrintWriter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code segmenter} command. */
@Command(name = "segmenter", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Semantic segmentation on the JVM: classify every pixel with a real network on OpenCV DNN, "
        + "ONNX Runtime or PyTorch.",
    subcommands = {DemoCommand.class, SegmentCommand.class, ScenesCommand.class, EvalCommand.class,
        ModelsCommand.class, PalettesCommand.class, BackendsCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {"  0  all done", "  1  some inputs failed (the others were processed)",
        "  2  usage error: unknown option or subcommand, unknown backend name, bad value",
        "  3  model or configuration error: missing or corrupt model, bad card or config file, palette too short",
        "  4  the backend or device exists but is unavailable here (e.g. gpu without CUDA)",
        " 70  internal error (a bug: please report it with the --verbose output)",
        "", "Examples:", "  segmenter demo", "  segmenter segment street.jpg --out out/",
        "  segmenter segment photos/ --backend opencv --outputs all --json"})
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Options every subcommand takes. */
  static final class Common {
    @Option(names = {"-v", "--verbose"}, description = "Stack traces on errors, runtime logs and kernel choice.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Print errors only.")
    boolean quiet;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand; try: segmenter demo, or segmenter --help");
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (no System.exit). */
  public static int run(String... args) {
    boolean verbose = false;
    boolean quiet = false;
    for (String a : args) {
      verbose |= a.equals("-v") || a.equals("--verbose");
      quiet |= a.equals("-q") || a.equals("--quiet");
    }
    configureLogging(verbose, quiet);
    final boolean v = verbose;
    CommandLine cl = new CommandLine(new Main());
    // every subcommand's -V / --version prints what the top command's does
    cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new Version()));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((ex, line, parsed) -> report(line.getErr(), ex, v));
    cl.setParameterExceptionHandler((ex, argv) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("segmenter: " + ex.getMessage() + " (see: segmenter " + ex.getCommandLine().getCommandName()
          .replace("segmenter", "").trim() + " --help)");
      if (v) {
        ex.printStackTrace(err);
      }
      return ExitCode.USAGE;
    });
    return cl.execute(args);
  }

  /** Prints one line for an error and returns its exit code. */
  static int report(PrintWriter err, Throwable ex, boolean verbose) {
    int code = exitCode(ex);
    err.println("segmenter: " + (code == ExitCode.INTERNAL ? "internal error: " + ex + " (run with --verbose)"
        : ErrorMessages.oneLine(ex)));
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  static int exitCode(Throwable ex) {
    if (ex instanceof UsageException) {
      return ExitCode.USAGE;
    }
    if (ex instanceof BackendException be) {
      return be.reason() == BackendException.Reason.UNKNOWN ? ExitCode.USAGE : ExitCode.UNAVAILABLE;
    }
    if (ex instanceof ModelException || ex instanceof ConfigException || ex instanceof PaletteException) {
      return ExitCode.MODEL_OR_CONFIG;
    }
    if (ex instanceof ImageException) {
      return ExitCode.INPUT_FAILED;
    }
    return ExitCode.INTERNAL;
  }

  private static void configureLogging(boolean verbose, boolean quiet) {
    System.setProperty("java.util.logging.SimpleFormatter.format", "segmenter: %4$s: %5$s%6$s%n");
    Logger root = Logger.getLogger("");
    Level level = verbose ? Level.INFO : quiet ? Level.SEVERE : Level.WARNING;
    root.setLevel(level);
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler h = new ConsoleHandler();
    h.setLevel(level);
    h.setFormatter(new java.util.logging.SimpleFormatter());
    root.addHandler(h);
    // third-party runtimes (DJL, ONNX Runtime's Java side) stay at WARNING unless --verbose
    if (verbose) {
      // an earlier run in this JVM (embedding, tests) may have quieted them
      CONFIGURED.values().forEach(l -> l.setLevel(null));
    } else {
      quiet("ai.djl", Level.SEVERE);
      quiet("ai.onnxruntime", Level.SEVERE);
      quiet("dev.segmenter.engine.kernels", Level.WARNING);
    }
  }

  /**
   * Loggers whose level was set here. java.util.logging holds loggers weakly: without a strong reference a GC
   * drops the configured logger, the runtime later gets a fresh one at the root's level, and warnings such as
   * DJL's CUDA probe ("Failed to detect GPU count") reached the terminal.
   */
  private static final java.util.Map<String, Logger> CONFIGURED = new java.util.concurrent.ConcurrentHashMap<>();

  private static void quiet(String name, Level level) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(level);
    CONFIGURED.put(name, logger);
  }

  /** Version from the jar manifest, else the build's. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"segmenter " + (v == null ? "0.1.0-SNAPSHOT" : v),
          "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
  }
}
