package dev.segmenter.cli.robust;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.scenes.StreetScene;
import java.nio.file.Path;

/**
 * Opens, uses and closes a Segmenter many times in a JVM of its own (started by {@link LifecycleTest} with a
 * fixed, pre-touched heap, so that resident memory growth is native memory, not the Java heap growing).
 * Prints {@code RSS cycle kib} after the warm-up and every 100 cycles, then {@code DONE}.
 *
 * <p>Arguments: model folder, backend, warm-up cycles, cycles.
 */
public final class CycleRunner {
  private CycleRunner() {}

  public static void main(String[] args) {
    Path model = Path.of(args[0]);
    String backend = args[1];
    int warmup = Integer.parseInt(args[2]);
    int cycles = Integer.parseInt(args[3]);
    BgrImage image = BgrImage.from(StreetScene.generate(7, 120, 90).image());
    ClassMap expected = null;
    for (int i = -warmup; i < cycles; i++) {
      try (Segmenter s = Segmenter.builder()
          .model(model)
          .backend(backend)
          .runtimeThreads(1)
          .postprocessThreads(1)
          .build()) {
        ClassMap got = s.segment(image).classMap();
        if (expected == null) {
          expected = got;
        } else if (got.agreement(expected) != 1.0) {
          System.out.println("MISMATCH " + i);
          System.exit(3);
        }
      }
      int done = i + 1;
      if (done == 0 || (done > 0 && done % 100 == 0) || done == cycles) {
        System.out.println("RSS " + done + " " + Rss.settledKib());
      }
    }
    System.out.println("DONE");
    System.exit(0);
  }
}
