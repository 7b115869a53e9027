/** JMH benchmarks. */
package dev.segmenter.benchmarks;
