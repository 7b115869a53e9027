package dev.segmenter.cli;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.eval.Confusion;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.render.PngOutputs;
import dev.segmenter.palettes.Palette;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segmenter eval}: accuracy against label images. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Score a model against label images: mean IoU over the classes present in the labels or the "
          + "predictions, pixel accuracy, per-class IoU and accuracy.",
      "The label of NAME.ext is NAME.labels.png, else NAME.png, in --labels (default: the images folder); "
          + "files named *.labels.png are never taken as inputs, so one folder can hold both."
    },
    footer = {
      "",
      "Examples:",
      "  segmenter scenes --count 50 --seed 1000000 --out eval",
      "  segmenter eval --images eval --backend onnxruntime",
      "  segmenter eval --images imgs --labels gt --ignore 255 --json"
    })
final class EvalCommand implements Callable<Integer> {
  @Option(
      names = "--images",
      required = true,
      paramLabel = "DIR",
      description = "Folder of images.")
  Path images;

  @Option(
      names = "--labels",
      paramLabel = "DIR",
      description = "Folder of label images (default: --images).")
  Path labels;

  @Option(
      names = "--ignore",
      paramLabel = "ID",
      description = "Label id to ignore (default: the card's ignore_index, else 255).")
  Integer ignore;

  @Option(names = "--json", description = "Print one JSON object instead of the table.")
  boolean json;

  @Mixin
  PipelineOptions pipeline;

  @Mixin
  Verbosity verbosity;

