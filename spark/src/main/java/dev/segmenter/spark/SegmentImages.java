package dev.segmenter.spark;

import dev.segmenter.engine.image.ImageDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that segments a column of encoded images (PNG, JPEG, BMP, GIF, TIFF, WebP bytes,
 * e.g. the {@code content} column of Spark's {@code binaryFile} source) and appends, per row:
 * <ul>
 *   <li>{@code width}, {@code height} (int): the image's size;</li>
 *   <li>the output column (default {@code classes}, binary): the class map as a lossless PNG, byte for byte the
 *       {@code NAME.classes.png} that {@code segmenter segment} writes (8-bit gray ids; 16-bit above 256 classes);</li>
 *   <li>{@code pixels} ({@code map<string,bigint>}): pixels per class name, for the classes present;</li>
 *   <li>{@code timings} (struct of {@code decode_ms, preprocess_ms, forward_ms, postprocess_ms, total_ms});</li>
 *   <li>{@code error} (string): null, or the one-line reason the row failed (a corrupt image is an error row,
 *       never a failed job);</li>
 *   <li>with {@link #setOutputs} {@code color} and/or {@code overlay} (binary): the {@code NAME.color.png} and
 *       {@code NAME.overlay.png} bytes of {@code segment}.</li>
 * </ul>
 * Rows keep their other columns. One {@code Segmenter} per executor JVM and settings ({@link ExecutorSegmenters});
 * each task's runtime uses {@code spark.task.cpus} threads unless {@link #setThreads} says otherwise.
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("hdfs:///photos");
 * Dataset<Row> maps = new SegmentImages().setModel("enet-streets").setBackend("onnxruntime")
 *     .setInputCol("content").transform(images);
 * }</pre>
 */
public final class SegmentImages extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  /** The image outputs {@link #setOutputs} accepts, each a binary PNG column of that name. */
  public static final List<String> IMAGE_OUTPUTS = List.of("color", "overlay");

  private final String uid;
  private final Param<String> model;
  private final Param<String> backend;
  private final Param<String> device;
  private final IntParam threads;
  private final Param<String> resize;
  private final LongParam maxPixels;
  private final Param<String> inputCol;
  private final Param<String> pathCol;
  private final Param<String> outputCol;
  private final StringArrayParam outputs;
  private final DoubleParam alpha;
  private final Param<String> palette;

  public SegmentImages() {
    this(Identifiable$.MODULE$.randomUID("segmentImages"));
  }

  public SegmentImages(String uid) {
    this.uid = uid;
    model = new Param<>(
        this,
        "model",
        "a shipped or catalog model's name, or a model directory every executor "
            + "can read (or one shipped with --archives, by its name)");
    backend = new Param<>(this, "backend", "onnxruntime, opencv, pytorch or auto");
    device = new Param<>(this, "device", "cpu or gpu");
    threads = new IntParam(this, "threads", "runtime threads per task; 0 follows spark.task.cpus");
    resize = new Param<>(this, "resize", "nearest or bilinear: how scores reach the image's size");
    maxPixels = new LongParam(this, "maxPixels", "larger images become error rows before decoding");
    inputCol = new Param<>(this, "inputCol", "binary column of encoded images");
    pathCol = new Param<>(
        this, "pathCol", "string column naming each image in error messages (absent: row)");
    outputCol = new Param<>(this, "outputCol", "binary column for the class map PNG");
    outputs = new StringArrayParam(this, "outputs", "extra PNG columns: " + IMAGE_OUTPUTS);
    alpha = new DoubleParam(this, "alpha", "overlay opacity of the colors, 0..1");
    palette = new Param<>(
        this,
        "palette",
        "a built-in palette name or palette file for color and overlay; " + "empty: the model's");
    setDefault(model, "enet-streets");
    setDefault(backend, "auto");
    setDefault(device, "cpu");
    setDefault(threads, 0);
    setDefault(resize, "nearest");
    setDefault(maxPixels, ImageDecoder.DEFAULT_MAX_PIXELS);
    setDefault(inputCol, "content");
    setDefault(pathCol, "path");
    setDefault(outputCol, "classes");
    setDefault(outputs, new String[0]);
    setDefault(alpha, 0.5);
    setDefault(palette, "");
  }

  /** Reads a transformer saved with {@code write().save(path)} (also how a saved {@code Pipeline} finds it). */
  public static MLReader<SegmentImages> read() {
    return new DefaultParamsReader<>();
  }

  public static SegmentImages load(String path) {
    return read().load(path);
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> model() {
    return model;
  }

  public Param<String> backend() {
    return backend;
  }

  public Param<String> device() {
    return device;
  }

  public IntParam threads() {
    return threads;
  }

  public Param<String> resize() {
    return resize;
  }

  public LongParam maxPixels() {
    return maxPixels;
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> pathCol() {
    return pathCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public StringArrayParam outputs() {
    return outputs;
  }

  public DoubleParam alpha() {
    return alpha;
  }

  public Param<String> palette() {
    return palette;
  }

  public SegmentImages setModel(String value) {
    set(model, value);
    return this;
  }

  public SegmentImages setBackend(String value) {
    set(backend, value);
    return this;
  }

  public SegmentImages setDevice(String value) {
    set(device, value);
    return this;
  }

  public SegmentImages setThreads(int value) {
    set(threads, value);
    return this;
  }

  public SegmentImages setResize(String value) {
    set(resize, value);
    return this;
  }

  public SegmentImages setMaxPixels(long value) {
    set(maxPixels, value);
    return this;
  }

  public SegmentImages setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public SegmentImages setPathCol(String value) {
    set(pathCol, value);
    return this;
  }

  public SegmentImages setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }

  /** Extra image columns, from {@link #IMAGE_OUTPUTS}. */
  public SegmentImages setOutputs(String... value) {
    set(outputs, value);
    return this;
  }

  public SegmentImages setAlpha(double value) {
    set(alpha, value);
    return this;
  }

  public SegmentImages setPalette(String value) {
    set(palette, value);
    return this;
  }

  public String getModel() {
    return getOrDefault(model);
  }

  public String getBackend() {
    return getOrDefault(backend);
  }

  public String getInputCol() {
    return getOrDefault(inputCol);
  }

  public String getOutputCol() {
    return getOrDefault(outputCol);
  }

  public List<String> getOutputs() {
    return List.of(getOrDefault(outputs));
  }

  /** The segmenter settings these params describe (threads not yet resolved for a task). */
  public SegmenterSettings settings() {
    return new SegmenterSettings(
        getOrDefault(model),
        getOrDefault(backend),
        getOrDefault(device),
        (Integer) getOrDefault(threads),
        getOrDefault(resize),
        (Long) getOrDefault(maxPixels));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType in = dataset.schema();
    StructType out = transformSchema(in);
    String path = getOrDefault(pathCol);
    int pathIndex = Arrays.asList(in.fieldNames()).contains(path) ? in.fieldIndex(path) : -1;
    String paletteName = getOrDefault(palette);
    SegmentRows rows = new SegmentRows(
        settings(),
        in.fieldIndex(getInputCol()),
        pathIndex,
        getOutputs(),
        (float) (double) (Double) getOrDefault(alpha),
        paletteName.isEmpty() ? null : paletteName);
    return dataset.toDF().mapPartitions(rows, Encoders.row(out));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    String input = getInputCol();
    if (!Arrays.asList(schema.fieldNames()).contains(input)) {
      throw new IllegalArgumentException("inputCol '" + input + "' is not a column; columns: "
          + Arrays.toString(schema.fieldNames()));
    }
    DataType type = schema.apply(input).dataType();
    if (!type.equals(DataTypes.BinaryType)) {
      throw new IllegalArgumentException("inputCol '" + input + "' is " + type.simpleString()
          + "; expected binary (encoded image bytes, e.g. binaryFile's content)");
    }
    for (String o : getOutputs()) {
      if (!IMAGE_OUTPUTS.contains(o)) {
        throw new IllegalArgumentException("outputs: '" + o + "' is not one of " + IMAGE_OUTPUTS);
      }
    }
    List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
    fields.add(DataTypes.createStructField("width", DataTypes.IntegerType, true));
    fields.add(DataTypes.createStructField("height", DataTypes.IntegerType, true));
    fields.add(DataTypes.createStructField(getOutputCol(), DataTypes.BinaryType, true));
    fields.add(DataTypes.createStructField(
        "pixels", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false), true));
    fields.add(DataTypes.createStructField("timings", TIMINGS, true));
    fields.add(DataTypes.createStructField("error", DataTypes.StringType, true));
    for (String o : getOutputs()) {
      fields.add(DataTypes.createStructField(o, DataTypes.BinaryType, true));
    }
    Set<String> seen = new java.util.HashSet<>();
    for (StructField f : fields) {
      if (!seen.add(f.name())) {
        throw new IllegalArgumentException("column '" + f.name()
            + "' exists already; rename it, or choose " + "another outputCol");
      }
    }
    return DataTypes.createStructType(fields);
  }

  /** Milliseconds per stage, as {@code segment --json}'s {@code timings_ms}. */
  static final StructType TIMINGS = DataTypes.createStructType(List.of(
      DataTypes.createStructField("decode_ms", DataTypes.DoubleType, false),
      DataTypes.createStructField("preprocess_ms", DataTypes.DoubleType, false),
      DataTypes.createStructField("forward_ms", DataTypes.DoubleType, false),
      DataTypes.createStructField("postprocess_ms", DataTypes.DoubleType, false),
      DataTypes.createStructField("total_ms", DataTypes.DoubleType, false)));

  @Override
  public SegmentImages copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
