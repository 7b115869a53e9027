package dev.segmenter.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelsTest {

  @Test
  void picksVectorWhenTheModuleIsPresent() {
    // the build runs tests with --add-modules jdk.incubator.vector on an AVX-512 or AVX2 machine
    assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "tests need the vector module");
    Kernels k = Kernels.get();
    assertSame(Kernels.vector(), k);
    // e.g. "vector (AVX-512, 256-bit, FloatVector 8 lanes: 512-bit vectors compile slowly before JDK 25)"
    assertTrue(k.description().matches("vector \\((AVX-512|AVX2|SVE \\d+-bit|.*), (128|256|512)-bit, FloatVector (4|8|16) lanes: .+\\)"),
        k.description());
    assertTrue(k.argmax().getClass().getName().startsWith("dev.segmenter.engine.kernels.vector."));
  }

  @Test
  void scalarIsAlwaysThere() {
    Kernels s = Kernels.scalar();
    assertEquals("scalar", s.description());
    assertSame(ScalarArgmaxKernel.INSTANCE, s.argmax());
  }

  @Test
  void adaptiveKernelsGiveTheScalarResultsBeforeAndAfterTheSwitch() throws InterruptedException {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(99);
    int classes = 19;
    int pixels = 3001;
    float[] scores = new float[classes * pixels];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = (float) rnd.nextDouble(-3, 3);
    }
    byte[] expected = new byte[pixels];
    Kernels.scalar().argmax().argmaxPlanar(scores, 0, classes, pixels, 0, pixels, expected);
    Kernels adaptive = Kernels.adaptive();
    assertTrue(adaptive.description().startsWith(Kernels.get().description()), adaptive.description());
    byte[] before = new byte[pixels];
    adaptive.argmax().argmaxPlanar(scores, 0, classes, pixels, 0, pixels, before);
    assertTrue(java.util.Arrays.equals(expected, before));
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!KernelWarmup.ready() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(KernelWarmup.ready(), "the warm-up finishes");
    byte[] after = new byte[pixels];
    adaptive.argmax().argmaxPlanar(scores, 0, classes, pixels, 0, pixels, after);
    assertTrue(java.util.Arrays.equals(expected, after));
  }
}
