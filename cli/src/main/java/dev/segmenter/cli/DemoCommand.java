package dev.segmenter.cli;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.eval.Confusion;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.image.ImageDecoder;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.render.ClassStats;
import dev.segmenter.engine.render.PngOutputs;
import dev.segmenter.palettes.Palette;
import dev.segmenter.scenes.Scene;
import dev.segmenter.scenes.StreetScene;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segmenter demo}: the whole pipeline in one step on a generated street scene, or on a photograph. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Draw a street scene, segment it with the default model and write the four-panel report "
          + "(original | color map / overlay | legend) plus the per-class statistics, scored against the scene's exact labels.",
      "With --model selfie (or --image FILE) it segments a photograph instead (by default the bundled public-domain "
          + "astronaut portrait) and also writes the soft cut-out, the probabilities and a replaced background."
    },
    footer = {
      "",
      "Examples:",
      "  segmenter demo",
      "  segmenter demo --seed 1000007 --size 1280x640 --backend opencv --out demo-out",
      "  segmenter demo --model selfie --background '#2e7d32'",
      "  segmenter demo --model selfie --image me.jpg"
    })
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--seed",
      description = "Scene seed (default 1000000: an evaluation scene the model never saw).")
  long seed = 1_000_000L;

  @Option(names = "--size", paramLabel = "WxH", description = "Scene size (default 1024x512).")
  String size = "1024x512";

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      description = "Output folder (default: segmenter-out/demo).")
  Path out = Path.of("segmenter-out", "demo");

  @Option(
      names = "--image",
      paramLabel = "FILE",
      description =
          "Segment this photograph instead of a street scene (default with --model selfie: the bundled astronaut.jpg).")
  Path image;

  @Mixin
  PipelineOptions pipeline;

  /** The photograph the selfie demo uses when --image is not given (models/photos, public domain). */
  static final String PHOTO = "segmenter/photos/astronaut.jpg";

  @Mixin
  RenderOptions render;

  @Mixin
  Verbosity verbosity;

  @Override
  public Integer call() throws Exception {
    int[] wh = ScenesCommand.parseSize(size, "--size");
    Settings s = pipeline.settings();
    PrintStream err = System.err;
    if (pipeline.printConfig) {
      err.print(s.describe());
    }
    ModelCard card = pipeline.card(s);
    Palette palette = render.palette(pipeline.palette(s, card));
    if (image != null || card.name().equals("selfie")) {
      return photo(s, card, palette);
    }
    Scene scene = StreetScene.generate(seed, wh[0], wh[1]);
    Files.createDirectories(out);
    Path base = out.resolve("demo");
    scene.write(out, "demo");
    BgrImage image = BgrImage.from(scene.image());
    try (Segmenter seg = pipeline.segmenter(s, card)) {
      seg.segment(image); // warm-up: the first call pays for lazy native initialisation
      Segmentation r = seg.segment(image);
      Output.Requests outputs = Output.Requests.of(
          Output.CLASSES, Output.COLOR, Output.OVERLAY, Output.REPORT, Output.LEGEND);
      List<Path> files = new OutputWriter(palette, outputs, s.alpha(), new int[0])
          .kernels(seg.kernels())
          .transparent(render.transparentId(palette, card))
          .legendAll(render.legendAll)
          .write(r, base, "demo scene seed " + seed);
      PrintStream o = System.out;
      ClassStats stats = ClassStats.of(r.classMap(), palette);
      boolean cityscapes = card.classCount() == 19;
      Confusion conf = null;
      if (cityscapes) {
        conf = new Confusion(19, 255);
        conf.add(ClassMap.ofBytes(scene.width(), scene.height(), scene.labels()), r.classMap());
      }
      o.printf(
          Locale.ROOT,
          "Street scene seed %d, %dx%d; model %s on %s %s (%s); %s%n",
          seed,
          scene.width(),
          scene.height(),
          card.name(),
          seg.backend().name(),
          seg.backend().version(),
          seg.device(),
          card.trained() ? "trained" : "UNTRAINED (timing only)");
      o.printf(
          Locale.ROOT,
          "time: preprocess %.1f ms, forward %.1f ms, postprocess %.1f ms%n%n",
          r.timings().preprocess(),
          r.timings().forward(),
          r.timings().postprocess());
      o.printf(
          Locale.ROOT,
          "%-3s %-15s %9s %8s%s%n",
          "id",
          "class",
          "pixels",
          "share",
          cityscapes ? "      IoU" : "");
      List<Confusion.ClassScore> scores = conf == null ? null : conf.perClass();
      for (ClassStats.Entry e : stats.present()) {
        String iou = "";
        if (scores != null && e.id() < 19) {
          iou = String.format(Locale.ROOT, " %8.3f", scores.get(e.id()).iou());
        }
        o.printf(
            Locale.ROOT,
            "%-3d %-15s %9d %7.2f%%%s%n",
            e.id(),
            e.name(),
            e.pixels(),
            100 * e.fraction(),
            iou);
      }
      if (conf != null) {
        o.printf(
            Locale.ROOT,
            "%nagainst the scene's exact labels: mean IoU %.3f, pixel accuracy %.3f%n",
            conf.meanIou(),
            conf.pixelAccuracy());
      }
      o.println();
      o.println("wrote " + out.resolve("demo.png") + " (the scene) and "
          + out.resolve("demo.labels.png") + " (its labels)");
      for (Path f : files) {
        o.println("wrote " + f);
      }
      o.println(
          "open " + OutputWriter.sibling(base, "report.png") + " to see the four-panel report");
    }
    return ExitCode.OK;
  }

  /** The photo demo: report, soft cut-out, probabilities and a replaced background of one photograph. */
  private int photo(Settings s, ModelCard card, Palette palette) throws Exception {
    BgrImage photo;
    String name;
    if (image != null) {
      photo = new ImageDecoder(pipeline.maxPixels).read(image);
      name = image.getFileName().toString();
    } else {
      try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(PHOTO)) {
        if (in == null) {
          throw new UsageException("the bundled photograph " + PHOTO
              + " is missing from the class path; give --image FILE");
        }
        photo = new ImageDecoder(pipeline.maxPixels).decode(in, "astronaut.jpg");
      }
      name = "astronaut.jpg (public domain, NASA)";
    }
    Files.createDirectories(out);
    Path base = out.resolve("demo");
    PngOutputs.writeImage(photo, out.resolve("demo.png"));
    int[] keep = ClassIds.keep(null, palette, card.classCount());
    try (Segmenter seg = pipeline.segmenter(s, card, true)) {
      seg.segment(photo); // warm-up: the first call pays for lazy native initialisation
      Segmentation r = seg.segment(photo);
      Output.Requests outputs = Output.Requests.of(
          Output.CLASSES,
          Output.OVERLAY,
          Output.REPORT,
          Output.PROB,
          Output.CUTOUT,
          Output.BACKGROUND);
      List<Path> files = new OutputWriter(palette, outputs, s.alpha(), keep)
          .kernels(seg.kernels())
          .legendAll(render.legendAll)
          .background(render.background(pipeline.maxPixels))
          .hardEdges(render.hardEdges)
          .write(r, base, name);
      PrintStream o = System.out;
      o.printf(
          Locale.ROOT,
          "Photograph %s, %dx%d; model %s on %s %s (%s)%n",
          name,
          photo.width(),
          photo.height(),
          card.name(),
          seg.backend().name(),
          seg.backend().version(),
          seg.device());
      o.printf(
          Locale.ROOT,
          "time: preprocess %.1f ms, forward %.1f ms, postprocess %.1f ms%n%n",
          r.timings().preprocess(),
          r.timings().forward(),
          r.timings().postprocess());
      for (ClassStats.Entry e : ClassStats.of(r.classMap(), palette).present()) {
        o.printf(
            Locale.ROOT,
            "%-3d %-15s %9d %7.2f%%%n",
            e.id(),
            e.name(),
            e.pixels(),
            100 * e.fraction());
      }
      o.println();
      o.println("wrote " + out.resolve("demo.png") + " (the photograph)");
      for (Path f : files) {
        o.println("wrote " + f);
      }
      o.println("open " + OutputWriter.sibling(base, "report.png") + " for the four-panel report, "
          + OutputWriter.sibling(base, "cutout.png") + " and "
          + OutputWriter.sibling(base, "background.png"));
    }
    return ExitCode.OK;
  }

  static ClassMap labels(Path file) {
    return PngOutputs.readClassIds(file);
  }
}
