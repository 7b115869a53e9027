package dev.segmenter.cli;

import dev.segmenter.engine.BatchJob;
import dev.segmenter.engine.ErrorMessages;
import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.ThroughputPlan;
import dev.segmenter.engine.Timings;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.render.OutputFiles;
import dev.segmenter.palettes.Palette;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code segmenter segment INPUT...}. */
@Command(
    name = "segment",
    mixinStandardHelpOptions = true,
    description = {
      "Segment images, folders (recursively), globs and videos.",
      "For each input NAME.ext writes into --out: NAME.classes.png (class ids, 8-bit gray; 16-bit above 256 classes), "
          + "NAME.color.png (palette colors), NAME.overlay.png, and what --outputs adds. "
          + "Inputs that would share a NAME (x.png and x.jpg) keep their extension in it (x.jpg.overlay.png).",
      "Folders and globs never yield the output folder or files named like outputs (NAME.overlay.png, ...); "
          + "links are followed once; an unreadable entry fails alone and the rest is processed."
    },
    footer = {
      "",
      "Examples:",
      "  segmenter segment street.jpg",
      "  segmenter segment photos/ 'more/*.jpg' --out results --outputs all --json",
      "  segmenter segment clip.mp4 --backend onnxruntime --out results",
      "  segmenter segment img.png --model models/catalog/fcn8s-voc --palette voc --outputs report,masks"
    })
