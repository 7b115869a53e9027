package dev.segmenter.engine.kernels;

/** Work on the half-open range {@code [from, to)}, e.g. a band of rows or pixels. */
@FunctionalInterface
public interface IntRangeConsumer {

  void accept(int from, int to);
}
