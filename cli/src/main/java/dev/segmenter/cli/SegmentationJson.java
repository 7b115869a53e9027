package dev.segmenter.cli;

import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Timings;
import dev.segmenter.engine.render.ClassStats;
import dev.segmenter.palettes.Palette;

/** The JSON object of one segmented image: {@code segment --json}'s line and the {@code json} output's file. */
final class SegmentationJson {
  private SegmentationJson() {}

  /** The per-image JSON object (one line). */
  static String of(
      Segmentation r, String image, Palette palette, ClassStats stats, boolean withBoxes) {
    long[] counts = r.pixelsPerClass();
    long total = (long) r.width() * r.height();
    Json j = new Json()
        .beginObject()
        .field("image", image)
        .field("width", r.width())
        .field("height", r.height())
        .field("backend", r.backend())
        .field("model", r.model().name())
        .field("domain", r.model().domain())
        .name("classes")
        .beginArray();
    for (int id = 0; id < counts.length; id++) {
      if (counts[id] == 0) {
        continue;
      }
      j.beginObject()
          .field("id", id)
          .field("name", palette.label(id))
          .field("pixels", counts[id])
          .field("fraction", (double) counts[id] / total);
      if (withBoxes && stats != null) {
        final int cid = id;
        stats
            .get(cid)
            .ifPresent(e -> j.name("bbox")
                .beginArray()
                .value(e.x())
                .value(e.y())
                .value(e.w())
                .value(e.h())
                .endArray());
      }
      j.endObject();
    }
    j.endArray();
    Timings t = r.timings();
    j.name("timings_ms")
        .beginObject()
        .field("decode", t.decode())
        .field("preprocess", t.preprocess())
        .field("forward", t.forward())
        .field("postprocess", t.postprocess())
        .field("total", t.total())
        .endObject();
    return j.endObject().toString();
  }
}
