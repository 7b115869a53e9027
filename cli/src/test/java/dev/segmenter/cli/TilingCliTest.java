package dev.segmenter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.render.PngOutputs;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** --tile, --overlap, --tta and --backend fastest from the command line, on every backend and output kind. */
class TilingCliTest {
  @TempDir
  Path tmp;

  private Path scene(String name, long seed, int w, int h) throws Exception {
    Path f = tmp.resolve(name + ".png");
    ImageIO.write(TestModels.scene(seed, w, h).toBufferedImage(), "png", f.toFile());
    return f;
  }

  private ClassMap segment(Path img, String out, String... extra) {
    Path dir = tmp.resolve(out);
    String[] args = new String[6 + extra.length];
    System.arraycopy(
        new String[] {"segment", img.toString(), "--out", dir.toString(), "--outputs", "classes"},
        0,
        args,
        0,
        6);
    System.arraycopy(extra, 0, args, 6, extra.length);
    CliRunner.Result r = CliRunner.run(args);
    assertEquals(0, r.code(), String.join(" ", args) + " -> " + r.err());
    String name = img.getFileName().toString().replace(".png", "");
    return PngOutputs.readClassIds(dir.resolve(name + ".classes.png"));
  }

  /** Every backend with each test net it reads: NCHW/NHWC scores, class ids, sigmoid. */
  static java.util.stream.Stream<String[]> everyBackendAndOutputKind() {
    return java.util.stream.Stream.of(
        new String[] {"onnxruntime", "tiny-nchw"},
        new String[] {"onnxruntime", "tiny-nhwc"},
        new String[] {"onnxruntime", "tiny-ids"},
        new String[] {"onnxruntime", "tiny-sigmoid"},
        new String[] {"opencv", "tiny-nchw"},
        new String[] {"opencv", "tiny-ids"},
        new String[] {"opencv", "tiny-sigmoid"},
        new String[] {"pytorch", "tiny-nchw"},
        new String[] {"pytorch", "tiny-ids"},
        new String[] {"pytorch", "tiny-sigmoid"});
  }

  @ParameterizedTest
  @MethodSource("everyBackendAndOutputKind")
  void oneTileIsThePlainRunAndManyTilesCoverTheImage(String backend, String net) throws Exception {
    String model = TestModels.TESTNETS.resolve(net).toString();
    // an image of the network's input size: one tile, the plain run with bilinear resizing
    Path small = scene("small", 3, 64, 48);
    ClassMap plain = segment(
        small, "plain-" + backend + net, "-m", model, "-b", backend, "--resize", "bilinear");
    ClassMap tiled =
        segment(small, "tiled-" + backend + net, "-m", model, "-b", backend, "--tile", "64x48");
    assertTrue(
        plain.agreement(tiled) > 0.98, net + " on " + backend + ": " + plain.agreement(tiled));
    Path big = scene("big", 4, 150, 110);
    ClassMap many = segment(
        big,
        "many-" + backend + net,
        "-m",
        model,
        "-b",
        backend,
        "--tile",
        "64x48",
        "--overlap",
        "16",
        "--tta",
        "flip");
    assertEquals(150, many.width());
    assertEquals(110, many.height());
    long[] h = many.histogram(net.equals("tiny-sigmoid") ? 2 : 5);
    assertTrue(
        h[0] > 0 && h[1] > 0, net + " on " + backend + ": classes " + java.util.Arrays.toString(h));
  }

