package dev.segmenter.spark;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.ErrorMessages;
import dev.segmenter.engine.ImageException;
import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.Timings;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.image.ImageDecoder;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.render.CardPalettes;
import dev.segmenter.engine.render.ColorMap;
import dev.segmenter.engine.render.Overlay;
import dev.segmenter.engine.render.PngOutputs;
import dev.segmenter.palettes.Palette;
import java.io.ByteArrayInputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The per-partition work of {@link SegmentImages}: decode each row's bytes, segment, encode the class map (and the
 * chosen images) as PNG. A row whose image cannot be decoded or segmented gets its reason in {@code error}; a model
 * error (the same for every row) fails the task, as it stops {@code segmenter segment}.
 */
final class SegmentRows implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private final SegmenterSettings settings;
  private final int inputIndex;
  private final int pathIndex;
  private final List<String> outputs;
  private final float alpha;
  private final String palette;

  SegmentRows(
      SegmenterSettings settings,
      int inputIndex,
      int pathIndex,
      List<String> outputs,
      float alpha,
      String palette) {
    this.settings = settings;
    this.inputIndex = inputIndex;
    this.pathIndex = pathIndex;
    this.outputs = List.copyOf(outputs);
    this.alpha = alpha;
    this.palette = palette;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Iterator<>() {
      private Task task;

      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        if (task == null) {
          task = new Task(ExecutorSegmenters.get(settings.forThisTask()));
        }
        return task.apply(rows.next());
      }
    };
  }

  /** What one task reuses across its rows. */
  private final class Task {
    private final Segmenter segmenter;
    private final ImageDecoder decoder;
    /** The segmenter's kernels: rendering uses what the pipeline uses. */
    private final Kernels kernels;

    private Palette colors;

    Task(Segmenter segmenter) {
      this.segmenter = segmenter;
      this.kernels = segmenter.kernels();
      this.decoder = new ImageDecoder(settings.maxPixels());
    }

    Row apply(Row row) {
      int n = row.length();
      Object[] values = new Object[n + 6 + outputs.size()];
      for (int i = 0; i < n; i++) {
        values[i] = row.get(i);
      }
      String name = pathIndex >= 0 && !row.isNullAt(pathIndex) ? row.getString(pathIndex) : "row";
      try {
        byte[] content = row.isNullAt(inputIndex) ? null : (byte[]) row.get(inputIndex);
        if (content == null || content.length == 0) {
          throw new ImageException(name + ": empty file (0 bytes), not an image");
        }
        long t0 = System.nanoTime();
        BgrImage image = decoder.decode(new ByteArrayInputStream(content), name);
        double decodeMs = (System.nanoTime() - t0) / 1e6;
        Segmentation r = segmenter.segment(image);
        ClassMap map = r.classMap();
        values[n] = r.width();
        values[n + 1] = r.height();
        values[n + 2] = PngOutputs.classIdsPng(map);
        values[n + 3] = pixels(r);
        Timings t = r.timings();
        values[n + 4] = RowFactory.create(
            decodeMs, t.preprocess(), t.forward(), t.postprocess(), decodeMs + t.total());
        BgrImage colorImage = null;
        for (int k = 0; k < outputs.size(); k++) {
          if (colorImage == null) {
            colorImage = new ColorMap(kernels.palette()).bgr(map, colors(r));
          }
          values[n + 6 + k] = outputs.get(k).equals("overlay")
              ? PngOutputs.picturePng(new Overlay(kernels.blend(), kernels.palette())
                  .render(r.image(), colorImage, alpha))
              : PngOutputs.colorsPng(colorImage);
        }
      } catch (ModelException e) {
        throw e;
      } catch (RuntimeException e) {
        for (int i = n; i < values.length; i++) {
          values[i] = null;
        }
        String m = ErrorMessages.oneLine(e);
        values[n + 5] = m.startsWith(name) ? m : name + ": " + m;
      }
      return RowFactory.create(values);
    }

    private Palette colors(Segmentation r) {
      if (colors == null) {
        colors = CardPalettes.forCard(r.model(), palette, null, null);
      }
      return colors;
    }
  }

  /** Pixels per class name, for the classes present (a Scala map: what Spark's row encoder takes). */
  private static scala.collection.Map<String, Long> pixels(Segmentation r) {
    long[] counts = r.pixelsPerClass();
    Map<String, Long> m = new LinkedHashMap<>();
    for (int id = 0; id < counts.length; id++) {
      if (counts[id] > 0) {
        m.put(r.model().className(id), counts[id]);
      }
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(m);
  }
}
