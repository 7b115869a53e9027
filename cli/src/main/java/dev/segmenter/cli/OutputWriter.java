package dev.segmenter.cli;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.render.Background;
import dev.segmenter.engine.render.ClassStats;
import dev.segmenter.engine.render.ColorMap;
import dev.segmenter.engine.render.Cutout;
import dev.segmenter.engine.render.Legend;
import dev.segmenter.engine.render.Masks;
import dev.segmenter.engine.render.Overlay;
import dev.segmenter.engine.render.PngOutputs;
import dev.segmenter.engine.render.Report;
import dev.segmenter.engine.render.ReportOptions;
import dev.segmenter.engine.render.OutputFiles;
import dev.segmenter.engine.render.PngEncoder;
import dev.segmenter.engine.render.SoftMasks;
import dev.segmenter.palettes.Palette;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes the chosen outputs of one segmentation, all or none ({@link OutputFiles}): every file is written to a
 * temporary beside its target, then all are renamed into place; a failure removes the ones already written. Class
 * ids and color maps go through the PNG encoder's flat setting, pictures through its photo setting (see
 * {@link PngEncoder}). Thread-safe: a batch's writer threads share one.
 */
final class OutputWriter {
  private final Palette palette;
  private final List<String> outputs;
  private final float alpha;
  private final int[] keep;
  private int transparentId = -1;
  private boolean legendAll;
  private boolean durable = true;
  private String overlayFormat = "png";
  private Background background;
  private boolean hardEdges;
  /** The segmenter's kernels ({@link #kernels(Kernels)}); until set, the process-wide adaptive ones it defaults to. */
  private Kernels kernels = Kernels.adaptive();

  OutputWriter(Palette palette, List<String> outputs, float alpha, int[] keep) {
    this.palette = palette;
    this.outputs = outputs;
    this.alpha = alpha;
    this.keep = keep;
  }

  /** Draws with the kernels of the segmenter whose results it writes ({@code Segmenter.kernels()}). */
  OutputWriter kernels(Kernels kernels) {
    this.kernels = java.util.Objects.requireNonNull(kernels, "kernels");
    return this;
  }

  /** NAME.color.png gets alpha 0 where the class is {@code id} (-1: opaque everywhere). */
  OutputWriter transparent(int id) {
    this.transparentId = id;
    return this;
  }

  /** Legends and reports list absent classes too. */
  OutputWriter legendAll(boolean all) {
    this.legendAll = all;
    return this;
  }

  /** NAME.background.png composites over this (default: a blur of the image). */
  OutputWriter background(Background b) {
    this.background = b;
    return this;
  }

  /** Cut-out and background take alpha from the class map (0 or 255) instead of the soft probabilities. */
  OutputWriter hardEdges(boolean hard) {
    this.hardEdges = hard;
    return this;
  }

  /** True when NAME.background is one of the outputs. */
  boolean writesBackground() {
    return outputs.contains("background");
  }

  /** The kept classes over the background, as NAME.background.png draws it (also each frame of a video). */
  BgrImage background(Segmentation r) {
    Background b = background != null ? background : Background.blur(Background.DEFAULT_BLUR_RADIUS);
    return b.render(r.image(), alpha(r), kernels.composite());
  }

  /** Alpha of the kept classes: soft from the probabilities when the segmentation has them, else hard. */
  private byte[] alpha(Segmentation r) {
    return hardEdges || !SoftMasks.available(r) ? SoftMasks.hardAlpha(r.classMap(), keep)
        : SoftMasks.alpha(SoftMasks.kept(r, kernels, keep));
  }

  /** Force files to the disk before renaming them into place (default true). */
  OutputWriter durable(boolean durable) {
    this.durable = durable;
    return this;
  }

  /** {@code png} (lossless, default) or {@code jpg} (quality 90, smaller and faster) for NAME.overlay. */
  OutputWriter overlayFormat(String format) {
    this.overlayFormat = format;
    return this;
  }

  /**
   * The files {@link #write} produces for {@code base} whatever the image holds: every output but the per-class
   * masks of {@code masks} (their names depend on the classes present).
   */
  List<Path> expectedFiles(Path base, int classCount) {
    List<Path> files = new ArrayList<>();
    for (String o : outputs) {
      switch (o) {
        case "classes", "color", "report", "legend", "cutout", "indexed", "background" ->
            files.add(sibling(base, o + ".png"));
        case "prob" -> {
          // not expected: a model with class-id outputs has no probabilities, so no NAME.prob.png
        }
        case "overlay" -> files.add(sibling(base, "overlay." + overlayFormat));
        case "json" -> files.add(sibling(base, "json"));
        case "masks" -> { }
        default -> {
          if (o.startsWith("mask-")) {
            int id = SegmentCommand.classId(o.substring(5), palette, classCount);
            files.add(sibling(base, "mask-" + slug(palette.label(id)) + ".png"));
          }
        }
      }
    }
    return files;
  }

  /**
   * Writes every requested output for {@code base} (a path without extension) and returns the files: all of them,
   * or none when one fails (then an {@link OutputFiles.OutputException} says which and why).
   */
  List<Path> write(Segmentation r, Path base, String imageName) {
    try (OutputFiles files = new OutputFiles(durable)) {
      stage(files, r, base, imageName);
      return files.commit();
    }
  }

