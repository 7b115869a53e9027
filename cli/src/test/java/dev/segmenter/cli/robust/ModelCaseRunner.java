package dev.segmenter.cli.robust;

import dev.segmenter.cli.CliRunner;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.model.ModelCards;
import dev.segmenter.engine.render.CardPalettes;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Runs {@link ModelCorpus} cases in a JVM of its own (started by {@link ModelCorpusTest}), so that a
 * native runtime that crashes or hangs on a broken model fails that case instead of killing the test run.
 * Appends {@code START i} before and {@code RESULT i ...} after each case to a results file, flushed each time.
 *
 * <p>Arguments: corpus folder, testnets folder, seed, results file, first case index.
 */
public final class ModelCaseRunner {
  private ModelCaseRunner() {}

  /** One case's outcome: what the API threw (or OK) and what the command line did. */
  record Outcome(String apiKind, String apiMessage, int exit, String stderr) {}

  public static void main(String[] args) throws IOException {
    Path corpus = Path.of(args[0]);
    Path testnets = Path.of(args[1]);
    long seed = Long.parseLong(args[2]);
    Path results = Path.of(args[3]);
    int first = Integer.parseInt(args[4]);
    List<ModelCorpus.Case> cases = ModelCorpus.write(corpus, seed, testnets);
    Path image = corpus.resolve("input.png");
    BufferedImage img = inputImage(seed);
    ImageIO.write(img, "png", image.toFile());
    BgrImage bgr = BgrImage.from(img);
    try (BufferedWriter w = Files.newBufferedWriter(
        results, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      int last = Integer.getInteger("robust.lastCase", cases.size() - 1);
      for (int i = first; i <= last; i++) {
        ModelCorpus.Case c = cases.get(i);
        w.write("START\t" + i + "\n");
        w.flush();
        injectFault(c);
        Outcome o = run(c, bgr, image, corpus.resolve("out").resolve(c.name()));
        w.write("RESULT\t" + i + "\t" + o.apiKind() + "\t" + b64(o.apiMessage()) + "\t" + o.exit()
            + "\t" + b64(o.stderr()) + "\n");
        w.flush();
      }
    }
    System.exit(0);
  }

  /** For the isolation test only: behave like a native crash or hang on the named case. */
  private static void injectFault(ModelCorpus.Case c) {
    if (c.name().equals(System.getProperty("robust.crashAt"))) {
      Runtime.getRuntime().halt(134); // what a SIGABRT in native code looks like to the parent
    }
    if (c.name().equals(System.getProperty("robust.hangAt"))) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static BufferedImage inputImage(long seed) {
    Random rnd = new Random(seed);
    BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        img.setRGB(x, y, rnd.nextInt(1 << 24));
      }
    }
    return img;
  }

  static Outcome run(ModelCorpus.Case c, BgrImage bgr, Path image, Path out) {
    String kind = "OK";
    String message = "";
    try {
      if (c.action() == ModelCorpus.Action.PALETTE) {
        String palette = option(c.cliExtra(), "--palette");
        String colors = option(c.cliExtra(), "--colors");
        String classes = option(c.cliExtra(), "--classes");
        CardPalettes.forCard(
            ModelCards.load(c.model()),
            palette,
            classes == null ? null : Path.of(classes),
            colors == null ? null : Path.of(colors));
      } else {
        try (Segmenter s = Segmenter.builder()
            .model(c.model())
            .backend(c.backend())
            .runtimeThreads(1)
            .postprocessThreads(1)
            .build()) {
          s.segment(bgr);
        }
      }
    } catch (Throwable t) {
      kind = t.getClass().getSimpleName();
      message = String.valueOf(t.getMessage());
    }
    List<String> args = new ArrayList<>(List.of(
        "segment",
        image.toString(),
        "-m",
        c.model().toString(),
        "-b",
        c.backend(),
        "-q",
        "-t",
        "1",
        "-o",
        out.toString()));
    args.addAll(c.cliExtra());
    CliRunner.Result r;
    try {
      r = Cli.run(args.toArray(String[]::new));
    } catch (Throwable t) {
      r = new CliRunner.Result(-1, "", "Main.run threw " + t);
    }
    return new Outcome(kind, message, r.code(), r.err());
  }

  private static String option(List<String> args, String name) {
    int i = args.indexOf(name);
    return i < 0 ? null : args.get(i + 1);
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String unb64(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }
}
