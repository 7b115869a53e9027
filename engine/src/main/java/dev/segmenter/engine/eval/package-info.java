/**
 * Accuracy against label images: {@link dev.segmenter.engine.eval.Confusion} accumulates a confusion matrix over
 * images (an ignore id skipped) and gives per-class IoU and accuracy, mean IoU over the classes present, and
 * pixel accuracy, as {@code segmenter eval} prints them.
 */
package dev.segmenter.engine.eval;
