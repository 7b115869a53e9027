package dev.segmenter.engine.kernels;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The kernel implementations for this process: Vector API ones when {@code jdk.incubator.vector} is resolvable
 * (run with {@code --add-modules jdk.incubator.vector}) and the CPU has vectors of at least 256 bits, scalar ones
 * otherwise or with {@code -Dsegmenter.vector=false}. Chosen once, on the first {@link #get()}, which logs one
 * INFO line saying which and why. The vector classes are loaded reflectively, so this class (and everything that
 * uses it) runs without the incubator module.
 */
public final class Kernels {

  /** System property that turns the vector kernels off when set to {@code false}. */
  public static final String VECTOR_PROPERTY = "segmenter.vector";

  private static final String VECTOR_SUPPORT = "dev.segmenter.engine.kernels.vector.VectorSupport";

  private final String description;
  private final ArgmaxKernel argmax;
  private final PaletteKernel palette;
  private final BlendKernel blend;
  private final ResizeKernel resize;
  private final CompositeKernel composite;

  Kernels(String description, ArgmaxKernel argmax, PaletteKernel palette, BlendKernel blend,
      ResizeKernel resize, CompositeKernel composite) {
    this.description = description;
    this.argmax = argmax;
    this.palette = palette;
    this.blend = blend;
    this.resize = resize;
    this.composite = composite;
  }

  private static final class Holder {
    static final Kernels SCALAR = new Kernels("scalar", ScalarArgmaxKernel.INSTANCE, ScalarPaletteKernel.INSTANCE,
        ScalarBlendKernel.INSTANCE, ScalarResizeKernel.INSTANCE, ScalarCompositeKernel.INSTANCE);
  }

  private static final class Vector {
    static final Object RESULT = load();

    private static Object load() {
      try {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
          return "jdk.incubator.vector not present; run with --add-modules jdk.incubator.vector";
        }
        Class<?> support = Class.forName(VECTOR_SUPPORT);
        Method create = support.getMethod("create");
        Object[] parts = (Object[]) create.invoke(null);
        if (parts[0] instanceof String && parts.length == 2) {
          return parts[1]; // unsupported, with the reason
        }
        return new Kernels((String) parts[0], (ArgmaxKernel) parts[1], (PaletteKernel) parts[2],
            (BlendKernel) parts[3], (ResizeKernel) parts[4], (CompositeKernel) parts[5]);
      } catch (InvocationTargetException e) {
        return "vector kernels failed to initialise: " + e.getCause();
      } catch (ReflectiveOperationException | LinkageError | SecurityException | ClassCastException e) {
        return "vector kernels not loadable: " + e;
      }
    }
  }

  private static final class Chosen {
    static final Kernels KERNELS = choose();

    private static Kernels choose() {
      Kernels chosen;
      String why;
      if ("false".equalsIgnoreCase(System.getProperty(VECTOR_PROPERTY, "").trim())) {
        chosen = Holder.SCALAR;
        why = "-D" + VECTOR_PROPERTY + "=false";
      } else if (Vector.RESULT instanceof Kernels) {
        chosen = (Kernels) Vector.RESULT;
        why = null;
      } else {
        chosen = Holder.SCALAR;
        why = (String) Vector.RESULT;
      }
      System.getLogger("dev.segmenter.engine.kernels").log(System.Logger.Level.INFO,
          "kernels: " + chosen.description + (why == null ? "" : " (" + why + ")"));
      return chosen;
    }
  }

  /** The process-wide choice (see the class comment). */
  public static Kernels get() {
    return Chosen.KERNELS;
  }

  /**
   * The kernels for a pipeline that should be fast from its first image: {@link #get()} when that is
   * scalar; otherwise kernels that run the scalar code until a background warm-up has had the vector code
   * compiled by C2 (about 2 s of one core; interpreted Vector API code is ~100x slower than scalar), then
   * the vector code. Both give identical results, so the switch changes only the speed.
   */
  public static Kernels adaptive() {
    Kernels chosen = get();
    if (chosen == Holder.SCALAR) {
      return chosen;
    }
    return AdaptiveKernels.of(chosen, Holder.SCALAR);
  }

  /**
   * True once {@link #adaptive()} kernels run the vector code (or when there is nothing to warm up):
   * benchmarks wait for this so the warm-up thread does not compete with what they measure.
   */
  public static boolean warm() {
    return get() == Holder.SCALAR || KernelWarmup.ready();
  }

  /** The plain-Java kernels, always available. */
  public static Kernels scalar() {
    return Holder.SCALAR;
  }

  /**
   * The Vector API kernels.
   *
   * @throws UnsupportedOperationException saying why when they cannot run here
   */
  public static Kernels vector() {
    if (Vector.RESULT instanceof Kernels) {
      return (Kernels) Vector.RESULT;
    }
    throw new UnsupportedOperationException("vector kernels unavailable: " + Vector.RESULT);
  }

  /**
   * E.g. {@code "vector (AVX-512, 512-bit, FloatVector 16 lanes: the CPU's preferred width)"} or {@code "scalar"}:
   * the CPU's vector extension, the width the kernels use and why.
   */
  public String description() {
    return description;
  }

  public ArgmaxKernel argmax() {
    return argmax;
  }

  public PaletteKernel palette() {
    return palette;
  }

  public BlendKernel blend() {
    return blend;
  }

  public ResizeKernel resize() {
    return resize;
  }

  /** Per-pixel alpha composite (background replacement, soft cut-outs). */
  public CompositeKernel composite() {
    return composite;
  }

  @Override
  public String toString() {
    return "Kernels[" + description + "]";
  }
}
