package dev.segmenter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.image.BgrImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One Segmenter used from 8 threads at once gives the same class maps as sequential use, on every backend. */
class ConcurrencyTest {

  @ParameterizedTest
  @ValueSource(strings = {"onnxruntime", "opencv", "pytorch"})
  void eightThreadsTimes500FramesMatchSequential(String backend) throws Exception {
    run(backend, TestModels.TESTNETS.resolve("tiny-nchw"), 40, 500, 8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"onnxruntime", "opencv", "pytorch"})
  void shippedModelFromEightThreads(String backend) throws Exception {
    run(backend, TestModels.ENET, 8, 3, 8);
  }

  private static void run(
      String backend, Path model, int distinct, int framesPerThread, int threads) throws Exception {
    long seed = 1234;
    Random rnd = new Random(seed);
    List<BgrImage> images = new ArrayList<>();
    for (int i = 0; i < distinct; i++) {
      images.add(TestModels.scene(100 + i, 16 + rnd.nextInt(300), 16 + rnd.nextInt(200)));
    }
    try (Segmenter s =
        Segmenter.builder().model(model).backend(backend).postprocessThreads(1).build()) {
      List<ClassMap> expected = new ArrayList<>();
      for (BgrImage img : images) {
        expected.add(s.segment(img).classMap());
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Integer>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          final int offset = t;
          futures.add(pool.submit(() -> {
            int checked = 0;
            for (int i = 0; i < framesPerThread; i++) {
              int k = (i + offset * 7) % images.size();
              ClassMap got = s.segment(images.get(k)).classMap();
              assertEquals(
                  1.0,
                  got.agreement(expected.get(k)),
                  backend + " thread " + offset + " frame " + i + " image " + k + " (seed " + seed
                      + ")");
              checked++;
            }
            return checked;
          }));
        }
        int total = 0;
        for (Future<Integer> f : futures) {
          total += f.get(600, TimeUnit.SECONDS);
        }
        assertEquals(threads * framesPerThread, total);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
