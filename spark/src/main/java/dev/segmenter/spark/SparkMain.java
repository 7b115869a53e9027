package dev.segmenter.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;

import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.ConfigException;
import dev.segmenter.engine.ErrorMessages;
import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.image.ImageDecoder;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.model.ModelRegistry;
import dev.segmenter.palettes.PaletteException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code segmenter spark}: runs {@link SegmentImages} over a folder or glob, on a local Spark (or the cluster
 * {@code spark-submit} gives it), writes the results as a Parquet table and, with {@code --outputs}, the same image
 * files {@code segmenter segment} writes. Exit codes as the CLI's: 0 all done, 1 some images failed, 2 usage,
 * 3 model or configuration, 4 backend unavailable, 70 internal.
 */
@Command(
    name = "segmenter spark",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Segment a folder or glob of images with Apache Spark (local mode, or the cluster spark-submit "
          + "runs it on).",
      "Writes OUT/results.parquet (path, width, height, classes PNG, pixels per class, timings, error) and, with "
          + "--outputs, OUT/NAME.classes.png, OUT/NAME.color.png, OUT/NAME.overlay.png as `segmenter segment "
          + "--out OUT` does (byte-identical). A corrupt image is an error row, never a failed job."
    },
    footer = {
      "",
      "Examples:",
      "  segmenter spark --input photos/ --output out --master 'local[2]'",
      "  segmenter spark --input 'scenes/*.png' --output out --outputs classes,color,overlay",
      "  segmenter spark --input eval/ --output out --labels eval   (also mean IoU, as segmenter eval)"
    })
public final class SparkMain implements Callable<Integer> {
  /** Image files {@code segment} writes that this command can write too. */
  static final List<String> FILE_OUTPUTS = List.of("classes", "color", "overlay");

