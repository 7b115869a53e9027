package dev.segmenter.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelsTest {

  @Test
  void picksVectorWhenTheModuleIsPresent() {
    // the build runs tests with --add-modules jdk.incubator.vector on an AVX-512 or AVX2 machine
    assertTrue(
        ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
        "tests need the vector module");
    Kernels k = Kernels.get();
    assertSame(Kernels.vector(), k);
    // e.g. "vector (AVX-512, 256-bit, FloatVector 8 lanes: 512-bit vectors compile slowly before
    // JDK 25)"
    assertTrue(
        k.description()
            .matches(
                "vector \\((AVX-512|AVX2|SVE \\d+-bit|.*), (128|256|512)-bit, FloatVector (4|8|16) lanes: .+\\)"),
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
    assertTrue(
        adaptive.description().startsWith(Kernels.get().description()), adaptive.description());
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
    assertSame(
        Kernels.vector().argmax(),
        adaptive.argmax(),
        "once warm, the adaptive kernels answer the vector ones");
    assertSame(adaptive, Kernels.adaptive(), "one adaptive instance per process");
  }

  @Test
  void theProviderIsChosenOnceAndTheVectorOneExtendsTheScalarTwins() {
    KernelProvider p = KernelProvider.getInstance();
    assertSame(p, KernelProvider.getInstance());
    assertEquals(
        "dev.segmenter.engine.kernels.vector.VectorKernelProvider", p.getClass().getName());
    assertEquals(Kernels.get().description(), p.description());
    assertTrue(p.argmax() instanceof ScalarArgmaxKernel, "inherits what it does not vectorise");
    assertTrue(p.resize() instanceof ScalarResizeKernel);
  }

  @Test
  void argumentsAreCheckedOnceWithTheSameMessageForEveryImplementation() {
    for (Kernels k : new Kernels[] {Kernels.scalar(), Kernels.vector(), Kernels.adaptive()}) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class,
          () -> k.argmax().argmaxPlanar(new float[4], 0, 0, 4, 0, 4, new byte[4]));
      assertEquals("classes must be 1..256 for this output type, got 0", e.getMessage());
      IndexOutOfBoundsException o = org.junit.jupiter.api.Assertions.assertThrows(
          IndexOutOfBoundsException.class,
          () -> k.palette().lookup3(new byte[4], 0, 4, new byte[3], new byte[11]));
      assertEquals("range [0, 12) is outside out of length 11", o.getMessage());
      e = org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class,
          () -> k.blend().blend(new byte[3], new byte[3], 1.5f, 0, 3, new byte[3]));
      assertEquals("alpha must be in [0, 1], got 1.5", e.getMessage());
    }
  }
}
