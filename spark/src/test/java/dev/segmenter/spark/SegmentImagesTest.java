package dev.segmenter.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.render.PngOutputs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer on local[2] against the engine itself: the same class map for every image, error rows for corrupt
 * files, the same rows after a task that failed once, and {@code segmenter eval}'s scores.
 */
class SegmentImagesTest {
  private static SparkSession spark;
  private static Path scenes;
  /** The rows of one plain run, by path: the reference for the other tests. */
  private static Map<String, Row> rows;
  /** Attempts the fault-injecting function made; static: local mode runs tasks in this JVM. */
  static final AtomicInteger FAILED_ATTEMPTS = new AtomicInteger();

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    scenes = TestScenes.dir();
    spark = TestScenes.spark();
    rows = byPath(segment().collectAsList());
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    ExecutorSegmenters.closeAll();
  }

  private static Dataset<Row> segment() {
    Dataset<Row> images = SparkMain.readImages(spark, scenes.toString());
    return new SegmentImages()
        .setModel("enet-streets")
        .setBackend("onnxruntime")
        .setInputCol("content")
        .transform(images);
  }

  private static Map<String, Row> byPath(List<Row> list) {
    Map<String, Row> m = new TreeMap<>();
    for (Row r : list) {
      m.put(r.getAs("path"), r);
    }
    return m;
  }

  @Test
  void everyClassMapEqualsSegmenterOnTheSameFileAndCorruptFilesAreErrorRows() throws Exception {
    assertEquals(
        TestScenes.SCENES + TestScenes.CORRUPT.size(),
        rows.size(),
        rows.keySet().toString());
    int scenesSeen = 0;
    try (Segmenter segmenter =
        Segmenter.builder().model("enet-streets").backend("onnxruntime").build()) {
      for (Row r : rows.values()) {
        String path = r.getAs("path");
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (TestScenes.CORRUPT.contains(name)) {
          String error = r.getAs("error");
          assertNotNull(error, name + " is an error row");
          assertTrue(
              error.startsWith(path + ": ") && !error.contains("\n"),
              "one line naming the file: " + error);
          assertNull(r.getAs("classes"), name);
          assertNull(r.getAs("width"), name);
          continue;
        }
        scenesSeen++;
        assertNull(r.getAs("error"), name);
        Segmentation expected = segmenter.segment(scenes.resolve(name));
        assertEquals(TestScenes.WIDTH, (int) r.getAs("width"), name);
        assertEquals(TestScenes.HEIGHT, (int) r.getAs("height"), name);
        byte[] png = r.getAs("classes");
        ClassMap map = PngOutputs.readClassIds(png, path);
        ClassMap want = expected.classMap();
        for (int i = 0; i < want.pixels(); i++) {
          if (want.get(i) != map.get(i)) {
            throw new AssertionError(name + ": pixel " + i + " is class " + map.get(i)
                + ", segment says " + want.get(i));
          }
        }
        Path file = PngOutputs.writeClassIds(want, tmp.resolve(name + ".classes.png"));
        assertArrayEquals(
            Files.readAllBytes(file), png, name + ": the column holds segment's classes.png bytes");
        Map<String, Object> pixels = r.getJavaMap(r.fieldIndex("pixels"));
        long[] counts = expected.pixelsPerClass();
        long sum = 0;
        for (int id = 0; id < counts.length; id++) {
          if (counts[id] > 0) {
            assertEquals(
                counts[id],
                ((Number) pixels.get(expected.model().className(id))).longValue(),
                name);
            sum += counts[id];
          }
        }
        assertEquals((long) TestScenes.WIDTH * TestScenes.HEIGHT, sum, name);
        Row t = r.getAs("timings");
        assertTrue(t.getDouble(2) > 0 && t.getDouble(4) >= t.getDouble(2), name + " timings " + t);
      }
    }
    assertEquals(TestScenes.SCENES, scenesSeen);
  }

  @Test
  void aTaskThatFailsOnceIsRetriedAndGivesTheSameRows() {
    FAILED_ATTEMPTS.set(0);
    Dataset<Row> segmented = segment();
    int partitions = segmented.rdd().getNumPartitions();
    assertTrue(partitions >= 2, "the files are split into partitions, got " + partitions);
    List<Row> retried = segmented
        .mapPartitions(new FailFirstAttempt(), Encoders.row(segmented.schema()))
        .collectAsList();
    assertTrue(FAILED_ATTEMPTS.get() >= 1, "a task failed and was retried");
    Map<String, Row> again = byPath(retried);
    assertEquals(rows.keySet(), again.keySet());
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      Row a = e.getValue();
      Row b = again.get(e.getKey());
      for (String column : List.of("width", "height", "pixels", "error")) {
        Object want = a.getAs(column);
        assertEquals(want, b.getAs(column), e.getKey() + " " + column);
      }
      assertArrayEquals((byte[]) a.getAs("classes"), (byte[]) b.getAs("classes"), e.getKey());
    }
  }

  /** Fails every partition's first attempt after its first row was segmented (Spark then reruns the task). */
  static final class FailFirstAttempt implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      TaskContext task = TaskContext.get();
      return new Iterator<>() {
        private int seen;

        @Override
        public boolean hasNext() {
          return input.hasNext();
        }

        @Override
        public Row next() {
          Row r = input.next();
          if (++seen == 1 && task.attemptNumber() == 0 && task.partitionId() % 2 == 0) {
            FAILED_ATTEMPTS.incrementAndGet();
            throw new IllegalStateException(
                "injected failure of partition " + task.partitionId() + ", attempt 0");
          }
          return r;
        }
      };
    }
  }

  @Test
  void sparkMeanIouEqualsSegmenterEvalOnTheSameFiles() {
    Dataset<Row> labels =
        spark.read().format("binaryFile").option("pathGlobFilter", "*.png").load(scenes.toString());
    SparkEval.Result r = SparkEval.evaluate(segment(), labels, "classes", 19, 255);
    assertEquals(TestScenes.SCENES, r.images());
    assertEquals(TestScenes.CORRUPT.size(), r.failures().size(), r.failures().toString());

    PrintStream oldOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      code = dev.segmenter.cli.Main.run(
          "eval", "--images", scenes.toString(), "--backend", "onnxruntime", "--json", "-q");
    } finally {
      System.setOut(oldOut);
    }
    String json = out.toString(StandardCharsets.UTF_8);
    assertEquals(1, code, "eval names the 3 corrupt files and exits 1: " + json);
    assertEquals(TestScenes.SCENES, (int) number(json, "images"), json);
    assertEquals(
        number(json, "miou"),
        Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6g", r.meanIou())),
        "Spark's mean IoU " + r.meanIou() + " vs eval's " + json);
    assertEquals(
        number(json, "pixel_accuracy"),
        Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6g", r.pixelAccuracy())),
        json);
    // the label pixels per class are integers: equal exactly
    Matcher m = Pattern.compile("\"id\":(\\d+),[^}]*\"pixels\":(\\d+)").matcher(json);
    int classes = 0;
    while (m.find()) {
      int id = Integer.parseInt(m.group(1));
      assertEquals(
          Long.parseLong(m.group(2)),
          r.confusion().perClass().get(id).labelPixels(),
          "class " + id);
      classes++;
    }
    assertTrue(classes >= 5, json);
    assertTrue(r.meanIou() > 0.8, "the shipped model scores on its scenes: " + r.meanIou());
  }

  @Test
  void segmenterSparkWritesTheFilesSegmentWritesByteForByteAndTheTable() throws Exception {
    Path cliOut = tmp.resolve("cli");
    Path sparkOut = tmp.resolve("spark");
    Path in = TestScenes.subset(tmp, 8);
    int cli = dev.segmenter.cli.Main.run(
        "segment", in.toString(), "--out", cliOut.toString(), "--backend", "onnxruntime", "-q");
    int code = SparkMain.run(
        "--input",
        in.toString(),
        "--output",
        sparkOut.toString(),
        "--backend",
        "onnxruntime",
        "--outputs",
        "classes,color,overlay",
        "-q");
    assertEquals(1, cli, "segment: 3 inputs failed");
    assertEquals(1, code, "segmenter spark: 3 inputs failed");
    Map<String, Path> want = pngs(cliOut);
    Map<String, Path> got = pngs(sparkOut);
    assertEquals(3 * 8, want.size(), want.keySet().toString());
    assertEquals(want.keySet(), got.keySet());
    for (Map.Entry<String, Path> e : want.entrySet()) {
      assertArrayEquals(
          Files.readAllBytes(e.getValue()), Files.readAllBytes(got.get(e.getKey())), e.getKey());
    }
    Dataset<Row> table =
        spark.read().parquet(sparkOut.resolve("results.parquet").toString());
    assertEquals(8 + TestScenes.CORRUPT.size(), table.count());
    assertEquals(TestScenes.CORRUPT.size(), table.filter("error IS NOT NULL").count());
    assertEquals(
        List.of(),
        List.of(table.columns()).stream()
            .filter(c -> c.equals("content") || c.equals("color"))
            .toList(),
        "the table holds results, not the input or picture bytes");
  }

  @Test
  void anUnknownModelIsExitCode3BeforeSparkStarts() {
    assertEquals(
        3,
        SparkMain.run(
            "--input",
            scenes.toString(),
            "--output",
            tmp.toString(),
            "--model",
            "no-such-model",
            "-q"));
    assertEquals(
        2,
        SparkMain.run(
            "--input", scenes.toString(), "--output", tmp.toString(), "--outputs", "report"));
  }

  private static Map<String, Path> pngs(Path dir) throws java.io.IOException {
    Map<String, Path> m = new TreeMap<>();
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      s.filter(p -> p.toString().endsWith(".png") && !p.toString().contains("results.parquet"))
          .forEach(p -> m.put(dir.relativize(p).toString(), p));
    }
    return m;
  }

  @Test
  void docsEmbeddingExampleCompilesAndRuns() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(root.resolve("segmenter"))) {
      root = root.getParent();
    }
    String doc = Files.readString(root.resolve("docs/SPARK.md"), StandardCharsets.UTF_8);
    int start = doc.indexOf("```java\n", doc.indexOf("## Embedding")) + "```java\n".length();
    String snippet = doc.substring(start, doc.indexOf("```", start));
    Path table = tmp.resolve("segmented.parquet");
    Path photos = TestScenes.subset(tmp, 4);
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : snippet.split("\n")) {
      if (line.startsWith("import ")) {
        imports.append(line).append('\n');
      } else {
        // the example's folders, here: the test scenes and a temporary table
        body.append("    ")
            .append(line.replace("\"photos/\"", "\"" + photos + "\"")
                .replace("\"segmented.parquet\"", "\"" + table + "\""))
            .append('\n');
      }
    }
    String source =
        imports + "\npublic class SparkDocExample {\n  public static void main(String[] args) {\n"
            + body + "  }\n}\n";
    Path src = tmp.resolve("SparkDocExample.java");
    Files.writeString(src, source);
    int rc = javax.tools.ToolProvider.getSystemJavaCompiler()
        .run(
            null,
            null,
            null,
            "-cp",
            System.getProperty("java.class.path"),
            "-d",
            tmp.toString(),
            src.toString());
    assertEquals(0, rc, "docs/SPARK.md's example compiles:\n" + source);
    try (java.net.URLClassLoader loader = new java.net.URLClassLoader(
        new java.net.URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
      // getOrCreate in the example finds this test's session
      loader.loadClass("SparkDocExample").getMethod("main", String[].class).invoke(null, (Object)
          new String[0]);
    }
    Dataset<Row> written = spark.read().parquet(table.toString());
    assertEquals(4 + TestScenes.CORRUPT.size(), written.count());
    assertEquals(
        4, written.filter("overlay IS NOT NULL AND classes IS NOT NULL").count());
  }

  @Test
  void theTransformerSavesAndLoadsAsAPipelineStage() throws Exception {
    SegmentImages t =
        new SegmentImages().setBackend("opencv").setOutputs("color").setAlpha(0.25);
    String path = tmp.resolve("stage").toString();
    t.write().save(path);
    SegmentImages back = SegmentImages.load(path);
    assertEquals(t.uid(), back.uid());
    assertEquals("opencv", back.getBackend());
    assertEquals(List.of("color"), back.getOutputs());
    assertEquals(t.settings(), back.settings());
  }

  private static double number(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":([-0-9.eE]+)").matcher(json);
    assertTrue(m.find(), field + " in " + json);
    return Double.parseDouble(m.group(1));
  }
}