  @Override
  public Integer call() throws IOException {
    Settings s = pipeline.settings();
    if (pipeline.printConfig) {
      System.err.print(s.describe());
    }
    if (!Files.isDirectory(images)) {
      throw new UsageException("--images " + images + ": no such folder");
    }
    Path labelDir = labels == null ? images : labels;
    if (!Files.isDirectory(labelDir)) {
      throw new UsageException("--labels " + labelDir + ": no such folder");
    }
    ModelCard card = pipeline.card(s);
    Palette palette = pipeline.palette(s, card);
    int ignoreId = ignore != null ? ignore : card.ignoreIndex() != null ? card.ignoreIndex() : 255;
    List<Path> files;
    try (Stream<Path> st = Files.list(images)) {
      files = st.filter(Files::isRegularFile)
          .filter(dev.segmenter.engine.image.ImageDecoder::hasImageExtension)
          .filter(f -> !f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".labels.png"))
          .sorted()
          .toList();
    }
    if (files.isEmpty()) {
      throw new UsageException("--images " + images + ": holds no image");
    }
    if (files.stream().allMatch(f -> labelFor(f, labelDir) == null)) {
      // nothing to score: say where the labels were looked for instead of printing a table of NaN
      Path first = files.get(0);
      throw new dev.segmenter.engine.ImageException(
          "no label image for any of the " + files.size() + " image(s) in "
              + images + "; for " + first.getFileName() + " looked for "
              + String.join(" or ", lookedFor(first, labelDir))
              + " (label images hold class ids as gray values; give their folder with --labels)");
    }
    Confusion conf = new Confusion(card.classCount(), ignoreId);
    List<String> failures = new ArrayList<>();
    int used = 0;
    PrintStream err = System.err;
    // the batch pipeline: decoding, inference and reading the labels overlap; the confusion is
    // summed in order
    dev.segmenter.engine.ThroughputPlan plan = dev.segmenter.engine.ThroughputPlan.choose(
        files.size(), Runtime.getRuntime().availableProcessors(), s.threads(), 0);
    int[] counts = new int[2]; // done, used
    try (Segmenter seg = pipeline.segmenter(s, card, plan, false);
        dev.segmenter.engine.BatchJob job =
            seg.batch(dev.segmenter.engine.BatchJob.Options.withConcurrency(plan.concurrency()))) {
      Progress progress = new Progress(err, files.size(), verbosity.quiet || json);
      List<dev.segmenter.engine.BatchJob.Input> withLabels = new ArrayList<>();
      for (Path f : files) {
        Path label = labelFor(f, labelDir);
        if (label == null) {
          failures.add(f + ": no label image (looked for "
              + String.join(" or ", lookedFor(f, labelDir)) + ")");
          progress.step(++counts[0], f.toString(), true);
        } else {
          withLabels.add(dev.segmenter.engine.BatchJob.Input.of(f, label));
        }
      }
      job.run(withLabels.iterator(), new dev.segmenter.engine.BatchJob.Sink() {
        @Override
        public Object write(dev.segmenter.engine.BatchJob.Item item) {
          Path label = (Path) item.input().tag();
          ClassMap gt = PngOutputs.readClassIds(label);
          Segmentation r = item.result();
          if (gt.width() != r.width() || gt.height() != r.height()) {
            throw new dev.segmenter.engine.ImageException(label + ": " + gt.width() + "x"
                + gt.height() + " differs from the image's " + r.width() + "x" + r.height());
          }
          return gt;
        }

        @Override
        public void accept(dev.segmenter.engine.BatchJob.Item item) {
          Path f = item.input().file();
          boolean failed = item.failure() != null;
          if (failed) {
            failures.add(f + ": " + SegmentCommand.oneLine(item.failure()));
          } else {
            conf.add((ClassMap) item.written(), item.result().classMap());
            counts[1]++;
          }
          progress.step(++counts[0], f.toString(), failed);
        }
      });
      used = counts[1];
      if (used > 0) {
        print(conf, palette, card, seg.backend().name(), used);
      }
    }
    for (String f : failures) {
      err.println("segmenter: failed: " + f);
    }
    return failures.isEmpty() ? ExitCode.OK : ExitCode.INPUT_FAILED;
  }

  /** The label files looked for, in order: {@code NAME.labels.png}, then {@code NAME.png} unless that is the image. */
  static List<String> lookedFor(Path image, Path labelDir) {
    String base = Inputs.stripExt(image.getFileName()).toString();
    List<String> names = new ArrayList<>();
    names.add(labelDir.resolve(base + ".labels.png").toString());
    Path b = labelDir.resolve(base + ".png");
    if (!b.toAbsolutePath().normalize().equals(image.toAbsolutePath().normalize())) {
      names.add(b.toString());
    }
    return names;
  }

  static Path labelFor(Path image, Path labelDir) {
    String base = Inputs.stripExt(image.getFileName()).toString();
    Path a = labelDir.resolve(base + ".labels.png");
    if (Files.isRegularFile(a)) {
      return a;
    }
    Path b = labelDir.resolve(base + ".png");
    if (Files.isRegularFile(b)
        && !b.toAbsolutePath().normalize().equals(image.toAbsolutePath().normalize())) {
      return b;
    }
    return null;
  }

  private void print(Confusion conf, Palette palette, ModelCard card, String backend, int used) {
    List<Confusion.ClassScore> per = conf.perClass();
    PrintStream o = System.out;
    if (json) {
      Json j = new Json()
          .beginObject()
          .field("model", card.name())
          .field("backend", backend)
          .field("images", used)
          .field("miou", conf.meanIou())
          .field("pixel_accuracy", conf.pixelAccuracy())
          .name("per_class")
          .beginArray();
      for (Confusion.ClassScore c : per) {
        if (c.present()) {
          j.beginObject()
              .field("id", c.id())
              .field("name", palette.label(c.id()))
              .field("iou", c.iou())
              .field("accuracy", c.accuracy())
              .field("pixels", c.labelPixels())
              .endObject();
        }
      }
      o.println(j.endArray().endObject());
      return;
    }
    o.printf(Locale.ROOT, "model %s, backend %s, %d images%n%n", card.name(), backend, used);
    o.printf(
        Locale.ROOT, "%-3s %-15s %7s %9s %12s%n", "id", "class", "IoU", "accuracy", "label px");
    for (Confusion.ClassScore c : per) {
      if (c.present()) {
        o.printf(
            Locale.ROOT,
            "%-3d %-15s %7s %9s %12d%n",
            c.id(),
            palette.label(c.id()),
            fmt(c.iou()),
            fmt(c.accuracy()),
            c.labelPixels());
      }
    }
    o.printf(
        Locale.ROOT,
        "%nmean IoU %.4f   pixel accuracy %.4f%n",
        conf.meanIou(),
        conf.pixelAccuracy());
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }
}
