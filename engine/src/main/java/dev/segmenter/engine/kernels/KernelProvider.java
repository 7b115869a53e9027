package dev.segmenter.engine.kernels;

import java.lang.reflect.InvocationTargetException;
import java.util.Objects;

/**
 * Where the kernel implementations come from, after Lucene's {@code VectorizationProvider}: one subclass per set
 * ({@link ScalarKernelProvider}, always there; {@code vector.VectorKernelProvider}, the Vector API one, whose
 * constructor refuses with the reason when it cannot run here), chosen once per process in {@link #lookup()} and
 * held by one holder ({@link #getInstance()}), with one log line saying which and why.
 *
 * <p>The vector provider is loaded by name, so this class (and everything that uses it) links and runs without
 * {@code jdk.incubator.vector}; it is chosen when that module is resolvable ({@code --add-modules
 * jdk.incubator.vector}) and the vectors the species choice lands on are at least 128 bits wide (NEON, SSE,
 * AVX2, AVX-512, SVE), unless {@code -Dsegmenter.vector=false}.
 */
public abstract class KernelProvider {

  /** System property that turns the vector kernels off when set to {@code false}. */
  public static final String VECTOR_PROPERTY = "segmenter.vector";

  private static final String VECTOR_PROVIDER =
      "dev.segmenter.engine.kernels.vector.VectorKernelProvider";

  protected KernelProvider() {}

  /**
   * E.g. {@code "vector (AVX-512, 512-bit, FloatVector 16 lanes: the CPU's preferred width)"} or {@code "scalar"}:
   * the CPU's vector extension, the width the kernels use and why.
   */
  public abstract String description();

  public abstract ArgmaxKernel argmax();

  public abstract PaletteKernel palette();

  public abstract BlendKernel blend();

  public abstract ResizeKernel resize();

  public abstract CompositeKernel composite();

  /** The process-wide choice (see the class comment); logs which and why on the first call. */
  public static KernelProvider getInstance() {
    return Holder.LOOKUP.chosen;
  }

  /** The Vector API provider, or null with {@link #whyNotVector()} saying why. */
  static KernelProvider vectorOrNull() {
    return Holder.LOOKUP.vector;
  }

  /** Why the vector provider cannot run here (null when it can). */
  static String whyNotVector() {
    return Holder.LOOKUP.whyNotVector;
  }

  /** What {@link #lookup()} found: the chosen provider, the vector one if it could be made, and why not. */
  private static final class Lookup {
    final KernelProvider chosen;
    final KernelProvider vector;
    final String whyNotVector;

    Lookup(KernelProvider chosen, KernelProvider vector, String whyNotVector) {
      this.chosen = Objects.requireNonNull(chosen);
      this.vector = vector;
      this.whyNotVector = whyNotVector;
    }
  }

  private static final class Holder {
    static final Lookup LOOKUP = lookup();
  }

  private static Lookup lookup() {
    KernelProvider vector = null;
    String why;
    try {
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        why = "jdk.incubator.vector not present; run with --add-modules jdk.incubator.vector";
      } else {
        vector = Class.forName(VECTOR_PROVIDER)
            .asSubclass(KernelProvider.class)
            .getDeclaredConstructor()
            .newInstance();
        why = null;
      }
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      why = cause instanceof UnsupportedOperationException
          ? cause.getMessage()
          : "vector kernels failed to initialise: " + cause;
    } catch (ReflectiveOperationException
        | LinkageError
        | SecurityException
        | ClassCastException e) {
      why = "vector kernels not loadable: " + e;
    }
    KernelProvider chosen;
    String reason;
    if ("false".equalsIgnoreCase(System.getProperty(VECTOR_PROPERTY, "").trim())) {
      chosen = ScalarKernelProvider.INSTANCE;
      reason = "-D" + VECTOR_PROPERTY + "=false";
    } else if (vector != null) {
      chosen = vector;
      reason = null;
    } else {
      chosen = ScalarKernelProvider.INSTANCE;
      reason = why;
    }
    System.getLogger("dev.segmenter.engine.kernels")
        .log(
            System.Logger.Level.INFO,
            "kernels: " + chosen.description() + (reason == null ? "" : " (" + reason + ")"));
    return new Lookup(chosen, vector, why);
  }
}
