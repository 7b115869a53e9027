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
    assertTrue(k.description().matches("vector \\((AVX-512|AVX2|SVE \\d+-bit|.*), FloatVector \\d+ lanes\\)"),
        k.description());
    assertTrue(k.argmax().getClass().getName().startsWith("dev.segmenter.engine.kernels.vector."));
  }

  @Test
  void scalarIsAlwaysThere() {
    Kernels s = Kernels.scalar();
    assertEquals("scalar", s.description());
    assertSame(ScalarArgmaxKernel.INSTANCE, s.argmax());
    assertSame(ScalarFusedKernel.INSTANCE, s.fused());
  }
}
