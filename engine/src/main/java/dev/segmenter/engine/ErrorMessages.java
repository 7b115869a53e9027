package dev.segmenter.engine;

import java.io.EOFException;
import java.util.function.UnaryOperator;

/**
 * The one rule that turns an exception into the text a message shows after its colon: the exception's own
 * message, on one line (every run of white space, line breaks included, becomes one space), without a stack
 * trace. An exception without a message gives its cause's, else its simple class name; an
 * {@link EOFException} without one says "the file ends too early".
 *
 * <p>A runtime whose messages carry more than the error (OpenCV's source path, libtorch's C++ backtrace) passes
 * a rule that keeps the error; it gets the raw message, line breaks included, and its result is put on one line:
 *
 * <pre>{@code
 * throw new ModelException(file + ": cannot load this model: " + ErrorMessages.oneLine(e, Runtime::keepError), e);
 * }</pre>
 */
public final class ErrorMessages {
  private ErrorMessages() {}

  /** {@code e}'s message on one line (see the class comment). */
  public static String oneLine(Throwable e) {
    return oneLine(e, UnaryOperator.identity());
  }

  /**
   * {@code e}'s message on one line, after {@code runtimeRule} kept what matters of it.
   *
   * @param runtimeRule gets the raw message (never null or blank) and returns the part to show
   */
  public static String oneLine(Throwable e, UnaryOperator<String> runtimeRule) {
    return oneLine(runtimeRule.apply(text(e)));
  }

  /** {@code text} on one line: runs of white space become one space, none at either end; null gives "". */
  public static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ").trim();
  }

  private static String text(Throwable e) {
    if (hasText(e.getMessage())) {
      return e.getMessage();
    }
    if (e instanceof EOFException) {
      return "the file ends too early";
    }
    Throwable cause = e.getCause();
    if (cause != null && cause != e && hasText(cause.getMessage())) {
      return e.getClass().getSimpleName() + ": " + cause.getMessage();
    }
    return e.getClass().getSimpleName();
  }

  private static boolean hasText(String s) {
    return s != null && !s.isBlank();
  }
}
