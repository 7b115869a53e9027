package dev.segmenter.cli;

import dev.segmenter.engine.palette.PaletteFiles;
import dev.segmenter.palettes.Palette;
import dev.segmenter.palettes.Palettes;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code segmenter palettes [NAME]}. */
@Command(
    name = "palettes",
    mixinStandardHelpOptions = true,
    description = "List the built-in palettes, or show one (its class names and colors).",
    footer = {
      "",
      "Examples:",
      "  segmenter palettes",
      "  segmenter palettes cityscapes",
      "  segmenter palettes voc --json",
      "  segmenter palettes generated:40 --json"
    })
final class PalettesCommand implements Callable<Integer> {
  @Parameters(
      arity = "0..1",
      paramLabel = "NAME",
      description = "voc, cityscapes, ade20k, coco-stuff or generated:N.")
  String name;

  @Option(
      names = "--json",
      description = "Print [{\"id\":0,\"name\":\"...\",\"rgb\":[r,g,b]}, ...].")
  boolean json;

  @Mixin
  Verbosity verbosity;

  @Override
  public Integer call() {
    PrintStream o = System.out;
    if (name == null) {
      for (String n : Palettes.names()) {
        Palette p = n.startsWith("generated") ? Palettes.generated(8) : Palettes.builtIn(n);
        o.printf(
            Locale.ROOT,
            "%-12s %s%n",
            n,
            n.startsWith("generated")
                ? "any number of classes (VOC bit-interleaving rule), e.g. generated:40"
                : p.size() + " classes");
      }
      return ExitCode.OK;
    }
    Palette p;
    try {
      p = Palettes.builtIn(name);
    } catch (dev.segmenter.palettes.PaletteException e) {
      throw new UsageException(e.getMessage());
    }
    if (json) {
      o.println(PaletteFiles.toJson(p));
      return ExitCode.OK;
    }
    for (int id = 0; id < p.size(); id++) {
      int rgb = p.rgb(id);
      o.printf(
          Locale.ROOT,
          "%4d  %-24s rgb(%3d, %3d, %3d)  #%06x%n",
          id,
          p.label(id),
          rgb >> 16 & 255,
          rgb >> 8 & 255,
          rgb & 255,
          rgb);
    }
    return ExitCode.OK;
  }
}