  @ParameterizedTest
  @MethodSource("everyBackendAndOutputKind")
  void aFolderTilesThroughTheBatchLikeOneImageAtATime(String backend, String net) throws Exception {
    // a folder is a batch job on 2 slots (2 x 1 runtime thread), tiles sharing them; one file is 1
    // x all threads
    String model = TestModels.TESTNETS.resolve(net).toString();
    Path dir = java.nio.file.Files.createDirectories(tmp.resolve("folder"));
    String[] tiling = {
      "-m", model, "-b", backend, "--tile", "64x48", "--overlap", "16", "--tta", "flip"
    };
    ClassMap[] alone = new ClassMap[3];
    for (int i = 0; i < 3; i++) {
      Path img = scene("img" + i, 10 + i, 150 + 20 * i, 110);
      java.nio.file.Files.copy(img, dir.resolve(img.getFileName()));
      alone[i] = segment(img, "alone-" + backend + net + i, tiling);
    }
    Path out = tmp.resolve("batch-" + backend + net);
    String[] args = new String[] {
      "segment",
      dir.toString(),
      "--out",
      out.toString(),
      "--outputs",
      "classes",
      "--concurrency",
      "2",
      "-m",
      model,
      "-b",
      backend,
      "--tile",
      "64x48",
      "--overlap",
      "16",
      "--tta",
      "flip"
    };
    CliRunner.Result r = CliRunner.run(args);
    assertEquals(0, r.code(), String.join(" ", args) + " -> " + r.err());
    for (int i = 0; i < 3; i++) {
      ClassMap m = PngOutputs.readClassIds(out.resolve("img" + i + ".classes.png"));
      assertEquals(150 + 20 * i, m.width());
      // runtimes may round differently with 1 and 2 threads: a near tie may flip, nothing more
      assertTrue(
          alone[i].agreement(m) > 0.999,
          net + " on " + backend + ", image " + i + ": " + alone[i].agreement(m));
    }
  }

  @Test
  void badTilingOptionsAreUsageErrors() throws Exception {
    Path img = scene("s", 1, 64, 48);
    String model = TestModels.TESTNETS.resolve("tiny-nchw").toString();
    CliRunner.Result r = CliRunner.run(
        "segment",
        img.toString(),
        "-m",
        model,
        "--tile",
        "64",
        "-o",
        tmp.resolve("o").toString());
    assertEquals(ExitCode.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("--tile 64: expected WxH"), r.err());
    r = CliRunner.run(
        "segment",
        img.toString(),
        "-m",
        model,
        "--tile",
        "32x32",
        "--overlap",
        "2.5",
        "-o",
        tmp.resolve("o").toString());
    assertEquals(ExitCode.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("overlap 2.5"), r.err());
    r = CliRunner.run(
        "segment",
        img.toString(),
        "-m",
        model,
        "--tta",
        "rotate",
        "-o",
        tmp.resolve("o").toString());
    assertEquals(ExitCode.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("'rotate'") && r.err().contains("flip"), r.err());
  }

  @Test
  void fastestMeasuresOnceThenAnswersFromTheCache() throws Exception {
    Path img = scene("s", 2, 64, 48);
    String model = TestModels.TESTNETS.resolve("tiny-nchw").toString();
    String old = System.getProperty("segmenter.cache");
    System.setProperty("segmenter.cache", tmp.resolve("cache").toString());
    try {
      for (String expect : new String[] {"(measured", "(cached in"}) {
        CliRunner.Result r = CliRunner.run(
            "segment",
            img.toString(),
            "-m",
            model,
            "-b",
            "fastest",
            "-v",
            "-o",
            tmp.resolve("o").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("backend fastest chose") && r.err().contains(expect), r.err());
        assertTrue(r.err().contains("onnxruntime") && r.err().contains("ms/frame"), r.err());
      }
      // one image on one runtime thread: ranked by its latency, not by a batch's throughput
      CliRunner.Result one = CliRunner.run(
          "segment",
          img.toString(),
          "-m",
          model,
          "-b",
          "fastest",
          "--threads",
          "1",
          "-v",
          "-o",
          tmp.resolve("o1").toString());
      assertEquals(0, one.code(), one.err());
      assertTrue(one.err().contains("for latency, 1 x 1 thread (one image)"), one.err());
    } finally {
      if (old == null) {
        System.clearProperty("segmenter.cache");
      } else {
        System.setProperty("segmenter.cache", old);
      }
    }
  }
}
