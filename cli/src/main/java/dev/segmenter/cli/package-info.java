/** The segmenter command line. */
package dev.segmenter.cli;
