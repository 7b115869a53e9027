/**
 * Vector API ({@code jdk.incubator.vector}) implementations of the kernels, loaded reflectively through
 * {@link dev.segmenter.engine.kernels.vector.VectorSupport#create()} so that nothing else links against the
 * incubator module. The float species is chosen once at run time in {@code VectorSupport}: the CPU's preferred
 * width (128-bit NEON/SSE, 256-bit AVX2, 512-bit AVX-512, SVE), capped at 256 bits before JDK 25 where 512-bit
 * masks and conversions compile slowly, or {@code -Dsegmenter.vector.bits=128|256|512}; kernels use
 * {@code loopBound}, an unmasked main loop and the scalar twin for the tail, and keep no vectors in fields.
 */
package dev.segmenter.engine.kernels.vector;
