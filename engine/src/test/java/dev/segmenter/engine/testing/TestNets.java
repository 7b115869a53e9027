package dev.segmenter.engine.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The backends' test networks and their expected values, read from {@code /testnets/} on the test class path
 * (each backend module keeps its own files, made by backends/onnxruntime/src/test/resources/testnets/make_testnets.py).
 * Shared through the engine's test jar.
 */
public final class TestNets {

  private TestNets() {}

  public static Path file(String name) {
    try {
      return Path.of(TestNets.class.getResource("/testnets/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The '# shape ...' header of a value file. */
  public static int[] shape(String name) throws IOException {
    String[] parts = Files.readAllLines(file(name))
        .get(0)
        .substring("# shape ".length())
        .trim()
        .split(" ");
    int[] shape = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      shape[i] = Integer.parseInt(parts[i]);
    }
    return shape;
  }

  public static float[] floats(String name) throws IOException {
    List<String> lines = Files.readAllLines(file(name));
    float[] v = new float[lines.size() - 1];
    for (int i = 1; i < lines.size(); i++) {
      v[i - 1] = Float.parseFloat(lines.get(i));
    }
    return v;
  }

  public static long[] longs(String name) throws IOException {
    List<String> lines = Files.readAllLines(file(name));
    long[] v = new long[lines.size() - 1];
    for (int i = 1; i < lines.size(); i++) {
      v[i - 1] = Long.parseLong(lines.get(i));
    }
    return v;
  }

  public static float maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    float m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
