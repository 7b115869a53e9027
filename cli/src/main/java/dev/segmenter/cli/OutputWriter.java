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
import dev.segmenter.engine.render.OverlayOptions;
import dev.segmenter.engine.render.PngOutputs;
import dev.segmenter.engine.render.Report;
import dev.segmenter.engine.render.ReportOptions;
import dev.segmenter.engine.render.SoftMasks;
import dev.segmenter.palettes.Palette;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes the chosen outputs of one segmentation, each atomically (temporary file, then rename). */
final class OutputWriter {
  private final Palette palette;
  private final List<String> outputs;
  private final float alpha;
  private final int[] keep;
  private int transparentId = -1;
  private boolean legendAll;
  private Background background;
  private boolean hardEdges;
  private final Kernels kernels = Kernels.adaptive();

  OutputWriter(Palette palette, List<String> outputs, float alpha, int[] keep) {
    this.palette = palette;
    this.outputs = outputs;
    this.alpha = alpha;
    this.keep = keep;
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

  /** Alpha of the kept classes: soft from the probabilities when the segmentation has them, else hard. */
  private byte[] alpha(Segmentation r) {
    return hardEdges || !SoftMasks.available(r) ? SoftMasks.hardAlpha(r.classMap(), keep)
        : SoftMasks.alpha(SoftMasks.kept(r, kernels, keep));
  }

  /** Writes every requested output for {@code base} (a path without extension) and returns the files. */
  List<Path> write(Segmentation r, Path base, String imageName) {
    List<Path> written = new ArrayList<>();
    ClassMap map = r.classMap();
    BgrImage colors = null;
    BgrImage overlay = null;
    ClassStats stats = null;
    byte[] soft = null;
    for (String o : outputs) {
      switch (o) {
        case "classes" -> written.add(PngOutputs.writeClassIds(map, sibling(base, "classes.png")));
        case "indexed" -> {
          if (!map.isWide()) {
            written.add(PngOutputs.writeIndexed(map, palette, sibling(base, "indexed.png")));
          }
        }
        case "color" -> {
          colors = colors != null ? colors : new ColorMap(kernels.palette()).bgr(map, palette);
          if (transparentId >= 0) {
            int[] argb = new ColorMap(kernels.palette()).argbTransparent(map, palette, transparentId);
            written.add(PngOutputs.write(ColorMap.toBufferedImage(map.width(), map.height(), argb),
                sibling(base, "color.png")));
          } else {
            written.add(PngOutputs.writeImage(colors, sibling(base, "color.png")));
          }
        }
        case "overlay" -> {
          colors = colors != null ? colors : new ColorMap(kernels.palette()).bgr(map, palette);
          overlay = new Overlay(kernels.blend(), kernels.palette()).render(r.image(), colors, alpha);
          written.add(PngOutputs.writeImage(overlay, sibling(base, "overlay.png")));
        }
        case "report" -> {
          String footer = String.format(Locale.ROOT, "%s | model %s | backend %s | forward %.1f ms | total %.1f ms",
              imageName, r.model().name(), r.backend(), r.timings().forward(), r.timings().total());
          BgrImage rep = new Report(kernels.palette(), kernels.blend()).render(r.image(), map, palette,
              ReportOptions.defaults().withAlpha(alpha).withFooter(footer).withShowAbsent(legendAll));
          written.add(PngOutputs.writeImage(rep, sibling(base, "report.png")));
        }
        case "legend" -> {
          stats = stats != null ? stats : ClassStats.of(map, palette);
          int rows = legendAll ? stats.all().size() : stats.present().size();
          int h = Math.max(160, Math.min(1200, 40 + 28 * rows));
          written.add(PngOutputs.writeImage(Legend.render(stats, palette, 420, h, legendAll), sibling(base, "legend.png")));
        }
        case "masks" -> {
          stats = stats != null ? stats : ClassStats.of(map, palette);
          for (ClassStats.Entry e : stats.present()) {
            written.add(PngOutputs.write(Masks.image(map, e.id()), sibling(base, "mask-" + slug(e.name()) + ".png")));
          }
        }
        case "cutout" -> {
          soft = soft != null ? soft : alpha(r);
          written.add(PngOutputs.write(Cutout.image(r.image(), soft), sibling(base, "cutout.png")));
        }
        case "prob" -> {
          // class-id outputs carry no probabilities: nothing to write
          if (SoftMasks.available(r)) {
            written.add(PngOutputs.write(SoftMasks.probabilityImage(SoftMasks.confidence(r, kernels), r.width(),
                r.height()), sibling(base, "prob.png")));
          }
        }
        case "background" -> {
          soft = soft != null ? soft : alpha(r);
          Background b = background != null ? background : Background.blur(Background.DEFAULT_BLUR_RADIUS);
          written.add(PngOutputs.writeImage(b.render(r.image(), soft, kernels.composite()),
              sibling(base, "background.png")));
        }
        case "json" -> {
          stats = stats != null ? stats : ClassStats.of(map, palette);
          written.add(writeText(sibling(base, "json"), SegmentCommand.json(r, imageName, palette, stats, true) + "\n"));
        }
        default -> {
          if (o.startsWith("mask-")) {
            int id = SegmentCommand.classId(o.substring(5), palette, r.model().classCount());
            written.add(PngOutputs.write(Masks.image(map, id), sibling(base, "mask-" + slug(palette.label(id)) + ".png")));
          }
        }
      }
    }
    return written;
  }

  static Path sibling(Path base, String suffix) {
    return base.resolveSibling(base.getFileName() + "." + suffix);
  }

  static String slug(String name) {
    String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return s.isEmpty() ? "class" : s;
  }

  static Path writeText(Path target, String text) {
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp");
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      return target;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
