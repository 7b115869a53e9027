/** onnxruntime backend. */
package dev.segmenter.backend.onnxruntime;
