package dev.segmenter.cli;

/** A bad flag or environment value: exit code 2. The message names the flag or variable and what is accepted. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
