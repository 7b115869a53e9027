package dev.segmenter.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.ErrorMessages;
import dev.segmenter.engine.eval.Confusion;
import dev.segmenter.engine.render.PngOutputs;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Mean IoU and pixel accuracy at scale: each partition sums its images' confusion matrix, Spark sums the
 * partitions' cells, and the driver gets one {@link Confusion}: the same numbers {@code segmenter eval} prints for
 * the same files. Labels follow {@code eval}'s rule: the label of {@code NAME.ext} is {@code NAME.labels.png},
 * else {@code NAME.png} (when that is not the image itself), among the label files given.
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("eval/*.png").filter("path NOT LIKE '%.labels.png'");
 * Dataset<Row> labels = spark.read().format("binaryFile").load("eval/*.png");
 * SparkEval.Result r = SparkEval.evaluate(new SegmentImages().transform(images), labels, 19, 255);
 * }</pre>
 */
public final class SparkEval {
  private SparkEval() {}

  /**
   * The summed confusion matrix, how many images it counts, and the images left out with their reasons (error
   * rows, no label, a label of another size), sorted.
   */
  public record Result(Confusion confusion, long images, List<String> failures) {
    public double meanIou() {
      return confusion.meanIou();
    }

    public double pixelAccuracy() {
      return confusion.pixelAccuracy();
    }
  }

  private static final StructType CELLS = DataTypes.createStructType(List.of(
      DataTypes.createStructField("cell", DataTypes.IntegerType, false),
      DataTypes.createStructField("pixels", DataTypes.LongType, false),
      DataTypes.createStructField("failure", DataTypes.StringType, true)));
  private static final int IMAGE = -1;
  private static final int FAILURE = -2;

  /**
   * Scores {@code segmented} ({@link SegmentImages}' output with its {@code path}, class-map column
   * {@code classesCol} and {@code error}) against {@code labels} ({@code binaryFile} rows: {@code path},
   * {@code content}).
   *
   * @param classes the model's class count (label ids at or above it are skipped, as in {@code eval})
   * @param ignore the label id to skip (the card's {@code ignore_index}, else 255)
   */
  public static Result evaluate(
      Dataset<Row> segmented, Dataset<Row> labels, String classesCol, int classes, int ignore) {
    Column file = substring_index(col("path"), "/", -1);
    Column stem = regexp_extract(file, "^(.+)\\.[^.]*$", 1);
    Dataset<Row> predicted = segmented
        .select(col("path"), col(classesCol).as("predicted"), col("error"))
        .withColumn("stem", when(stem.equalTo(""), file).otherwise(stem));
    Dataset<Row> named = labels
        .select(col("path").as("lpath"), col("content").as("lcontent"))
        .withColumn("lfile", substring_index(col("lpath"), "/", -1));
    Dataset<Row> first = named.select(
        col("lfile").as("a_file"), col("lpath").as("a_path"), col("lcontent").as("a_content"));
    Dataset<Row> second = named.select(
        col("lfile").as("b_file"), col("lpath").as("b_path"), col("lcontent").as("b_content"));
    Dataset<Row> joined = predicted
        .join(first, col("a_file").equalTo(concat(col("stem"), lit(".labels.png"))), "left")
        .join(
            second,
            col("b_file")
                .equalTo(concat(col("stem"), lit(".png")))
                .and(col("b_path").notEqual(col("path"))),
            "left")
        .select(
            col("path"),
            col("predicted"),
            col("error"),
            col("stem"),
            coalesce(col("a_path"), col("b_path")).as("label_path"),
            when(col("a_path").isNotNull(), col("a_content"))
                .otherwise(col("b_content"))
                .as("label"));
    Dataset<Row> cells = joined
        .mapPartitions(new PartitionConfusion(classes, ignore), Encoders.row(CELLS))
        .groupBy(col("cell"), col("failure"))
        .agg(sum(col("pixels")).as("pixels"));
    Confusion confusion = new Confusion(classes, ignore);
    long images = 0;
    List<String> failures = new ArrayList<>();
    for (Row r : cells.collectAsList()) {
      int cell = r.getInt(0);
      long pixels = r.getLong(2);
      if (cell == IMAGE) {
        images += pixels;
      } else if (cell == FAILURE) {
        failures.add(r.getString(1));
      } else {
        confusion.add(cell / classes, cell % classes, pixels);
      }
    }
    failures.sort(null);
    return new Result(confusion, images, List.copyOf(failures));
  }

  /** One partition's confusion matrix as (cell, pixels) rows, plus a row per counted image and per failure. */
  private static final class PartitionConfusion implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final int classes;
    private final int ignore;

    PartitionConfusion(int classes, int ignore) {
      this.classes = classes;
      this.ignore = ignore;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      Confusion c = new Confusion(classes, ignore);
      List<Row> out = new ArrayList<>();
      long images = 0;
      while (rows.hasNext()) {
        Row r = rows.next();
        String path = r.getString(0);
        if (!r.isNullAt(2)) {
          out.add(RowFactory.create(FAILURE, 1L, r.getString(2)));
          continue;
        }
        if (r.isNullAt(5)) {
          out.add(RowFactory.create(
              FAILURE,
              1L,
              path + ": no label image (looked for " + r.getString(3)
                  + ".labels.png and .png among the labels)"));
          continue;
        }
        try {
          ClassMap predicted = PngOutputs.readClassIds((byte[]) r.get(1), path);
          ClassMap label = PngOutputs.readClassIds((byte[]) r.get(5), r.getString(4));
          if (label.width() != predicted.width() || label.height() != predicted.height()) {
            out.add(RowFactory.create(
                FAILURE,
                1L,
                r.getString(4) + ": " + label.width() + "x" + label.height()
                    + " differs from the image's " + predicted.width() + "x" + predicted.height()));
            continue;
          }
          c.add(label, predicted);
          images++;
        } catch (RuntimeException e) {
          out.add(RowFactory.create(FAILURE, 1L, path + ": " + ErrorMessages.oneLine(e)));
        }
      }
      for (int l = 0; l < classes; l++) {
        for (int p = 0; p < classes; p++) {
          long n = c.count(l, p);
          if (n > 0) {
            out.add(RowFactory.create(l * classes + p, n, null));
          }
        }
      }
      if (images > 0) {
        out.add(RowFactory.create(IMAGE, images, null));
      }
      return out.iterator();
    }
  }
}
