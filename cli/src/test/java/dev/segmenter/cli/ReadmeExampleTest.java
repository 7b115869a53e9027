package dev.segmenter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding example compiles and runs as written (in a fresh JVM, in a folder holding street.png). */
class ReadmeExampleTest {
  @TempDir
  Path tmp;

  @Test
  void embeddingExampleCompilesAndRuns() throws Exception {
    String readme = Files.readString(TestModels.ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    int section = readme.indexOf("## Embedding");
    assertTrue(section >= 0, "README has an '## Embedding' section");
    int start = readme.indexOf("```java\n", section) + "```java\n".length();
    int end = readme.indexOf("```", start);
    String snippet = readme.substring(start, end);
    long lines = snippet.lines().filter(l -> !l.isBlank()).count();
    assertTrue(lines <= 15, "the example has at most 15 lines, has " + lines);
    List<String> imports = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    for (String l : snippet.split("\n")) {
      if (l.startsWith("import ")) {
        imports.add(l);
      } else {
        body.append("    ").append(l).append('\n');
      }
    }
    String source = String.join("\n", imports)
        + "\n\npublic class ReadmeExample {\n  public static void main(String[] args) "
        + "throws Exception {\n" + body + "  }\n}\n";
    Path src = tmp.resolve("ReadmeExample.java");
    Files.writeString(src, source);
    String cp = System.getProperty("java.class.path");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-cp", cp, "-d", tmp.toString(), src.toString());
    assertEquals(0, rc, "README example compiles:\n" + source);
    ImageIO.write(
        TestModels.scene(7, 640, 320).toBufferedImage(),
        "png",
        tmp.resolve("street.png").toFile());
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(
            java.toString(),
            "--add-modules",
            "jdk.incubator.vector",
            "-Dai.djl.offline=true",
            "-cp",
            tmp + File.pathSeparator + cp,
            "ReadmeExample")
        .directory(tmp.toFile())
        .redirectErrorStream(true)
        .start();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "example finishes");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("road"), "the example prints the class under a road pixel: " + out);
  }
}
