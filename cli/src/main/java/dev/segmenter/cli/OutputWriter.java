package dev.segmenter.cli;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.render.Background;
import dev.segmenter.engine.render.ClassStats;
import dev.segmenter.engine.render.ColorMap;
import dev.segmenter.engine.render.OutputFiles;
import dev.segmenter.engine.render.PngEncoder;
import dev.segmenter.engine.render.SoftMasks;
import dev.segmenter.palettes.Palette;
import java.io.IOException;
import java.io.OutputStream;
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
 * {@link PngEncoder}). Thread-safe: a batch's writer threads share one. What each output draws is its {@link Output}
 * constant's; this class holds what they share.
 */
final class OutputWriter {
  private final Palette palette;
  private final Output.Requests outputs;
  private final float alpha;
  private final int[] keep;
  private int transparentId = -1;
  private boolean legendAll;
  private boolean durable = true;
  private OverlayFormat overlayFormat = OverlayFormat.PNG;
  private Background background;
  private boolean hardEdges;
  /** The segmenter's kernels ({@link #kernels(Kernels)}); until set, the process-wide adaptive ones it defaults to. */
  private Kernels kernels = Kernels.adaptive();

  /** NAME.overlay's format: lossless PNG (default) or JPEG quality 90 (smaller, faster). */
  enum OverlayFormat {
    PNG,
    JPG;

    String extension() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** {@code --overlay-format png|jpg}. */
    static final class Converter implements picocli.CommandLine.ITypeConverter<OverlayFormat> {
      @Override
      public OverlayFormat convert(String value) {
        return switch (value) {
          case "png" -> PNG;
          case "jpg" -> JPG;
          default ->
            throw new Settings.BadValue("--overlay-format " + value + ": expected png or jpg");
        };
      }
    }
  }

  OutputWriter(Palette palette, Output.Requests outputs, float alpha, int[] keep) {
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
    return outputs.contains(Output.BACKGROUND);
  }

  /** The kept classes over the background, as NAME.background.png draws it (also each frame of a video). */
  BgrImage background(Segmentation r) {
    return backgroundOrBlur().render(r.image(), keptAlpha(r), kernels.composite());
  }

  /** The background of NAME.background: {@link #background(Background)}'s, else a blur of the image. */
  Background backgroundOrBlur() {
    return background != null ? background : Background.blur(Background.DEFAULT_BLUR_RADIUS);
  }

  /** Alpha of the kept classes: soft from the probabilities when the segmentation has them, else hard. */
  private byte[] keptAlpha(Segmentation r) {
    return hardEdges || !SoftMasks.available(r)
        ? SoftMasks.hardAlpha(r.classMap(), keep)
        : SoftMasks.alpha(SoftMasks.kept(r, kernels, keep));
  }

  /** Force files to the disk before renaming them into place (default true). */
  OutputWriter durable(boolean durable) {
    this.durable = durable;
    return this;
  }

  /** PNG (lossless, default) or JPEG (quality 90, smaller and faster) for NAME.overlay. */
  OutputWriter overlayFormat(OverlayFormat format) {
    this.overlayFormat = format;
    return this;
  }

  /**
   * The files {@link #write} produces for {@code base} whatever the image holds: every output but the per-class
   * masks of {@code masks} (their names depend on the classes present).
   */
  List<Path> expectedFiles(Path base, int classCount) {
    List<Path> files = new ArrayList<>();
    for (Output.Request o : outputs) {
      for (String suffix : o.kind().expected(this, o.arg(), classCount)) {
        files.add(sibling(base, suffix));
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
    Image img = new Image(this, files, r, base, imageName);
    for (Output.Request o : outputs) {
      o.kind().stage(img, o.arg());
    }
  }

  /**
   * One segmentation while its outputs are staged: what several outputs draw from (the color map, the class
   * statistics, the soft alpha) is computed once, on first use.
   */
  static final class Image {
    private final OutputWriter writer;
    private final OutputFiles files;
    private final Segmentation result;
    private final Path base;
    private final String imageName;
    private BgrImage colors;
    private ClassStats stats;
    private byte[] soft;

    private Image(
        OutputWriter writer, OutputFiles files, Segmentation result, Path base, String imageName) {
      this.writer = writer;
      this.files = files;
      this.result = result;
      this.base = base;
      this.imageName = imageName;
    }

    OutputWriter writer() {
      return writer;
    }

    Segmentation result() {
      return result;
    }

    ClassMap map() {
      return result.classMap();
    }

    /** The image's name as reports and JSON show it. */
    String imageName() {
      return imageName;
    }

    /** Stages {@code NAME.suffix}. */
    void add(String suffix, PngEncoder.PngWriteBody body) {
      files.add(sibling(base, suffix), body);
    }

    /** The palette colors of the class map. */
    BgrImage colors() {
      if (colors == null) {
        colors = new ColorMap(writer.kernels.palette()).bgr(map(), writer.palette);
      }
      return colors;
    }

    ClassStats stats() {
      if (stats == null) {
        stats = ClassStats.of(map(), writer.palette);
      }
      return stats;
    }

    /** Alpha of the kept classes (cut-out, background): soft from the probabilities when there are any. */
    byte[] softAlpha() {
      if (soft == null) {
        soft = writer.keptAlpha(result);
      }
      return soft;
    }
  }

  Palette palette() {
    return palette;
  }

  float alpha() {
    return alpha;
  }

  int transparentId() {
    return transparentId;
  }

  boolean legendAll() {
    return legendAll;
  }

  OverlayFormat overlayFormat() {
    return overlayFormat;
  }

  Kernels kernels() {
    return kernels;
  }

  /** Baseline JPEG, quality 90, 4:2:0 (ImageIO's default subsampling), as most photo tools write. */
  static void writeJpeg(BgrImage image, OutputStream out) throws IOException {
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
    String s =
        name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return s.isEmpty() ? "class" : s;
  }
}
