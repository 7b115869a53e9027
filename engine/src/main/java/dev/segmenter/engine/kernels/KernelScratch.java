package dev.segmenter.engine.kernels;

/**
 * Per-thread scratch arrays, so kernels allocate nothing in steady state. Each field has one user at a time
 * (a kernel never calls another kernel that uses the same field). Public only because the vector
 * implementations live in a sub-package; not an API.
 */
public final class KernelScratch {

  private static final ThreadLocal<KernelScratch> LOCAL =
      ThreadLocal.withInitial(KernelScratch::new);

  /** Argmax running maxima and ids of one pixel block. */
  public float[] argmaxMax = new float[0];

  public float[] argmaxIdx = new float[0];
  /** Argmax over native memory without {@code fromByteBuffer}: one block of scores, staged. */
  public float[] argmaxStage = new float[0];
  /** Resize coordinate tables. */
  public int[] x0 = new int[0];

  public int[] x1 = new int[0];
  public float[] fx = new float[0];
  public float[] gx = new float[0];
  /** Palette: packed table and widened ids. */
  public int[] lutPacked = new int[0];

  public int[] idsWide = new int[0];
  /** Gather index map of the interleaved argmax, for {@link #gatherMapClasses} classes. */
  public int[] gatherMap = new int[0];

  public int gatherMapClasses = -1;
  /** Nearest resize: per segment first source index, and the relative indices. */
  public int[] segLo = new int[0];

  public byte[] segRel = new byte[0];

  private KernelScratch() {}

  public static KernelScratch get() {
    return LOCAL.get();
  }

  public static int[] ensure(int[] a, int n) {
    return a.length >= n ? a : new int[Math.max(n, a.length * 2)];
  }

  public static float[] ensure(float[] a, int n) {
    return a.length >= n ? a : new float[Math.max(n, a.length * 2)];
  }

  public static byte[] ensure(byte[] a, int n) {
    return a.length >= n ? a : new byte[Math.max(n, a.length * 2)];
  }
}
