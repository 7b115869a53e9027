package dev.segmenter.engine.kernels.vector;

import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The species every Vector API kernel uses, chosen once at run time (see the static initialiser), and the
 * description {@link VectorKernelProvider} logs.
 */
public final class VectorSupport {

  /** System property: the vector width in bits (128, 256 or 512), overriding the choice below. */
  public static final String BITS_PROPERTY = "segmenter.vector.bits";

  /** Why {@link #FLOATS} has its width: for the start-up log line. */
  static final String WHY;

  static final VectorSpecies<Float> FLOATS;

  static {
    VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
    String asked = System.getProperty(BITS_PROPERTY, "").trim();
    VectorSpecies<Float> chosen = preferred;
    String why = "the CPU's preferred width";
    if (!asked.isEmpty()) {
      int bits = -1;
      try {
        bits = Integer.parseInt(asked);
      } catch (NumberFormatException e) {
        // reported below
      }
      if ((bits == 128 || bits == 256 || bits == 512) && bits <= preferred.vectorBitSize()) {
        chosen = VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
        why = "-D" + BITS_PROPERTY + "=" + bits;
      } else {
        why = "-D" + BITS_PROPERTY + "=" + asked
            + " ignored: accepted 128, 256 or 512, at most the CPU's " + preferred.vectorBitSize();
      }
    } else if (preferred.vectorBitSize() > 256 && Runtime.version().feature() < 25) {
      // JDK 17's C2 compiles 512-bit masked compares, blends and lane conversions into slow
      // sequences: at 256
      // bits the argmax kernel (and a fused kernel since removed) ran 1.35-1.4x faster on AVX-512
      // (README, "Kernels and benchmarks");
      // on JDK 25 512 bits is faster, so it keeps the preferred width.
      chosen = FloatVector.SPECIES_256;
      why = "512-bit vectors compile slowly before JDK 25";
    }
    FLOATS = chosen;
    WHY = why;
  }

  private VectorSupport() {}

  /**
   * Byte species a quarter of {@code floats}' width (one byte per float lane), or the smallest shape, 64 bits
   * (two bytes per float lane), when the floats are 128 bits wide (NEON, SSE): kernels then read ahead and
   * store lane by lane.
   */
  static VectorSpecies<Byte> quarterBytes(VectorSpecies<Float> floats) {
    return VectorSpecies.of(
        byte.class, VectorShape.forBitSize(Math.max(64, floats.vectorBitSize() / 4)));
  }

  static String isa(int bits) {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (arch.equals("amd64") || arch.equals("x86_64")) {
      return bits >= 512 ? "AVX-512" : bits >= 256 ? "AVX2" : "SSE";
    }
    if (arch.equals("aarch64")) {
      return bits > 128 ? "SVE " + bits + "-bit" : "NEON";
    }
    return arch + " " + bits + "-bit";
  }
}