final class SegmentCommand implements Callable<Integer> {
  @Parameters(
      arity = "1..*",
      paramLabel = "INPUT",
      description = "Image files, folders, globs or video files.")
  List<String> inputs;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      description = "Output folder (default: segmenter-out).")
  Path out = Path.of("segmenter-out");

  @Option(names = "--json", description = "Print one JSON object per image per line on stdout.")
  boolean json;

  @Option(
      names = "--keep",
      paramLabel = "CLASSES",
      split = ",",
      description =
          "Classes kept in NAME.cutout.png and NAME.background.png (names or ids; default: every class but the first).")
  List<String> keep;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description =
          "Images in inference at once (default: the throughput plan; --print-config shows it).")
  int concurrency;

  @Option(
      names = "--overlay-format",
      paramLabel = "png|jpg",
      converter = OutputWriter.OverlayFormat.Converter.class,
      description = "NAME.overlay as lossless PNG (default) or JPEG quality 90 (smaller, faster).")
  OutputWriter.OverlayFormat overlayFormat = OutputWriter.OverlayFormat.PNG;

  @Option(
      names = "--skip-existing",
      description =
          "Skip an input whose outputs all exist and are newer than it (resume a killed run).")
  boolean skipExisting;

  @Option(
      names = "--no-sync",
      description =
          "Do not force each output to the disk before renaming it into place (faster on slow disks; "
              + "a power cut may then leave empty files).")
  boolean noSync;

  @Option(
      names = "--outputs",
      paramLabel = "LIST",
      converter = Settings.OutputsConverter.class,
      completionCandidates = Output.Names.class,
      description =
          "Comma list of: ${COMPLETION-CANDIDATES}; or all (default " + Output.DEFAULTS + ").")
  Output.Requests outputs; // read through Settings, which knows where the value came from

  @Mixin
  PipelineOptions pipeline;

  @Mixin
  RenderOptions render;

  @Mixin
  Verbosity verbosity;

  /** Stops the run: the output location failed (exit 5) or standard output is gone. */
  static final class OutputStopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutputStopped(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @Override
  public Integer call() {
    Settings s = pipeline.settings();
    PrintStream err = System.err;
    if (concurrency < 0) {
      throw new UsageException(
          "--concurrency " + concurrency + ": expected a number of images >= 1");
    }
    Inputs in = Inputs.expand(inputs, out);
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
    if (!verbosity.quiet) {
      for (String note : in.notes()) {
        err.println("segmenter: " + note);
      }
    }
    ModelCard card = pipeline.card(s);
    Palette palette = render.palette(pipeline.palette(s, card));
    int[] keepIds = ClassIds.keep(keep, palette, card.classCount());
    RunChecks.segment(s, card, palette, out);
    OutputWriter writer = new OutputWriter(palette, render.outputs(s), s.alpha(), keepIds)
        .transparent(render.transparentId(palette, card))
        .legendAll(render.legendAll)
        .durable(!noSync)
        .overlayFormat(overlayFormat)
        .background(render.background(pipeline.maxPixels))
        .hardEdges(render.hardEdges);
    List<Inputs.Input> images = new ArrayList<>();
    List<Inputs.Input> videos = new ArrayList<>();
    long skipped = 0;
    for (Inputs.Input input : in.inputs) {
      if (input.video()) {
        videos.add(input);
      } else if (skipExisting
          && upToDate(
              input, writer.expectedFiles(out.resolve(input.relativeBase()), card.classCount()))) {
        skipped++;
      } else {
        images.add(input);
      }
    }
    int stale = OutputFiles.deleteStaleTemporaries(out);
    if (stale > 0 && !verbosity.quiet) {
      err.println(
          "segmenter: removed " + stale + " temporary file(s) an interrupted run left in " + out);
    }
    ThroughputPlan plan = ThroughputPlan.choose(
        images.size() + videos.size(),
        Runtime.getRuntime().availableProcessors(),
        s.threads(),
        concurrency);
    if (pipeline.printConfig) {
      err.print(s.describe());
      err.println("concurrency = " + plan.concurrency() + ", runtime threads = "
          + plan.runtimeThreads() + "   (" + plan.reason() + ")");
    }
    Run run = new Run(err, images.size() + videos.size());
    Interrupts interrupts = new Interrupts();
    long t0 = System.nanoTime();
    try (Segmenter seg = pipeline.segmenter(s, card, plan, render.needsScores(s))) {
      writer.kernels(seg.kernels());
      if (!verbosity.quiet) {
        err.printf(
            Locale.ROOT,
            "segmenter: model %s (%s), backend %s %s on %s, %d input(s)%s -> %s%n",
            card.name(),
            seg.modelSource().format().key(),
            seg.backend().name(),
            seg.backend().version(),
            seg.device(),
            in.count(),
            skipped > 0 ? " (" + skipped + " skipped: up to date)" : "",
            out);
        RunChecks.domainNote(card).ifPresent(err::println);
      }
      try (BatchJob job = seg.batch(BatchJob.Options.withConcurrency(plan.concurrency()))) {
        interrupts.install(job);
        Iterator<BatchJob.Input> feed =
            images.stream().map(i -> BatchJob.Input.of(i.file(), i)).iterator();
        job.run(feed, new BatchJob.Sink() {
          @Override
          public Object write(BatchJob.Item item) {
            Inputs.Input input = (Inputs.Input) item.input().tag();
            return writer.write(
                item.result(), out.resolve(input.relativeBase()), input.file().toString());
          }

          @Override
          public void accept(BatchJob.Item item) {
            run.accept(item, palette);
          }
        });
        for (Inputs.Input input : videos) {
          if (job.isCancelled()) {
            break;
          }
          run.video(input, seg, palette, s.alpha(), writer);
        }
      }
    } catch (OutputStopped e) {
      run.stopped = e.getMessage();
      if (verbosity.verbose) {
        e.printStackTrace(err);
      }
    } finally {
      interrupts.uninstall();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    failures.addAll(run.failures);
    if (!verbosity.quiet || interrupts.happened() || run.stopped != null) {
      double n = Math.max(run.frames, 1);
      err.printf(
          Locale.ROOT,
          "segmenter: %d done, %d failed%s%s, %.2f s, %.1f frames/s; mean ms per frame: decode %.1f, "
              + "preprocess %.1f, forward %.1f, postprocess %.1f, total %.1f%s%n",
          run.ok,
          failures.size(),
          skipped > 0 ? ", " + skipped + " skipped" : "",
          run.notProcessed(images.size() + videos.size()) > 0
              ? ", " + run.notProcessed(images.size() + videos.size()) + " not processed"
              : "",
          secs,
          run.frames / secs,
          run.stage[0] / n,
          run.stage[1] / n,
          run.stage[2] / n,
          run.stage[3] / n,
          run.stage[4] / n,
          interrupts.happened() ? " (interrupted)" : "");
    }
    for (String f : failures) {
      err.println("segmenter: failed: " + f);
    }
    interrupts.finished();
    if (run.stopped != null) {
      err.println("segmenter: stopped: " + run.stopped);
      return ExitCode.OUTPUT_FAILED;
    }
    if (interrupts.happened()) {
      return ExitCode.INTERRUPTED;
    }
    return failures.isEmpty() ? ExitCode.OK : ExitCode.INPUT_FAILED;
  }

  /** True when every file exists and none is older than the input. */
  private static boolean upToDate(Inputs.Input input, List<Path> files) {
    try {
      long source = Files.getLastModifiedTime(input.file()).toMillis();
      for (Path f : files) {
        if (!Files.isRegularFile(f) || Files.getLastModifiedTime(f).toMillis() < source) {
          return false;
        }
      }
      return !files.isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /** Counts, timings and failures of one run; accept() runs on the batch's accepting thread only. */
  private final class Run {
    final PrintStream err;
    final Progress progress;
    final List<String> failures = new ArrayList<>();
    final double[] stage = new double[5];
    int done;
    int ok;
    long frames;
    String stopped;

    Run(PrintStream err, int total) {
      this.err = err;
      this.progress = new Progress(err, total, verbosity.quiet);
    }

    int notProcessed(int total) {
      return total - done;
    }

    void accept(BatchJob.Item item, Palette palette) {
      Inputs.Input input = (Inputs.Input) item.input().tag();
      if (item.status() == BatchJob.Status.CANCELLED) {
        return;
      }
      boolean failed = item.status() == BatchJob.Status.FAILED;
      if (failed) {
        Throwable e = item.failure();
        if (e instanceof OutputFiles.OutputException oe && oe.isRunWide()) {
          throw new OutputStopped(oe.getMessage(), oe);
        }
        String m = e instanceof OutOfMemoryError
            ? "out of memory (" + Runtime.getRuntime().maxMemory() / (1 << 20)
                + " MB heap; raise -Xmx with " + "SEGMENTER_JAVA_OPTS)"
            : oneLine(e);
        failures.add(m.startsWith(input.file().toString()) ? m : input.file() + ": " + m);
        if (verbosity.verbose) {
          e.printStackTrace(err);
        }
      } else {
        Segmentation r = item.result();
        frames++;
        ok++;
        add(stage, r.timings());
        if (json) {
          printJson(SegmentationJson.of(r, input.file().toString(), palette, null, false));
        }
      }
      done++;
      progress.step(done, input.file().toString(), failed);
    }

    void video(
        Inputs.Input input, Segmenter seg, Palette palette, float alpha, OutputWriter writer) {
      boolean failed = false;
      try {
        Path base = out.resolve(input.relativeBase());
        Files.createDirectories(base.toAbsolutePath().getParent());
        VideoSegmenter.Result v =
            VideoSegmenter.run(seg, input.file(), base, palette, alpha, err, verbosity.quiet);
        frames += v.frames();
        add(stage, v.timings());
        if (json) {
          printJson(videoJson(input.file(), v, seg));
        }
        if (writer.writesBackground()) {
          // a second pass renders NAME.background.EXT: the kept classes over --background, soft
          // edges
          VideoSegmenter.Result b = VideoSegmenter.run(
              seg,
              input.file(),
              base,
              "background",
              f -> writer.background(f.segmentation()),
              err,
              verbosity.quiet);
          if (json) {
            printJson(videoJson(input.file(), b, seg));
          }
        }
        ok++;
      } catch (dev.segmenter.engine.ModelException e) {
        throw e;
      } catch (RuntimeException | IOException e) {
        failed = true;
        String m = oneLine(e);
        failures.add(m.startsWith(input.file().toString()) ? m : input.file() + ": " + m);
        if (verbosity.verbose) {
          e.printStackTrace(err);
        }
      }
      done++;
      progress.step(done, input.file().toString(), failed);
    }

    /** One JSON line on stdout; a stdout that cannot take it (closed pipe, full disk) stops the run. */
    private void printJson(String line) {
      PrintStream o = System.out;
      o.println(line);
      o.flush();
      if (o.checkError()) {
        throw new OutputStopped(
            "cannot write the JSON lines to standard output (closed pipe or full disk)", null);
      }
    }
  }

  private static void add(double[] stage, Timings t) {
    stage[0] += t.decode();
    stage[1] += t.preprocess();
    stage[2] += t.forward();
    stage[3] += t.postprocess();
    stage[4] += t.total();
  }

  static String oneLine(Throwable e) {
    if (e instanceof OutOfMemoryError) {
      return "out of memory (" + e.getMessage()
          + "); raise -Xmx (SEGMENTER_JAVA_OPTS for ./segmenter)";
    }
    return ErrorMessages.oneLine(e);
  }

  private static String videoJson(Path file, VideoSegmenter.Result v, Segmenter seg) {
    Timings total = v.timings();
    double n = Math.max(1, v.frames());
    return new Json()
        .beginObject()
        .field("video", file.toString())
        .field("frames", v.frames())
        .field("fps", v.fps())
        .field("width", v.width())
        .field("height", v.height())
        .field("backend", seg.backend().name())
        .field("model", seg.model().name())
        .field("output", v.output().toString())
        .field("frames_per_second", v.frames() / Math.max(1e-9, v.seconds()))
        .name("timings_ms_per_frame")
        .beginObject()
        .field("decode", total.decode() / n)
        .field("preprocess", total.preprocess() / n)
        .field("forward", total.forward() / n)
        .field("postprocess", total.postprocess() / n)
        .field("render", v.renderMs() / n)
        .field("encode", v.encodeMs() / n)
        .field("total", (total.total() + v.renderMs() + v.encodeMs()) / n)
        .endObject()
        .endObject()
        .toString();
  }
}
