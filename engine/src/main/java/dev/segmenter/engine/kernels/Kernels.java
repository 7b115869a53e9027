package dev.segmenter.engine.kernels;

/**
 * The kernels a pipeline calls: one {@link KernelProvider}'s, or, for {@link #adaptive()}, the scalar provider's
 * until the vector code is compiled and the vector provider's after. Each accessor answers the implementation to
 * use now; the kernel families' public methods check their arguments (once, for every implementation).
 *
 * <pre>{@code
 * Kernels k = Kernels.get();              // the process-wide choice, logged once
 * k.argmax().argmaxPlanar(scores, 0, classes, pixels, 0, pixels, ids);
 * }</pre>
 *
 * <p>Adding a kernel method touches two files: the family class (its public, checked method and the protected
 * {@code do*} method it calls) and the scalar implementation; the vector implementation extends the scalar one and
 * overrides the method when it has a faster version. Nothing here forwards methods one by one.
 */
public final class Kernels {

  /** System property that turns the vector kernels off when set to {@code false}. */
  public static final String VECTOR_PROPERTY = KernelProvider.VECTOR_PROPERTY;

  private final KernelProvider provider;
  /** Until {@link KernelWarmup#ready()}: the provider to use instead (the scalar one); null when not adaptive. */
  private final KernelProvider untilWarm;

  private Kernels(KernelProvider provider, KernelProvider untilWarm) {
    this.provider = provider;
    this.untilWarm = untilWarm;
  }

  private static final class Holder {
    static final Kernels SCALAR = new Kernels(ScalarKernelProvider.INSTANCE, null);
    static final Kernels CHOSEN = KernelProvider.getInstance() == ScalarKernelProvider.INSTANCE
        ? SCALAR
        : new Kernels(KernelProvider.getInstance(), null);
    static final Kernels VECTOR = KernelProvider.vectorOrNull() == null
        ? null
        : KernelProvider.vectorOrNull() == KernelProvider.getInstance()
            ? CHOSEN
            : new Kernels(KernelProvider.vectorOrNull(), null);
    static final Kernels ADAPTIVE = CHOSEN == SCALAR
        ? SCALAR
        : new Kernels(KernelProvider.getInstance(), ScalarKernelProvider.INSTANCE);
  }

  /** The process-wide choice ({@link KernelProvider#getInstance()}). */
  public static Kernels get() {
    return Holder.CHOSEN;
  }

  /**
   * The kernels for a pipeline that should be fast from its first image: {@link #get()} when that is scalar;
   * otherwise one process-wide instance that runs the scalar code until a background warm-up has had the vector
   * code compiled by C2 (about 2 s of one core; interpreted Vector API code is ~100x slower than scalar), then the
   * vector code. Both give identical results, so the switch changes only the speed.
   */
  public static Kernels adaptive() {
    Kernels k = Holder.ADAPTIVE;
    if (k.untilWarm != null) {
      KernelWarmup.start(Holder.CHOSEN);
    }
    return k;
  }

  /**
   * True once {@link #adaptive()} kernels run the vector code (or when there is nothing to warm up):
   * benchmarks wait for this so the warm-up thread does not compete with what they measure.
   */
  public static boolean warm() {
    return Holder.CHOSEN == Holder.SCALAR || KernelWarmup.ready();
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
    if (Holder.VECTOR == null) {
      throw new UnsupportedOperationException(
          "vector kernels unavailable: " + KernelProvider.whyNotVector());
    }
    return Holder.VECTOR;
  }

  private KernelProvider now() {
    return untilWarm != null && !KernelWarmup.ready() ? untilWarm : provider;
  }

  /** The provider's description; adaptive kernels add {@code ", scalar until compiled"}. */
  public String description() {
    return provider.description() + (untilWarm == null ? "" : ", scalar until compiled");
  }

  public ArgmaxKernel argmax() {
    return now().argmax();
  }

  public PaletteKernel palette() {
    return now().palette();
  }

  public BlendKernel blend() {
    return now().blend();
  }

  public ResizeKernel resize() {
    return now().resize();
  }

  /** Per-pixel alpha composite (background replacement, soft cut-outs). */
  public CompositeKernel composite() {
    return now().composite();
  }

  @Override
  public String toString() {
    return "Kernels[" + description() + "]";
  }
}
