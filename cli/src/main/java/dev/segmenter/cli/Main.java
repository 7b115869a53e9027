package dev.segmenter.cli;

import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.ConfigException;
import dev.segmenter.engine.ErrorMessages;
import dev.segmenter.engine.ImageException;
import dev.segmenter.engine.ModelException;
import dev.segmenter.palettes.PaletteException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code segmenter} command. */
@Command(
    name = "segmenter",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Semantic segmentation on the JVM: classify every pixel with a real network on OpenCV DNN, "
            + "ONNX Runtime or PyTorch.",
    subcommands = {
      DemoCommand.class,
      SegmentCommand.class,
      ScenesCommand.class,
      EvalCommand.class,
      ModelsCommand.class,
      PalettesCommand.class,
      BackendsCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  all done",
      "  1  some inputs failed (the others were processed)",
      "  2  usage error: unknown option or subcommand, unknown backend name, bad value",
      "  3  model or configuration error: missing or corrupt model, bad card or config file, palette too short",
      "  4  the backend or device exists but is unavailable here (e.g. gpu without CUDA)",
      " 70  internal error (a bug: please report it with the --verbose output)",
      "",
      "Examples:",
      "  segmenter demo",
      "  segmenter segment street.jpg --out out/",
      "  segmenter segment photos/ --backend opencv --outputs all --json"
    })
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand; try: segmenter demo, or segmenter --help");
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (no System.exit). */
  public static int run(String... args) {
    // warnings until -v or -q is parsed (Verbosity sets the level as picocli meets them)
    Verbosity.configure(false, false);
    CommandLine cl = new CommandLine(new Main());
    // every subcommand's -V / --version prints what the top command's does
    cl.getSubcommands()
        .values()
        .forEach(sub -> sub.getCommandSpec().versionProvider(new Version()));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // options that are configuration keys default to the property, environment or file value,
    // recording which
    cl.setDefaultValueProvider(new Settings());
    cl.setExecutionExceptionHandler(
        (ex, line, parsed) -> report(line.getErr(), ex, Verbosity.verbose(line)));
    cl.setParameterExceptionHandler((ex, argv) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      boolean v = Verbosity.verbose(ex.getCommandLine());
      Throwable cause = ex.getCause();
      if (cause instanceof Settings.BadValue bad) {
        // a converter's message, with where the value came from: the project's words, not picocli's
        return report(err, Settings.rejected(ex.getArgSpec(), bad), v);
      }
      err.println("segmenter: " + ex.getMessage() + " (see: segmenter "
          + ex.getCommandLine().getCommandName().replace("segmenter", "").trim() + " --help)");
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
    err.println("segmenter: "
        + (code == ExitCode.INTERNAL
            ? "internal error: " + ex + " (run with --verbose)"
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
    if (ex instanceof ModelException
        || ex instanceof ConfigException
        || ex instanceof PaletteException) {
      return ExitCode.MODEL_OR_CONFIG;
    }
    if (ex instanceof ImageException) {
      return ExitCode.INPUT_FAILED;
    }
    return ExitCode.INTERNAL;
  }

  /** Version from the jar manifest, else the build's. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "segmenter " + (v == null ? "0.1.0-SNAPSHOT" : v),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
            + ")"
      };
    }
  }
}
