package dev.segmenter.backend.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.image.BgrImage;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The pipeline reads ONNX Runtime's output where the runtime wrote it: per frame, no score is copied to the Java
 * heap unless the caller keeps the scores; the class maps are the same either way.
 */
class OnnxRuntimeViewTest {

  private static final int FRAMES = 4;

  @Test
  void framesCopyNoScoresToTheHeapUnlessScoresAreKept() {
    SplittableRandom r = new SplittableRandom(17);
    BgrImage image = BgrImage.allocate(512, 256);
    for (int i = 0; i < image.data().length; i++) {
      image.data()[i] = (byte) r.nextInt(256);
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    byte[] viewed;
    long viewAlloc;
    long scoreBytes;
    try (Segmenter s = Segmenter.builder()
        .model("enet-streets")
        .backend("onnxruntime")
        .postprocessThreads(1)
        .build()) {
      s.segment(image); // the first frame learns the output's shape (ORT allocates it once)
      long copied = Tensor.heapCopyBytes();
      long a0 = threads.getThreadAllocatedBytes(tid);
      Segmentation last = null;
      for (int i = 0; i < FRAMES; i++) {
        last = s.segment(image);
      }
      viewAlloc = (threads.getThreadAllocatedBytes(tid) - a0) / FRAMES;
      assertEquals(
          copied,
          Tensor.heapCopyBytes(),
          "bytes of scores copied to the heap in " + FRAMES + " frames");
      viewed = last.classMap().bytes().clone();
      scoreBytes = 4L * last.model().classCount() * 256 * 512;
    }
    try (Segmenter s = Segmenter.builder()
        .model("enet-streets")
        .backend("onnxruntime")
        .postprocessThreads(1)
        .keepScores(true)
        .build()) {
      s.segment(image);
      long a0 = threads.getThreadAllocatedBytes(tid);
      Segmentation kept = null;
      for (int i = 0; i < FRAMES; i++) {
        kept = s.segment(image);
      }
      long keptAlloc = (threads.getThreadAllocatedBytes(tid) - a0) / FRAMES;
      assertArrayEquals(
          kept.classMap().bytes(), viewed, "the same class map from the view and from a copy");
      assertEquals(scoreBytes, 4L * kept.scores().size());
      // the measure sees a copy of the scores when there is one, and none without
      assertTrue(
          keptAlloc >= scoreBytes,
          "kept scores: " + keptAlloc + " bytes a frame, scores " + scoreBytes);
      assertTrue(
          viewAlloc < scoreBytes / 4,
          "view: " + viewAlloc + " bytes a frame, scores " + scoreBytes);
    }
  }
}
