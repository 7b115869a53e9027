package dev.segmenter.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process and captures its exit code, stdout and stderr. */
public final class CliRunner {
  /** Exit code, stdout and stderr of one run. */
  public record Result(int code, String out, String err) {
    /** The non-empty lines of stderr. */
    public java.util.List<String> errLines() {
      return java.util.Arrays.stream(err.split("\\R")).filter(l -> !l.isBlank()).toList();
    }
  }

  private CliRunner() {}

  public static synchronized Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      int code = Main.run(args);
      return new Result(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
