/**
 * Vector API ({@code jdk.incubator.vector}) implementations of the kernels: the only package that imports the
 * incubator module. {@link dev.segmenter.engine.kernels.vector.VectorKernelProvider} is made by name by
 * {@link dev.segmenter.engine.kernels.KernelProvider}, so nothing else links against it. The float species is chosen
 * once at run time in {@code VectorSupport}: the CPU's preferred width (128-bit NEON/SSE, 256-bit AVX2, 512-bit
 * AVX-512, SVE), capped at 256 bits before JDK 25 where 512-bit masks and conversions compile slowly, or
 * {@code -Dsegmenter.vector.bits=128|256|512}; each kernel extends its scalar twin and overrides the {@code do*}
 * methods it speeds up; kernels use {@code loopBound}, an unmasked main loop and the scalar twin for the tail, and
 * keep no vectors in fields.
 */
package dev.segmenter.engine.kernels.vector;