  @Option(
      names = {"-i", "--input"},
      required = true,
      paramLabel = "DIR|GLOB",
      description =
          "A folder (searched recursively for images) or a glob; any path Spark reads (file:, hdfs:, s3a:).")
  String input;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "DIR",
      description = "Output folder: results.parquet and the --outputs files.")
  String output;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master (default: spark-submit's, else local[*]), e.g. local[2].")
  String master;

  @Option(
      names = "--model",
      paramLabel = "NAME|DIR",
      defaultValue = "enet-streets",
      description = "A shipped or catalog model, or a model directory (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--backend",
      paramLabel = "NAME",
      defaultValue = "auto",
      description = "onnxruntime, opencv, pytorch or auto (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(
      names = "--device",
      paramLabel = "cpu|gpu",
      defaultValue = "cpu",
      description = "(default: ${DEFAULT-VALUE})")
  String device;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "0",
      description = "Runtime threads per task (default: spark.task.cpus).")
  int threads;

  @Option(
      names = "--resize",
      paramLabel = "MODE",
      defaultValue = "nearest",
      description = "nearest or bilinear.")
  String resize;

  @Option(
      names = "--outputs",
      paramLabel = "LIST",
      split = ",",
      description =
          "Image files to write next to the table: classes, color, overlay (default: none).")
  List<String> outputs = new ArrayList<>();

  @Option(
      names = "--alpha",
      paramLabel = "A",
      defaultValue = "0.5",
      description = "Overlay opacity (default: 0.5).")
  double alpha;

  @Option(
      names = "--palette",
      paramLabel = "NAME|FILE",
      description = "Palette for color and overlay.")
  String palette;

  @Option(
      names = "--labels",
      paramLabel = "DIR",
      description =
          "Also score against label images here (NAME.labels.png, else NAME.png), as segmenter eval.")
  String labels;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print errors only.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "Stack traces and Spark's own log.")
  boolean verbose;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command and returns its exit code (no System.exit). */
  public static int run(String... args) {
    boolean verbose = List.of(args).contains("-v") || List.of(args).contains("--verbose");
    if (!verbose && System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty(
          "log4j2.configurationFile", "classpath:dev/segmenter/spark/log4j2-quiet.properties");
    }
    CommandLine cl = new CommandLine(new SparkMain());
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      int code = exitCode(ex);
      line.getErr()
          .println("segmenter: "
              + (code == 70
                  ? "internal error: " + ex + " (run with --verbose)"
                  : ErrorMessages.oneLine(cause(ex))));
      if (verbose) {
        ex.printStackTrace(line.getErr());
      }
      return code;
    });
    cl.setParameterExceptionHandler((ex, argv) -> {
      ex.getCommandLine()
          .getErr()
          .println("segmenter spark: " + ex.getMessage() + " (see: segmenter spark --help)");
      return 2;
    });
    return cl.execute(args);
  }

  @Override
  public Integer call() {
    PrintStream err = System.err;
    for (String o : outputs) {
      if (!FILE_OUTPUTS.contains(o)) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--outputs: '" + o + "' is not one of " + FILE_OUTPUTS);
      }
    }
    if (!outputs.isEmpty()
        && output.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")
        && !output.startsWith("file:")) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--outputs writes files into a folder every " + "executor can write; --output " + output
              + " is not a local or mounted path (the table alone can go there)");
    }
    ModelCard card = ModelRegistry.resolve(model); // a wrong model stops here, before Spark starts
    // a session that was running before (an embedding driver's, a test's) is used and left running
    boolean own = SparkSession.getActiveSession().isEmpty()
        && SparkSession.getDefaultSession().isEmpty();
    SparkSession.Builder b =
        SparkSession.builder().appName("segmenter").config("spark.ui.enabled", "false");
    if (master != null) {
      b.master(master);
    } else if (System.getProperty("spark.master") == null) {
      b.master("local[*]");
    }
    SparkSession spark = b.getOrCreate();
    try {
      return run(spark, card, err);
    } finally {
      if (own) {
        spark.stop();
      }
    }
  }

  private int run(SparkSession spark, ModelCard card, PrintStream err) {
    long t0 = System.nanoTime();
    Dataset<Row> images = readImages(spark, input);
    List<String> fileOutputs = outputs.stream().distinct().toList();
    List<String> imageColumns =
        fileOutputs.stream().filter(SegmentImages.IMAGE_OUTPUTS::contains).toList();
    SegmentImages segment = new SegmentImages()
        .setModel(model)
        .setBackend(backend)
        .setDevice(device)
        .setThreads(threads)
        .setResize(resize)
        .setOutputs(imageColumns.toArray(String[]::new))
        .setAlpha(alpha);
    if (palette != null) {
      segment.setPalette(palette);
    }
    Dataset<Row> results = segment.transform(images);
    if (!fileOutputs.isEmpty()) {
      Map<String, String> names = OutputFiles.names(
          images.select("path").as(org.apache.spark.sql.Encoders.STRING()).collectAsList(),
          root(input));
      results = results.mapPartitions(
          new OutputFiles(output, names, fileOutputs, results.schema(), segment.getOutputCol()),
          org.apache.spark.sql.Encoders.row(results.schema()));
    }
    Dataset<Row> table = results.drop(imageColumns.toArray(String[]::new)).drop("content");
    if (labels != null) {
      table = table.persist(StorageLevel.MEMORY_AND_DISK());
    }
    String tablePath = output.replaceAll("/+$", "") + "/results.parquet";
    table.write().mode(SaveMode.Overwrite).parquet(tablePath);
    Dataset<Row> written = spark.read().parquet(tablePath);
    long total = written.count();
    List<Row> failed = written.filter(col("error").isNotNull()).select("error").collectAsList();
    double secs = (System.nanoTime() - t0) / 1e9;
    if (!quiet) {
      err.printf(
          Locale.ROOT,
          "segmenter: spark %s, model %s, %d image(s): %d done, %d failed, %.2f s, %.2f images/s"
              + " -> %s%n",
          spark.sparkContext().master(),
          card.name(),
          total,
          total - failed.size(),
          failed.size(),
          secs,
          total / secs,
          tablePath);
    }
    List<String> failures = new ArrayList<>();
    for (Row r : failed) {
      failures.add(r.getString(0));
    }
    if (labels != null) {
      Dataset<Row> labelFiles =
          spark.read().format("binaryFile").option("pathGlobFilter", "*.png").load(labels);
      int ignore = card.ignoreIndex() != null ? card.ignoreIndex() : 255;
      SparkEval.Result r =
          SparkEval.evaluate(table, labelFiles, segment.getOutputCol(), card.classCount(), ignore);
      System.out.printf(
          Locale.ROOT,
          "model %s, %d images%nmean IoU %.4f   pixel accuracy %.4f%n",
          card.name(),
          r.images(),
          r.meanIou(),
          r.pixelAccuracy());
      for (String f : r.failures()) {
        if (!failures.contains(f)) {
          failures.add(f);
        }
      }
    }
    for (String f : failures) {
      err.println("segmenter: failed: " + f);
    }
    return failures.isEmpty() ? 0 : 1;
  }

  /** Images under a folder (recursively, by extension, without *.labels.png) or matching a glob. */
  static Dataset<Row> readImages(SparkSession spark, String input) {
    boolean glob =
        input.contains("*") || input.contains("?") || input.contains("[") || input.contains("{");
    Dataset<Row> files = glob
        ? spark.read().format("binaryFile").load(input)
        : spark
            .read()
            .format("binaryFile")
            .option("recursiveFileLookup", "true")
            .load(input);
    String extensions = String.join("|", ImageDecoder.IMAGE_EXTENSIONS);
    if (!glob) {
      files = files.filter(lower(col("path")).rlike("\\.(" + extensions + ")$"));
    }
    return files.filter(lower(col("path")).endsWith(".labels.png").unary_$bang());
  }

  /** The folder relative names start from: the folder itself, or a glob's part before its first pattern. */
  static String root(String input) {
    int cut = input.length();
    for (char c : new char[] {'*', '?', '[', '{'}) {
      int k = input.indexOf(c);
      if (k >= 0) {
        cut = Math.min(cut, k);
      }
    }
    if (cut == input.length()) {
      return input;
    }
    int slash = input.lastIndexOf('/', cut);
    return slash < 0 ? "." : input.substring(0, slash + 1);
  }

  static URI uriOf(String path) {
    if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      return URI.create(path);
    }
    Path p = Path.of(path).toAbsolutePath().normalize();
    return Files.isDirectory(p) ? URI.create(p.toUri().toString()) : p.toUri();
  }

  private static Throwable cause(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof dev.segmenter.engine.SegmenterException || t instanceof PaletteException) {
        return t;
      }
    }
    return ex;
  }

  static int exitCode(Throwable ex) {
    Throwable t = cause(ex);
    if (t instanceof CommandLine.ParameterException) {
      return 2;
    }
    if (t instanceof BackendException be) {
      return be.reason() == BackendException.Reason.UNKNOWN ? 2 : 4;
    }
    if (t instanceof ModelException
        || t instanceof ConfigException
        || t instanceof PaletteException) {
      return 3;
    }
    return 70;
  }
}
