package dev.segmenter.engine.kernels.vector;

import java.util.Locale;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Entry point of the Vector API kernels, loaded reflectively by {@code Kernels} so that nothing outside this
 * package links against {@code jdk.incubator.vector}.
 */
public final class VectorSupport {

  static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

  private VectorSupport() {
  }

  /**
   * Returns {@code {description, argmax, palette, blend, resize, fused}}, or {@code {"unsupported", reason}}
   * when the preferred vector size is too small for these kernels.
   */
  public static Object[] create() {
    int bits = FLOATS.vectorBitSize();
    if (bits < 256) {
      return new Object[] {"unsupported", "preferred vector size is " + bits
          + " bits; the vector kernels need at least 256"};
    }
    String description = "vector (" + isa(bits) + ", FloatVector " + FLOATS.length() + " lanes)";
    return new Object[] {description, new VectorArgmaxKernel(), new VectorPaletteKernel(), new VectorBlendKernel(),
        new VectorResizeKernel(), new VectorFusedKernel()};
  }

  private static String isa(int bits) {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (arch.equals("amd64") || arch.equals("x86_64")) {
      return bits >= 512 ? "AVX-512" : "AVX2";
    }
    if (arch.equals("aarch64")) {
      return "SVE " + bits + "-bit";
    }
    return arch + " " + bits + "-bit";
  }
}
