package dev.segmenter.cli;

import dev.segmenter.scenes.SceneWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segmenter scenes}: procedural street scenes with exact labels. */
@Command(
    name = "scenes",
    mixinStandardHelpOptions = true,
    description = {
      "Write procedural street scenes DIR/NNNN.png with their exact labels DIR/NNNN.labels.png "
          + "(Cityscapes train ids 0..18, 255 = void). Scene i uses seed S+i. Training uses seeds below 1,000,000; "
          + "evaluation uses seeds from 1,000,000 up."
    },
    footer = {
      "",
      "Examples:",
      "  segmenter scenes --count 20 --seed 1000000 --size 512x256 --out eval-scenes"
    })
final class ScenesCommand implements Callable<Integer> {
  @Option(names = "--count", required = true, description = "Number of scenes.")
  int count;

  @Option(names = "--seed", description = "Seed of the first scene (default 1000000).")
  long seed = 1_000_000L;

  @Option(names = "--size", paramLabel = "WxH", description = "Scene size (default 512x256).")
  String size = "512x256";

  @Option(
      names = {"-o", "--out"},
      required = true,
      paramLabel = "DIR",
      description = "Output folder.")
  Path out;

  @Mixin
  Verbosity verbosity;

  @Override
  public Integer call() throws Exception {
    if (count < 1 || count > 1_000_000) {
      throw new UsageException("--count " + count + ": accepted 1..1000000");
    }
    int[] wh = parseSize(size, "--size");
    long t0 = System.nanoTime();
    int n = SceneWriter.write(count, seed, wh[0], wh[1], out);
    if (!verbosity.quiet) {
      System.err.printf(
          Locale.ROOT,
          "segmenter: wrote %d scenes (%dx%d, seeds %d..%d) to %s in %.1f s%n",
          n,
          wh[0],
          wh[1],
          seed,
          seed + n - 1,
          out,
          (System.nanoTime() - t0) / 1e9);
    }
    return ExitCode.OK;
  }

  static int[] parseSize(String s, String flag) {
    String[] p = s.toLowerCase(Locale.ROOT).split("x");
    try {
      if (p.length == 2) {
        int w = Integer.parseInt(p[0].trim());
        int h = Integer.parseInt(p[1].trim());
        if (w >= 16 && h >= 16 && w <= 8192 && h <= 8192) {
          return new int[] {w, h};
        }
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new UsageException(
        flag + " " + s + ": expected WIDTHxHEIGHT with each from 16 to 8192, e.g. 512x256");
  }
}
