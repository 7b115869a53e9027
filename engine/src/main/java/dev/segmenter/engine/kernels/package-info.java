/**
 * Pixel kernels of the pipeline: argmax over classes ({@link dev.segmenter.engine.kernels.ArgmaxKernel}), class
 * map to colors ({@link dev.segmenter.engine.kernels.PaletteKernel}), alpha blend
 * ({@link dev.segmenter.engine.kernels.BlendKernel}), resize of class maps and score planes
 * ({@link dev.segmenter.engine.kernels.ResizeKernel}) and alpha composite
 * ({@link dev.segmenter.engine.kernels.CompositeKernel}).
 *
 * <p>Each family is an abstract class whose public methods check their arguments once and call the
 * implementation's {@code do*} methods: a plain-Java implementation ({@code Scalar*Kernel}, the reference) and a
 * Vector API one in {@code dev.segmenter.engine.kernels.vector} that extends it, the only package that imports
 * {@code jdk.incubator.vector}. {@link dev.segmenter.engine.kernels.KernelProvider} picks one set once per process
 * and logs which and why: vector when the JVM runs with {@code --add-modules jdk.incubator.vector} and vectors are
 * at least 128 bits wide (NEON, SSE, AVX2, AVX-512, SVE), unless {@code -Dsegmenter.vector=false};
 * {@link dev.segmenter.engine.kernels.Kernels} is what pipelines hold. Both give identical bytes, ids and floats;
 * the rules (ties, NaN, rounding, coordinate mapping) are in each interface's javadoc.
 *
 * <p>Kernels write only the range they are given, so callers split work with
 * {@link dev.segmenter.engine.kernels.Parallel#forRange} and get the single-threaded result. They allocate
 * nothing in steady state (per-thread scratch in {@link dev.segmenter.engine.kernels.KernelScratch}).
 */
package dev.segmenter.engine.kernels;
