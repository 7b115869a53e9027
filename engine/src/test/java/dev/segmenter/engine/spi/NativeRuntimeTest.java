package dev.segmenter.engine.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.Device;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NativeRuntimeTest {

  @Test
  void probesOnceAndReportsWhatItFound() {
    AtomicInteger probes = new AtomicInteger();
    Object handle = new Object();
    NativeRuntime<Object> rt = new NativeRuntime<>("fake", () -> {
      probes.incrementAndGet();
      return new NativeRuntime.Probe<>(handle, "1.2", "Fake 1.2, 0 GPU(s)", EnumSet.of(Device.CPU));
    });
    assertEquals(0, probes.get(), "construction probes nothing");
    assertTrue(rt.availability().available());
    assertEquals("Fake 1.2, 0 GPU(s)", rt.availability().reason());
    assertEquals("1.2", rt.version());
    assertEquals(EnumSet.of(Device.CPU), rt.devices());
    assertSame(handle, rt.handle());
    assertEquals(1, probes.get());
  }

  @Test
  void aFailedLoadIsUnavailableWithTheCleanedReasonEverywhere() {
    AtomicInteger probes = new AtomicInteger();
    NativeRuntime<Object> rt = new NativeRuntime<>(
        "fake",
        () -> {
          probes.incrementAndGet();
          throw new UnsatisfiedLinkError(
              "no fake in\n   java.library.path\nException raised from x");
        },
        m -> m.substring(0, m.indexOf("Exception raised")));
    Availability a = rt.availability();
    assertFalse(a.available());
    assertEquals(
        "fake: the native library could not be loaded: no fake in java.library.path", a.reason());
    assertEquals("unknown", rt.version());
    assertTrue(rt.devices().isEmpty());
    BackendException e = assertThrows(BackendException.class, rt::handle);
    assertEquals(BackendException.Reason.UNAVAILABLE, e.reason());
    assertEquals(a.reason(), e.getMessage());
    assertEquals(1, probes.get());
  }
}
