package dev.segmenter.cli;

import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.Timings;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.render.ClassStats;
import dev.segmenter.palettes.Palette;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code segmenter segment INPUT...}. */
@Command(name = "segment", mixinStandardHelpOptions = true,
    description = {"Segment images, folders (recursively), globs and videos.",
        "For each input NAME.ext writes into --out: NAME.classes.png (class ids, 8-bit gray; 16-bit above 256 classes), "
            + "NAME.color.png (palette colors), NAME.overlay.png, and what --outputs adds. "
            + "Inputs that would share a NAME (x.png and x.jpg) keep their extension in it (x.jpg.overlay.png)."},
    footer = {"", "Examples:", "  segmenter segment street.jpg",
        "  segmenter segment photos/ 'more/*.jpg' --out results --outputs all --json",
        "  segmenter segment clip.mp4 --backend onnxruntime --out results",
        "  segmenter segment img.png --model models/catalog/fcn8s-voc --palette voc --outputs report,masks"})
final class SegmentCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Image files, folders, globs or video files.")
  List<String> inputs;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Output folder (default: segmenter-out).")
  Path out = Path.of("segmenter-out");

  @Option(names = "--json", description = "Print one JSON object per image per line on stdout.")
  boolean json;

  @Option(names = "--keep", paramLabel = "CLASSES", split = ",",
      description = "Classes kept in NAME.cutout.png and NAME.background.png (names or ids; default: every class but the first).")
  List<String> keep;

  @Mixin
  PipelineOptions pipeline;

  @Mixin
  Main.Common common;

  @Override
  public Integer call() {
    Settings s = pipeline.settings();
    PrintStream err = System.err;
    if (pipeline.printConfig) {
      err.print(s.describe());
    }
    Inputs in = Inputs.expand(inputs);
    List<String> failures = new ArrayList<>();
    for (Inputs.Missing m : in.missing) {
      failures.add(m.argument() + ": " + m.reason());
    }
    if (in.inputs.isEmpty()) {
      for (String f : failures) {
        err.println("segmenter: " + f);
      }
      return ExitCode.INPUT_FAILED;
    }
    if (!common.quiet) {
      for (String note : in.renamed) {
        err.println("segmenter: " + note);
      }
    }
    ModelCard card = pipeline.card(s);
    Palette palette = pipeline.palette(s, card);
    int[] keepIds = keepIds(keep, palette, card.classCount());
    OutputWriter writer = new OutputWriter(palette, pipeline.outputs(s), s.alpha(), keepIds)
        .transparent(pipeline.transparentId(palette, card)).legendAll(pipeline.legendAll)
        .background(pipeline.background()).hardEdges(pipeline.hardEdges);
    int done = 0;
    int ok = 0;
    long frames = 0;
    double[] stage = new double[5];
    long t0 = System.nanoTime();
    try (Segmenter seg = pipeline.segmenter(s, card)) {
      if (!common.quiet) {
        err.printf(Locale.ROOT, "segmenter: model %s (%s), backend %s %s on %s, %d input(s) -> %s%n", card.name(),
            seg.modelSource().format().key(), seg.backend().name(), seg.backend().version(), seg.device(),
            in.inputs.size(), out);
      }
      Progress progress = new Progress(err, in.inputs.size(), common.quiet);
      for (Inputs.Input input : in.inputs) {
        boolean failed = false;
        try {
          Path base = out.resolve(input.relativeBase());
          Files.createDirectories(base.toAbsolutePath().getParent());
          if (input.video()) {
            VideoSegmenter.Result v = VideoSegmenter.run(seg, input.file(), base, palette, s.alpha(), err, common.quiet);
            frames += v.frames();
            add(stage, v.timings());
            if (json) {
              System.out.println(videoJson(input.file(), v, seg));
            }
          } else {
            Segmentation r = seg.segment(input.file());
            writer.write(r, base, input.file().toString());
            frames++;
            add(stage, r.timings());
            if (json) {
              System.out.println(json(r, input.file().toString(), palette, null, false));
              System.out.flush();
            }
          }
          ok++;
        } catch (dev.segmenter.engine.ModelException e) {
          // a model error (its output does not match its card), not this input's: stop with exit 3, not 1
          throw e;
        } catch (RuntimeException | java.io.IOException e) {
          failed = true;
          String m = oneLine(e);
          failures.add(m.startsWith(input.file().toString()) ? m : input.file() + ": " + m);
          if (common.verbose) {
            e.printStackTrace(err);
          }
        }
        done++;
        progress.step(done, input.file().toString(), failed);
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    if (!common.quiet) {
      err.printf(Locale.ROOT, "segmenter: %d done, %d failed, %.2f s, %.1f frames/s; mean ms per frame: decode %.1f, "
          + "preprocess %.1f, forward %.1f, postprocess %.1f, total %.1f%n", ok, failures.size(), secs, frames / secs,
          stage[0] / Math.max(frames, 1), stage[1] / Math.max(frames, 1), stage[2] / Math.max(frames, 1),
          stage[3] / Math.max(frames, 1), stage[4] / Math.max(frames, 1));
    }
    for (String f : failures) {
      err.println("segmenter: failed: " + f);
    }
    return failures.isEmpty() ? ExitCode.OK : ExitCode.INPUT_FAILED;
  }

  private static void add(double[] stage, Timings t) {
    stage[0] += t.decode();
    stage[1] += t.preprocess();
    stage[2] += t.forward();
    stage[3] += t.postprocess();
    stage[4] += t.total();
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.replaceAll("\\s*\\n\\s*", " ");
  }

  /** Class ids for names or numbers. */
  static int[] keepIds(List<String> names, Palette palette, int classes) {
    if (names == null || names.isEmpty()) {
      int[] ids = new int[Math.max(0, classes - 1)];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = i + 1;
      }
      return ids;
    }
    int[] ids = new int[names.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = classId(names.get(i), palette, classes);
    }
    return ids;
  }

  static int classId(String nameOrId, Palette palette, int classes) {
    String s = nameOrId.trim();
    try {
      int id = Integer.parseInt(s);
      if (id >= 0 && id < classes) {
        return id;
      }
    } catch (NumberFormatException e) {
      for (int id = 0; id < classes; id++) {
        if (palette.label(id).equalsIgnoreCase(s) || OutputWriter.slug(palette.label(id)).equals(s.toLowerCase(Locale.ROOT))) {
          return id;
        }
      }
    }
    List<String> names = new ArrayList<>();
    for (int id = 0; id < Math.min(classes, 30); id++) {
      names.add(palette.label(id));
    }
    throw new UsageException("class '" + s + "' is not one of the model's classes; accepted: ids 0.." + (classes - 1)
        + " or names: " + String.join(", ", names) + (classes > 30 ? ", ..." : ""));
  }

  /** The per-image JSON object (one line). */
  static String json(Segmentation r, String image, Palette palette, ClassStats stats, boolean withBoxes) {
    long[] counts = r.pixelsPerClass();
    long total = (long) r.width() * r.height();
    Json j = new Json().beginObject().field("image", image).field("width", r.width()).field("height", r.height())
        .field("backend", r.backend()).field("model", r.model().name()).name("classes").beginArray();
    for (int id = 0; id < counts.length; id++) {
      if (counts[id] == 0) {
        continue;
      }
      j.beginObject().field("id", id).field("name", palette.label(id)).field("pixels", counts[id])
          .field("fraction", (double) counts[id] / total);
      if (withBoxes && stats != null) {
        final int cid = id;
        stats.get(cid).ifPresent(e -> j.name("bbox").beginArray().value(e.x()).value(e.y()).value(e.w()).value(e.h())
            .endArray());
      }
      j.endObject();
    }
    j.endArray();
    Timings t = r.timings();
    j.name("timings_ms").beginObject().field("decode", t.decode()).field("preprocess", t.preprocess())
        .field("forward", t.forward()).field("postprocess", t.postprocess()).field("total", t.total()).endObject();
    return j.endObject().toString();
  }

  private static String videoJson(Path file, VideoSegmenter.Result v, Segmenter seg) {
    Timings total = v.timings();
    double n = Math.max(1, v.frames());
    Timings t = new Timings(total.decode() / n, total.preprocess() / n, total.forward() / n, total.postprocess() / n);
    return new Json().beginObject().field("video", file.toString()).field("frames", v.frames())
        .field("fps", v.fps()).field("width", v.width()).field("height", v.height()).field("backend", seg.backend().name())
        .field("model", seg.model().name()).field("output", v.output().toString()).name("timings_ms_per_frame").beginObject()
        .field("decode", t.decode()).field("preprocess", t.preprocess()).field("forward", t.forward())
        .field("postprocess", t.postprocess()).field("total", t.total()).endObject().endObject().toString();
  }
}
