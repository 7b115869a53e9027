/**
 * Vector API ({@code jdk.incubator.vector}) implementations of the kernels, loaded reflectively through
 * {@link dev.segmenter.engine.kernels.vector.VectorSupport#create()} so that nothing else links against the
 * incubator module. Species come from {@code FloatVector.SPECIES_PREFERRED} at run time; kernels use
 * {@code loopBound}, an unmasked main loop and the scalar twin for the tail, and keep no vectors in fields.
 */
package dev.segmenter.engine.kernels.vector;