  private void stage(OutputFiles files, Segmentation r, Path base, String imageName) {
    ClassMap map = r.classMap();
    BgrImage colors = null;
    ClassStats stats = null;
    byte[] soft = null;
    for (String o : outputs) {
      switch (o) {
        case "classes" -> files.add(sibling(base, "classes.png"), out -> PngOutputs.encodeClassIds(map, out));
        case "indexed" -> {
          if (!map.isWide()) {
            files.add(sibling(base, "indexed.png"), out -> PngOutputs.encodeIndexed(map, palette, out));
          }
        }
        case "color" -> {
          colors = colors != null ? colors : new ColorMap(kernels.palette()).bgr(map, palette);
          if (transparentId >= 0) {
            int[] argb = new ColorMap(kernels.palette()).argbTransparent(map, palette, transparentId);
            files.add(sibling(base, "color.png"),
                out -> PngOutputs.encode(ColorMap.toBufferedImage(map.width(), map.height(), argb), out));
          } else {
            BgrImage c = colors;
            files.add(sibling(base, "color.png"), out -> PngOutputs.encodeColors(c, out));
          }
        }
        case "overlay" -> {
          colors = colors != null ? colors : new ColorMap(kernels.palette()).bgr(map, palette);
          BgrImage overlay = new Overlay(kernels.blend(), kernels.palette()).render(r.image(), colors, alpha);
          if (overlayFormat.equals("jpg")) {
            files.add(sibling(base, "overlay.jpg"), out -> writeJpeg(overlay, out));
          } else {
            files.add(sibling(base, "overlay.png"), out -> PngOutputs.encodePicture(overlay, out));
          }
        }
        case "report" -> {
          String footer = String.format(Locale.ROOT, "%s | model %s%s | backend %s | forward %.1f ms | total %.1f ms",
              imageName, r.model().name(), r.model().domain() == null ? "" : " (trained for: " + r.model().domain() + ")",
              r.backend(), r.timings().forward(), r.timings().total());
          BgrImage rep = new Report(kernels.palette(), kernels.blend()).render(r.image(), map, palette,
              ReportOptions.defaults().withAlpha(alpha).withFooter(footer).withShowAbsent(legendAll));
          files.add(sibling(base, "report.png"), out -> PngOutputs.encodePicture(rep, out));
        }
        case "legend" -> {
          stats = stats != null ? stats : ClassStats.of(map, palette);
          int rows = legendAll ? stats.all().size() : stats.present().size();
          int h = Math.max(160, Math.min(1200, 40 + 28 * rows));
          BgrImage legend = Legend.render(stats, palette, 420, h, legendAll);
          files.add(sibling(base, "legend.png"), out -> PngOutputs.encodeColors(legend, out));
        }
        case "masks" -> {
          stats = stats != null ? stats : ClassStats.of(map, palette);
          for (ClassStats.Entry e : stats.present()) {
            files.add(sibling(base, "mask-" + slug(e.name()) + ".png"),
                out -> PngOutputs.encode(Masks.image(map, e.id()), out));
          }
        }
        case "cutout" -> {
          soft = soft != null ? soft : alpha(r);
          byte[] a = soft;
          files.add(sibling(base, "cutout.png"), out -> PngOutputs.encode(Cutout.image(r.image(), a), out));
        }
        case "prob" -> {
          // class-id outputs carry no probabilities: nothing to write
          if (SoftMasks.available(r)) {
            java.awt.image.BufferedImage prob = SoftMasks.probabilityImage(SoftMasks.confidence(r, kernels), r.width(),
                r.height());
            files.add(sibling(base, "prob.png"), out -> PngOutputs.encode(prob, out));
          }
        }
        case "background" -> {
          soft = soft != null ? soft : alpha(r);
          Background b = background != null ? background : Background.blur(Background.DEFAULT_BLUR_RADIUS);
          BgrImage composed = b.render(r.image(), soft, kernels.composite());
          files.add(sibling(base, "background.png"), out -> PngOutputs.encodePicture(composed, out));
        }
        case "json" -> {
          stats = stats != null ? stats : ClassStats.of(map, palette);
          byte[] text = (SegmentCommand.json(r, imageName, palette, stats, true) + "\n").getBytes(StandardCharsets.UTF_8);
          files.add(sibling(base, "json"), out -> out.write(text));
        }
        default -> {
          if (o.startsWith("mask-")) {
            int id = SegmentCommand.classId(o.substring(5), palette, r.model().classCount());
            files.add(sibling(base, "mask-" + slug(palette.label(id)) + ".png"),
                out -> PngOutputs.encode(Masks.image(map, id), out));
          }
        }
      }
    }
  }

  /** Baseline JPEG, quality 90, 4:2:0 (ImageIO's default subsampling), as most photo tools write. */
  private static void writeJpeg(BgrImage image, OutputStream out) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(0.9f);
      writer.write(null, new IIOImage(image.toBufferedImage(), null, null), p);
    } finally {
      writer.dispose();
    }
  }

  static Path sibling(Path base, String suffix) {
    return base.resolveSibling(base.getFileName() + "." + suffix);
  }

  static String slug(String name) {
    String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return s.isEmpty() ? "class" : s;
  }
}
