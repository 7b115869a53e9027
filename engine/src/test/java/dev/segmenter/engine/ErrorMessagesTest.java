package dev.segmenter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ErrorMessagesTest {

  @Test
  void messagesGoOnOneLineWithoutSurroundingSpace() {
    assertEquals(
        "bad thing at line 3 ^",
        ErrorMessages.oneLine(new IOException("  bad thing\n  at line 3\r\n\t^ \n")));
    assertEquals("", ErrorMessages.oneLine((String) null));
  }

  @Test
  void withoutMessageTheCauseOrTheClassSpeaks() {
    assertEquals("IllegalStateException", ErrorMessages.oneLine(new IllegalStateException()));
    assertEquals(
        "ExceptionInInitializerError: no libfoo in java.library.path",
        ErrorMessages.oneLine(new ExceptionInInitializerError(
            new UnsatisfiedLinkError("no libfoo in\njava.library.path"))));
    assertEquals("the file ends too early", ErrorMessages.oneLine(new EOFException()));
    assertEquals("short read", ErrorMessages.oneLine(new EOFException("short read")));
  }

  @Test
  void aRuntimeRuleSeesTheRawMessageAndItsResultGoesOnOneLine() {
    RuntimeException e =
        new RuntimeException("the error\nException raised from f at x.cpp:1\nframe #0");
    assertEquals(
        "the error", ErrorMessages.oneLine(e, m -> m.substring(0, m.indexOf("Exception raised"))));
  }
}
