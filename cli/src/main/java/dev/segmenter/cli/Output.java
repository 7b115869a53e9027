package dev.segmenter.cli;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.render.ClassStats;
import dev.segmenter.engine.render.ColorMap;
import dev.segmenter.engine.render.Cutout;
import dev.segmenter.engine.render.Legend;
import dev.segmenter.engine.render.Masks;
import dev.segmenter.engine.render.Overlay;
import dev.segmenter.engine.render.PngOutputs;
import dev.segmenter.engine.render.Report;
import dev.segmenter.engine.render.ReportOptions;
import dev.segmenter.engine.render.SoftMasks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The files {@code segment --outputs} writes for each image, each with how it is drawn ({@link #stage}) and which
 * files it promises ({@link #expected}, for {@code --skip-existing}). Adding an output kind is a constant here (the
 * names {@code --outputs} accepts, its help and {@code all} follow) and its line in the README.
 */
enum Output {
  CLASSES("classes") {
    @Override
    void stage(OutputWriter.Image img, String arg) {
      ClassMap map = img.map();
      img.add("classes.png", out -> PngOutputs.encodeClassIds(map, out));
    }
  },
  COLOR("color") {
    @Override
    void stage(OutputWriter.Image img, String arg) {
      ClassMap map = img.map();
      if (img.writer().transparentId() >= 0) {
        int[] argb = new ColorMap(img.writer().kernels().palette())
            .argbTransparent(map, img.writer().palette(), img.writer().transparentId());
        img.add(
            "color.png",
            out ->
                PngOutputs.encode(ColorMap.toBufferedImage(map.width(), map.height(), argb), out));
      } else {
        BgrImage c = img.colors();
        img.add("color.png", out -> PngOutputs.encodeColors(c, out));
      }
    }
  },
  OVERLAY("overlay") {
    @Override
    void stage(OutputWriter.Image img, String arg) {
      OutputWriter w = img.writer();
      BgrImage overlay = new Overlay(w.kernels().blend(), w.kernels().palette())
          .render(img.result().image(), img.colors(), w.alpha());
      if (w.overlayFormat() == OutputWriter.OverlayFormat.JPG) {
        img.add("overlay.jpg", out -> OutputWriter.writeJpeg(overlay, out));
      } else {
        img.add("overlay.png", out -> PngOutputs.encodePicture(overlay, out));
      }
    }

    @Override
    List<String> expected(OutputWriter w, String arg, int classCount) {
      return List.of("overlay." + w.overlayFormat().extension());
    }
  },
  INDEXED("indexed") {
    @Override
    void stage(OutputWriter.Image img, String arg) {
      ClassMap map = img.map();
      if (!map.isWide()) {
        img.add("indexed.png", out -> PngOutputs.encodeIndexed(map, img.writer().palette(), out));
      }
    }
  },
  REPORT("report") {
    @Override
    void stage(OutputWriter.Image img, String arg) {
      OutputWriter w = img.writer();
      var r = img.result();
      String footer = String.format(
          Locale.ROOT,
          "%s | model %s%s | backend %s | forward %.1f ms | total %.1f ms",
          img.imageName(),
          r.model().name(),
          r.model().domain() == null ? "" : " (trained for: " + r.model().domain() + ")",
          r.backend(),
          r.timings().forward(),
          r.timings().total());
      BgrImage rep = new Report(w.kernels().palette(), w.kernels().blend())
          .render(
              r.image(),
              img.map(),
              w.palette(),
              ReportOptions.defaults()
                  .withAlpha(w.alpha())
                  .withFooter(footer)
                  .withShowAbsent(w.legendAll()));
      img.add("report.png", out -> PngOutputs.encodePicture(rep, out));
    }
  },
  LEGEND("legend") {
    @Override
    void stage(OutputWriter.Image img, String arg) {
      OutputWriter w = img.writer();
      ClassStats stats = img.stats();
      int rows = w.legendAll() ? stats.all().size() : stats.present().size();
      int h = Math.max(160, Math.min(1200, 40 + 28 * rows));
      BgrImage legend = Legend.render(stats, w.palette(), 420, h, w.legendAll());
      img.add("legend.png", out -> PngOutputs.encodeColors(legend, out));
    }
  },
  /** One mask per class present: names depend on the image, so none is expected beforehand. */
  MASKS("masks") {
    @Override
    void stage(OutputWriter.Image img, String arg) {
      ClassMap map = img.map();
      for (ClassStats.Entry e : img.stats().present()) {
        img.add(
            "mask-" + OutputWriter.slug(e.name()) + ".png",
            out -> PngOutputs.encode(Masks.image(map, e.id()), out));
      }
    }

    @Override
    List<String> expected(OutputWriter w, String arg, int classCount) {
      return List.of();
    }
  },
  /** {@code mask-CLASS}: the mask of one class (a name or id), written whether the class is present or not. */
  MASK("mask-CLASS") {
    @Override
    void stage(OutputWriter.Image img, String arg) {
      ClassMap map = img.map();
      int id = ClassIds.of(arg, img.writer().palette(), img.result().model().classCount());
      img.add(fileName(img.writer(), arg, id), out -> PngOutputs.encode(Masks.image(map, id), out));
    }

    @Override
    List<String> expected(OutputWriter w, String arg, int classCount) {
      return List.of(fileName(w, arg, ClassIds.of(arg, w.palette(), classCount)));
    }

    private String fileName(OutputWriter w, String arg, int id) {
      return "mask-" + OutputWriter.slug(w.palette().label(id)) + ".png";
    }
  },
  CUTOUT("cutout") {
    @Override
    void stage(OutputWriter.Image img, String arg) {
      byte[] a = img.softAlpha();
      img.add("cutout.png", out -> PngOutputs.encode(Cutout.image(img.result().image(), a), out));
    }

    @Override
    boolean needsScores(boolean hardEdges) {
      return !hardEdges;
    }
  },
  JSON("json") {
    @Override
    void stage(OutputWriter.Image img, String arg) {
      byte[] text = (SegmentationJson.of(
                  img.result(), img.imageName(), img.writer().palette(), img.stats(), true)
              + "\n")
          .getBytes(StandardCharsets.UTF_8);
      img.add("json", out -> out.write(text));
    }

    @Override
    List<String> expected(OutputWriter w, String arg, int classCount) {
      return List.of("json");
    }
  },
  /** Class-id outputs carry no probabilities: then nothing is written, so nothing is expected. */
  PROB("prob") {
    @Override
    void stage(OutputWriter.Image img, String arg) {
      var r = img.result();
      if (SoftMasks.available(r)) {
        java.awt.image.BufferedImage prob = SoftMasks.probabilityImage(
            SoftMasks.confidence(r, img.writer().kernels()), r.width(), r.height());
        img.add("prob.png", out -> PngOutputs.encode(prob, out));
      }
    }

    @Override
    List<String> expected(OutputWriter w, String arg, int classCount) {
      return List.of();
    }

    @Override
    boolean needsScores(boolean hardEdges) {
      return true;
    }
  },
  BACKGROUND("background") {
    @Override
    void stage(OutputWriter.Image img, String arg) {
      BgrImage composed = img.writer()
          .backgroundOrBlur()
          .render(img.result().image(), img.softAlpha(), img.writer().kernels().composite());
      img.add("background.png", out -> PngOutputs.encodePicture(composed, out));
    }

    @Override
    boolean needsScores(boolean hardEdges) {
      return !hardEdges;
    }
  };

  /** The outputs written when no setting names any. */
  static final String DEFAULTS = "classes,color,overlay";

  /** The name in {@code --outputs}. */
  final String id;

  Output(String id) {
    this.id = id;
  }

  /** Adds this output's files for one image to {@code img}; {@code arg} is the class of {@code mask-CLASS}. */
  abstract void stage(OutputWriter.Image img, String arg);

  /** The file suffixes (after {@code NAME.}) this output writes whatever the image holds. */
  List<String> expected(OutputWriter w, String arg, int classCount) {
    return List.of(id + ".png");
  }

  /** True when drawing it takes the network's probabilities. */
  boolean needsScores(boolean hardEdges) {
    return false;
  }

  /** Part of {@code all}: every output but {@code mask-CLASS}. */
  boolean inAll() {
    return this != MASK;
  }

  /** The names of {@code all}, comma separated: classes, color, ..., background. */
  static String names() {
    return String.join(
        ", ",
        java.util.Arrays.stream(values()).filter(Output::inAll).map(o -> o.id).toList());
  }

  /** One requested output: a kind, and for {@code mask-CLASS} the class (a name or id, lower case). */
  record Request(Output kind, String arg) {
    /** As the user wrote it in {@code --outputs}, e.g. {@code overlay} or {@code mask-road}. */
    String name() {
      return kind == MASK ? "mask-" + arg : kind.id;
    }
  }

  /** The outputs a setting asks for, in order, without repeats, {@code all} expanded. */
  record Requests(List<Request> list) implements Iterable<Request> {
    Requests {
      list = List.copyOf(list);
    }

    /**
     * Parses a comma list of output names, {@code mask-CLASS} and {@code all}.
     *
     * @throws Settings.BadValue for an empty list or a name that is not an output
     */
    static Requests parse(String value) {
      String s = value.trim();
      if (s.replace(",", "").isBlank()) {
        throw Settings.bad("outputs", value, "at least one of " + names() + ", mask-CLASS, or all");
      }
      List<Request> out = new ArrayList<>();
      for (String o : s.split(",")) {
        String t = o.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
          continue;
        }
        if (t.equals("all")) {
          for (Output k : values()) {
            if (k.inAll()) {
              add(out, new Request(k, null));
            }
          }
        } else if (t.startsWith("mask-")) {
          add(out, new Request(MASK, t.substring(5)));
        } else {
          Output k = java.util.Arrays.stream(values())
              .filter(x -> x.inAll() && x.id.equals(t))
              .findFirst()
              .orElseThrow(() -> Settings.bad(
                  "outputs", value, "a comma list of " + names() + ", mask-CLASS, or all"));
          add(out, new Request(k, null));
        }
      }
      return new Requests(out);
    }

    /** These outputs, each once. */
    static Requests of(Output... kinds) {
      List<Request> out = new ArrayList<>();
      for (Output k : kinds) {
        add(out, new Request(k, null));
      }
      return new Requests(out);
    }

    private static void add(List<Request> out, Request r) {
      if (!out.contains(r)) {
        out.add(r);
      }
    }

    boolean contains(Output kind) {
      return list.stream().anyMatch(r -> r.kind() == kind);
    }

    /** These outputs and {@code kind} at the end, unless already asked for. */
    Requests with(Output kind) {
      List<Request> out = new ArrayList<>(list);
      add(out, new Request(kind, null));
      return new Requests(out);
    }

    @Override
    public Iterator<Request> iterator() {
      return list.iterator();
    }

    /** As {@code --print-config} shows a value given in words. */
    @Override
    public String toString() {
      return String.join(",", list.stream().map(Request::name).toList());
    }
  }

  /** The {@code --outputs} help's list: every name, {@code mask-CLASS} among them ({@code ${COMPLETION-CANDIDATES}}). */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return java.util.Arrays.stream(values()).map(o -> o.id).iterator();
    }
  }
}
