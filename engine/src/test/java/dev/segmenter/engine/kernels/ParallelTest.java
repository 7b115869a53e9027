package dev.segmenter.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

  @Test
  void chunksCoverTheRangeExactlyOnce() {
    for (int threads = 1; threads <= 8; threads++) {
      for (int n : new int[] {0, 1, 5, 100, 1001, 65537}) {
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        Parallel.forRange(n, threads, 10, (from, to) -> {
          for (int i = from; i < to; i++) {
            hits.incrementAndGet(i);
          }
        });
        for (int i = 0; i < n; i++) {
          assertEquals(1, hits.get(i), "threads=" + threads + " n=" + n + " i=" + i);
        }
      }
    }
  }

  @Test
  void multiThreadedKernelsEqualSingleThreaded() {
    long seed = KernelTestData.seed();
    SplittableRandom r = new SplittableRandom(seed);
    int classes = 21;
    int w = 97;
    int h = 61;
    int pixels = w * h;
    float[] s = KernelTestData.scores(r, classes * pixels, 0);
    Kernels k = Kernels.get();
    byte[] single = new byte[pixels];
    k.argmax().argmaxPlanar(s, 0, classes, pixels, 0, pixels, single);
    byte[] big = new byte[4 * pixels];
    k.resize().nearest(single, w, h, big, 2 * w, 2 * h, 0.5, 0, 0.5, 0, 0, 2 * h);
    Set<String> threadNames = ConcurrentHashMap.newKeySet();
    for (int threads = 2; threads <= 8; threads++) {
      byte[] multi = new byte[pixels];
      Parallel.forRange(pixels, threads, 64, (from, to) -> {
        threadNames.add(Thread.currentThread().getName());
        k.argmax().argmaxPlanar(s, 0, classes, pixels, from, to, multi);
      });
      assertArrayEquals(single, multi, "seed=" + seed + " threads=" + threads);
      byte[] bigMulti = new byte[4 * pixels];
      Parallel.forRange(
          2 * h,
          threads,
          4,
          (from, to) ->
              k.resize().nearest(multi, w, h, bigMulti, 2 * w, 2 * h, 0.5, 0, 0.5, 0, from, to));
      assertArrayEquals(big, bigMulti, "resize threads=" + threads);
    }
    assertEquals(
        true,
        threadNames.stream().anyMatch(n -> n.startsWith("segmenter-kernels-")),
        threadNames.toString());
  }

  @Test
  void exceptionsPropagateToTheCaller() {
    IllegalStateException boom = new IllegalStateException("boom in chunk");
    IllegalStateException thrown = assertThrows(
        IllegalStateException.class,
        () -> Parallel.forRange(1000, 4, 10, (from, to) -> {
          if (from > 0) {
            throw boom;
          }
        }));
    assertSame(boom, thrown);
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> Parallel.forRange(
            1000,
            1,
            10,
            (from, to) -> Kernels.get()
                .argmax()
                .argmaxPlanar(new float[1], 0, 1, 1000, from, to, new byte[1000])));
  }
}
