package dev.segmenter.cli;

/** The command's documented exit codes (README, "Exit codes"). */
public final class ExitCode {
  /** Everything done. */
  public static final int OK = 0;
  /** Some inputs failed; the others were processed. */
  public static final int INPUT_FAILED = 1;
  /** Usage error: unknown option or subcommand, unknown backend name, bad value. */
  public static final int USAGE = 2;
  /** Model or configuration error: missing or corrupt model, bad card or configuration file, palette too short. */
  public static final int MODEL_OR_CONFIG = 3;
  /** The backend or device exists but is unavailable here (e.g. gpu without CUDA). */
  public static final int UNAVAILABLE = 4;
  /**
   * The outputs cannot be written at all (no space left, read-only file system, permission denied on the output
   * folder, standard output closed): the run stopped at once; the images finished before were written whole.
   */
  public static final int OUTPUT_FAILED = 5;
  /** Interrupted (Ctrl-C): the images finished before have all their outputs, the others none. */
  public static final int INTERRUPTED = 130;
  /** A bug: an unexpected internal error (please report it with the --verbose output). */
  public static final int INTERNAL = 70;

  private ExitCode() {}
}
