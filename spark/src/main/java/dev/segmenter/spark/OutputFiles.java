package dev.segmenter.spark;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Writes the PNG columns of {@link SegmentImages}' rows as the files {@code segmenter segment --out DIR} writes
 * ({@code NAME.classes.png}, {@code NAME.color.png}, {@code NAME.overlay.png}, the same bytes), each atomically
 * (temporary file, then rename: a retried task rewrites the same content), and passes the rows on. The folder must
 * be one every executor can write (local mode, or a shared mount).
 */
final class OutputFiles implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private final String outDir;
  private final Map<String, String> names;
  private final List<String> outputs;
  private final int pathIndex;
  private final int[] columns;

  OutputFiles(
      String outDir,
      Map<String, String> names,
      List<String> outputs,
      StructType schema,
      String classesCol) {
    this.outDir = outDir;
    this.names = new HashMap<>(names);
    this.outputs = List.copyOf(outputs);
    this.pathIndex = schema.fieldIndex("path");
    this.columns = new int[outputs.size()];
    for (int k = 0; k < outputs.size(); k++) {
      String column = outputs.get(k);
      columns[k] = schema.fieldIndex(column.equals("classes") ? classesCol : column);
    }
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    Path out = outDir.startsWith("file:") ? Path.of(URI.create(outDir)) : Path.of(outDir);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row r = rows.next();
        String base = names.get(r.getString(pathIndex));
        if (base != null) {
          // the row's files all or none, forced to disk, through the engine's writer (as segment
          // writes them)
          try (dev.segmenter.engine.render.OutputFiles files =
              new dev.segmenter.engine.render.OutputFiles(true)) {
            for (int k = 0; k < outputs.size(); k++) {
              if (!r.isNullAt(columns[k])) {
                byte[] bytes = (byte[]) r.get(columns[k]);
                files.add(out.resolve(base + "." + outputs.get(k) + ".png"), o -> o.write(bytes));
              }
            }
            files.commit();
          }
        }
        return r;
      }
    };
  }

  /**
   * The output name (relative path without extension) of each input path, as {@code segment} names them: the path
   * below {@code root} without its extension; inputs that would share a name (ignoring case) keep their extension,
   * then get {@code -2}, {@code -3} in path order.
   */
  static Map<String, String> names(List<String> paths, String root) {
    URI base = SparkMain.uriOf(root);
    List<String> sorted = new ArrayList<>(paths);
    sorted.sort(null);
    Map<String, String> plain = new HashMap<>();
    Map<String, Integer> uses = new HashMap<>();
    for (String p : sorted) {
      String rel = relative(base, p);
      int slash = rel.lastIndexOf('/');
      int dot = rel.lastIndexOf('.');
      String stem = dot > slash + 1 ? rel.substring(0, dot) : rel;
      plain.put(p, stem);
      uses.merge(stem.toLowerCase(Locale.ROOT), 1, Integer::sum);
    }
    Map<String, String> names = new HashMap<>();
    Set<String> taken = new HashSet<>();
    for (String p : sorted) {
      if (uses.get(plain.get(p).toLowerCase(Locale.ROOT)) == 1) {
        taken.add(plain.get(p).toLowerCase(Locale.ROOT));
      }
    }
    for (String p : sorted) {
      String stem = plain.get(p);
      if (uses.get(stem.toLowerCase(Locale.ROOT)) == 1) {
        names.put(p, stem);
        continue;
      }
      String named = relative(base, p);
      String name = named;
      for (int n = 2; !taken.add(name.toLowerCase(Locale.ROOT)); n++) {
        name = named + "-" + n;
      }
      names.put(p, name);
    }
    return names;
  }

  private static String relative(URI root, String path) {
    URI p = URI.create(path.replace(" ", "%20"));
    String rootPath = root.getPath().endsWith("/") ? root.getPath() : root.getPath() + "/";
    String full = p.getPath();
    return full.startsWith(rootPath)
        ? full.substring(rootPath.length())
        : full.substring(full.lastIndexOf('/') + 1);
  }
}
