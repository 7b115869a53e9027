package dev.segmenter.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class InferenceSlotsTest {
  /** Runs {@code count} tasks of {@code nanos} each; returns the most that ran at once. */
  private static int peak(InferenceSlots slots, int count, long nanos, AtomicIntegerArray runs) {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    slots.runAll(count, i -> {
      peak.accumulateAndGet(now.incrementAndGet(), Math::max);
      LockSupport.parkNanos(nanos);
      runs.incrementAndGet(i);
      now.decrementAndGet();
    });
    return peak.get();
  }

  @Test
  void everyTaskRunsOnceOnTheCallerAndTheFreeSlots() {
    for (int size : new int[] {0, 1, 3}) {
      try (InferenceSlots slots = new InferenceSlots(size, "test")) {
        AtomicIntegerArray runs = new AtomicIntegerArray(13);
        int peak = peak(slots, 13, 5_000_000, runs);
        for (int i = 0; i < 13; i++) {
          assertEquals(1, runs.get(i), "slots " + size + ", task " + i);
        }
        assertEquals(size + 1, peak, "slots " + size + ": the caller and one helper per free slot");
      }
    }
  }

  @Test
  void aThreadHoldingASlotLeavesItToNoHelper() {
    try (InferenceSlots slots = new InferenceSlots(2, "test")) {
      slots.acquire();
      slots.acquire();
      AtomicIntegerArray runs = new AtomicIntegerArray(5);
      assertEquals(
          1, peak(slots, 5, 1_000_000, runs), "both slots held: the caller runs every task");
      slots.release();
      assertEquals(2, peak(slots, 5, 5_000_000, runs), "one slot free: the caller and one helper");
      slots.release();
    }
  }

  @Test
  void aHelperHandsItsSlotToAThreadWaitingForOne() throws InterruptedException {
    try (InferenceSlots slots = new InferenceSlots(1, "test")) {
      CountDownLatch started = new CountDownLatch(2);
      CountDownLatch waiterGotIt = new CountDownLatch(1);
      AtomicInteger afterHandOver = new AtomicInteger();
      Thread waiter = new Thread(() -> {
        slots.acquire();
        waiterGotIt.countDown();
        slots.release();
      });
      slots.runAll(40, i -> {
        started.countDown();
        if (i == 1) {
          waiter.start(); // the helper (or the caller) is inside a task: the waiter queues for the
          // only slot
          while (!slotsHaveAWaiter(waiter)) {
            Thread.onSpinWait();
          }
        }
        if (waiterGotIt.getCount() == 0) {
          afterHandOver.incrementAndGet();
        }
        LockSupport.parkNanos(2_000_000);
      });
      waiter.join();
      assertEquals(
          0,
          waiterGotIt.getCount(),
          "the waiting thread got the helper's slot before the tasks ended");
      assertTrue(afterHandOver.get() > 0, "the caller went on with the tasks after the hand-over");
    }
  }

  private static boolean slotsHaveAWaiter(Thread t) {
    return t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TERMINATED;
  }

  @Test
  void theFirstFailureIsRethrownAndStopsTheTasksNotStarted() {
    try (InferenceSlots slots = new InferenceSlots(2, "test")) {
      AtomicInteger ran = new AtomicInteger();
      IllegalStateException boom = new IllegalStateException("tile 3 failed");
      IllegalStateException e = assertThrows(
          IllegalStateException.class,
          () -> slots.runAll(100, i -> {
            ran.incrementAndGet();
            LockSupport.parkNanos(1_000_000);
            if (i == 3) {
              throw boom;
            }
          }));
      assertSame(boom, e);
      assertTrue(ran.get() < 100, "tasks after the failure were not claimed: " + ran.get());
      assertEquals(
          3,
          peak(slots, 6, 5_000_000, new AtomicIntegerArray(6)),
          "the helpers gave their slots back");
    }
  }
}
