package dev.segmenter.cli.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.segmenter.cli.CliRunner;
import dev.segmenter.cli.ExitCode;
import dev.segmenter.engine.ImageException;
import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.image.ImageDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the generated {@link ImageCorpus}, through the API (Segmenter.segment(Path)) and the command
 * line: broken files give an ImageException naming the file, and one "segmenter: ..." line with exit 1;
 * valid files of every pixel type decode to the right size and pixels.
 */
class ImageCorpusTest {
  static final long SEED = Cli.seed("image");
  static final Path DIR = Cli.workDir("images");
  static final List<ImageCorpus.Case> CASES =
      ImageCorpus.write(DIR.resolve("in"), SEED, Cli.testnet("tiny-nchw").resolve("net.onnx"));
  static final Path MODEL = Cli.testnet("tiny-nchw");
  static Segmenter segmenter;

  static Stream<ImageCorpus.Case> cases() {
    return CASES.stream();
  }

  @BeforeAll
  static void open() {
    segmenter =
        Segmenter.builder().model(MODEL).backend("opencv").postprocessThreads(1).build();
  }

  @AfterAll
  static void close() {
    if (segmenter != null) {
      segmenter.close();
    }
  }

  @Test
  @Timeout(30)
  void corpusIsLargeAndCoversEveryKind() {
    assertTrue(CASES.size() >= 200, "image corpus has " + CASES.size() + " cases");
    for (ImageCorpus.Expect e : ImageCorpus.Expect.values()) {
      assertTrue(CASES.stream().anyMatch(c -> c.expect() == e), "no case expects " + e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void api(ImageCorpus.Case c) {
    String where = c.name() + " (" + c.file() + ", seed " + SEED + ")";
    Segmentation r;
    long t0 = System.nanoTime();
    try {
      r = segmenter.segment(c.file());
    } catch (ImageException e) {
      double ms = (System.nanoTime() - t0) / 1e6;
      assertTrue(
          e.getMessage().contains(c.file().toString()),
          where + ": message does not name the file: " + e.getMessage());
      assertFalse(
          e.getMessage().contains("\n"), where + ": message spans lines: " + e.getMessage());
      switch (c.expect()) {
        case ACCEPTED -> fail(where + ": a valid image was refused: " + e.getMessage());
        case REFUSED_BY_LIMIT -> {
          assertTrue(
              e.getMessage().contains("above the limit"),
              where + ": not refused by the pixel limit: " + e.getMessage());
          assertTrue(ms < 5000, where + ": refusing a huge header took " + ms + " ms (decoded?)");
        }
        default -> {}
      }
      return;
    }
    switch (c.expect()) {
      case REFUSED, REFUSED_BY_LIMIT ->
        fail(where + ": was accepted as a " + r.width() + "x" + r.height()
            + " image; expected an ImageException");
      case ACCEPTED_OR_REFUSED -> {
        assertEquals(c.width(), r.width(), where);
        assertEquals(c.height(), r.height(), where);
      }
      case ACCEPTED -> {
        assertEquals(c.width(), r.width(), where);
        assertEquals(c.height(), r.height(), where);
        assertEquals(c.width(), r.classMap().width(), where);
        if (c.expected() != null) {
          assertPixels(c, r.image(), where);
        }
      }
    }
  }

  private static void assertPixels(ImageCorpus.Case c, BgrImage img, String where) {
    byte[] d = img.data();
    for (int i = 0; i < c.expected().length; i++) {
      int rgb = c.expected()[i];
      int[] want = {rgb & 0xff, (rgb >> 8) & 0xff, (rgb >> 16) & 0xff};
      for (int ch = 0; ch < 3; ch++) {
        int got = d[i * 3 + ch] & 0xff;
        if (Math.abs(got - want[ch]) > 1) {
          fail(where + ": pixel (" + (i % c.width()) + ", " + (i / c.width()) + ") channel "
              + "BGR".charAt(ch) + " is " + got + ", expected " + want[ch]);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void cli(ImageCorpus.Case c) throws Exception {
    String where = c.name() + " (" + c.file() + ", seed " + SEED + ")";
    Path out = DIR.resolve("out").resolve(c.name());
    CliRunner.Result r = Cli.run(
        "segment",
        c.file().toString(),
        "-m",
        MODEL.toString(),
        "-b",
        "opencv",
        "-t",
        "1",
        "-q",
        "-o",
        out.toString(),
        "--outputs",
        "classes");
    String base = c.file().getFileName().toString().replaceFirst("\\.[^.]+$", "");
    Path classes = out.resolve(base + ".classes.png");
    if (r.code() == ExitCode.OK) {
      assertTrue(
          c.expect() == ImageCorpus.Expect.ACCEPTED
              || c.expect() == ImageCorpus.Expect.ACCEPTED_OR_REFUSED,
          where + ": exit 0 for a file that must be refused");
      assertTrue(Files.isRegularFile(classes), where + ": exit 0 but no " + classes);
      assertTrue(r.errLines().isEmpty(), where + ": -q but stderr: " + r.err());
      return;
    }
    assertEquals(ExitCode.INPUT_FAILED, r.code(), where + ": " + r.err());
    assertTrue(
        c.expect() != ImageCorpus.Expect.ACCEPTED, where + ": a valid image failed: " + r.err());
    List<String> lines = r.errLines();
    assertEquals(1, lines.size(), where + ": expected one error line, got: " + r.err());
    assertTrue(
        lines.get(0).startsWith("segmenter: ") && lines.get(0).contains(c.file().toString()),
        where + ": " + lines.get(0));
    assertFalse(
        lines.get(0).contains("internal error") || lines.get(0).contains("\tat "),
        where + ": " + lines.get(0));
    assertEquals(
        lines.get(0).indexOf(c.file().toString()),
        lines.get(0).lastIndexOf(c.file().toString()),
        where + ": names the file twice: " + lines.get(0));
    if (c.expect() == ImageCorpus.Expect.REFUSED_BY_LIMIT) {
      assertTrue(lines.get(0).contains("above the limit"), where + ": " + lines.get(0));
    }
    assertFalse(Files.exists(classes), where + ": an output was written for a refused file");
  }

  /** The pixel limit is the caller's: a small limit refuses a valid image by its header alone. */
  @Test
  @Timeout(30)
  void lowerPixelLimitRefusesBeforeDecoding() {
    Path valid = CASES.stream()
        .filter(c -> c.name().equals("valid-png"))
        .findFirst()
        .orElseThrow()
        .file();
    ImageException e = org.junit.jupiter.api.Assertions.assertThrows(
        ImageException.class, () -> new ImageDecoder(100).read(valid));
    assertTrue(
        e.getMessage().contains("48x32 (1536 pixels) is above the limit of 100 pixels"),
        e.getMessage());
    CliRunner.Result r = Cli.run(
        "segment",
        valid.toString(),
        "-m",
        MODEL.toString(),
        "-b",
        "opencv",
        "-q",
        "--max-pixels",
        "100",
        "-o",
        DIR.resolve("out-limit").toString());
    assertEquals(ExitCode.INPUT_FAILED, r.code(), r.err());
    assertTrue(r.err().contains("above the limit of 100 pixels"), r.err());
  }
}
