package dev.segmenter.cli;

import dev.segmenter.engine.ConfigException;
import dev.segmenter.engine.Device;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.image.ImageDecoder;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.model.ModelRegistry;
import dev.segmenter.engine.pipeline.ResizeMode;
import dev.segmenter.engine.pipeline.TileSize;
import dev.segmenter.engine.pipeline.Tta;
import dev.segmenter.engine.render.CardPalettes;
import dev.segmenter.palettes.Palette;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options shared by the commands that run a model: which model, backend, device, palette. How outputs are drawn is
 * {@link RenderOptions}, offered only by the commands that draw. The options that are configuration keys are typed by
 * their {@link Settings.Key}'s converter and default to the property, environment or file value ({@link Settings});
 * read them through {@link #settings}, which knows where each came from.
 */
final class PipelineOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = {"-m", "--model"},
      paramLabel = "MODEL",
      converter = Settings.TrimmedConverter.class,
      description = "A shipped model's name or a model directory (default: enet-streets).")
  String model;

  @Option(
      names = {"-b", "--backend"},
      paramLabel = "NAME",
      converter = Settings.BackendConverter.class,
      description = "auto, onnxruntime, opencv or pytorch.")
  String backend;

  @Option(
      names = "--device",
      paramLabel = "cpu|gpu",
      converter = Settings.DeviceConverter.class,
      description = "Where the network runs (default cpu). gpu without CUDA is an error.")
  Device device;

  @Option(
      names = {"-t", "--threads"},
      paramLabel = "N",
      converter = Settings.ThreadsConverter.class,
      description = "Threads for the runtime and post-processing (0 = all cores).")
  Integer threads;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Configuration file (default ./segmenter.yaml, then ~/.config/segmenter/segmenter.yaml).")
  Path config;

  @Option(
      names = "--resize",
      paramLabel = "nearest|bilinear",
      converter = Settings.ResizeConverter.class,
      description =
          "Back to image size: nearest on the class map (fast) or bilinear on the scores (accurate).")
  ResizeMode resize;

  @Option(
      names = "--palette",
      paramLabel = "NAME|FILE",
      converter = Settings.TrimmedConverter.class,
      description =
          "Built-in palette (voc, cityscapes, ade20k, coco-stuff, generated:N) or a palette file (.json/.yaml/.txt).")
  String palette;

  @Option(names = "--classes", paramLabel = "FILE", description = "Class names, one per line.")
  Path classes;

  @Option(
      names = "--colors",
      paramLabel = "FILE",
      description = "Class colors, one 'B G R' triple per line (as OpenCV's samples).")
  Path colors;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      converter = MaxPixelsConverter.class,
      description = "Refuse images with more pixels, before decoding (default 100000000).")
  long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;

  /** {@code --max-pixels}: a positive number. */
  static final class MaxPixelsConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long n;
      try {
        n = Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a long");
      }
      if (n <= 0) {
        throw new Settings.BadValue("--max-pixels " + n + ": must be a positive number of pixels");
      }
      return n;
    }
  }

  @Option(
      names = "--tile",
      paramLabel = "WxH|auto",
      description = "Sliding-window inference: crops of WxH image "
          + "pixels blended where they overlap; auto tiles at the network's input size only the images above --max-pixels "
          + "(instead of refusing them). Default: the model card's tile, else whole images.",
      converter = TileConverter.class)
  TileSize tile;

  /** {@code --tile}: {@link TileSize#parse}, in the option's words. */
  static final class TileConverter implements CommandLine.ITypeConverter<TileSize> {
    @Override
    public TileSize convert(String value) {
      try {
        return TileSize.parse(value);
      } catch (ConfigException e) {
        throw new Settings.BadValue("--tile " + value.trim() + ": expected " + TileSize.ACCEPTED);
      }
    }
  }

  @Option(
      names = "--overlap",
      paramLabel = "PIXELS|FRACTION",
      description = "Overlap between tiles: whole pixels "
          + "(64) or a fraction of the tile (0.25, the default).",
      converter = OverlapConverter.class)
  Double overlap;

  /** {@code --overlap}: a number (its range is the tile plan's to check). */
  static final class OverlapConverter implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        return Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        throw new Settings.BadValue(
            "--overlap " + value + ": expected whole pixels (64) or a fraction in [0, 1) (0.25)");
      }
    }
  }

  @Option(
      names = "--tta",
      paramLabel = "flip|scales=S,...",
      description = "Test-time augmentation averaged in score "
          + "space: flip (mirror, 2x the passes), scales=0.75,1,1.25 (sum of squares x the passes), or flip+scales=...; "
          + "repeatable.",
      converter = TtaConverter.class)
  java.util.List<Tta> tta;

  /** {@code --tta}: {@link Tta#parse}, its message prefixed with the option. */
  static final class TtaConverter implements CommandLine.ITypeConverter<Tta> {
    @Override
    public Tta convert(String value) {
      try {
        return Tta.parse(value);
      } catch (ConfigException e) {
        throw new Settings.BadValue("--tta " + value + ": " + e.getMessage());
      }
    }
  }

  @Option(
      names = "--print-config",
      description = "Print each effective setting and where it came from, then go on.")
  boolean printConfig;

  /** The effective settings of this command: every configuration key, with where its value came from. */
  Settings settings() {
    return Settings.effective(command);
  }

  ModelCard card(Settings s) {
    return ModelRegistry.resolve(s.model());
  }

  Palette palette(Settings s, ModelCard card) {
    return CardPalettes.forCard(card, s.palette(), classes, colors);
  }

  /** Heap per image pixel the drawn outputs take (color map, overlay, their PNG encoding): for the heap check. */
  static final long OUTPUT_BYTES_PER_PIXEL = 12;

  /** A segmenter whose runtime threads follow the plan; post-processing runs on one thread per inference in a batch. */
  Segmenter segmenter(
      Settings s, ModelCard card, dev.segmenter.engine.ThroughputPlan plan, boolean keepScores) {
    int post = plan.concurrency() > 1 ? 1 : s.threads();
    Segmenter.Builder b = Segmenter.builder()
        .model(card)
        .backend(s.backend())
        .device(s.device())
        .runtimeThreads(plan.runtimeThreads())
        .fastestForBatch(plan.concurrency() > 1)
        .postprocessThreads(post)
        .resize(s.resize())
        .maxPixels(maxPixels)
        .callerBytesPerPixel(OUTPUT_BYTES_PER_PIXEL)
        .keepScores(keepScores);
    return tiling(b).build();
  }

  Segmenter segmenter(Settings s, ModelCard card) {
    return segmenter(s, card, false);
  }

  /** With {@code keepScores}: the segmentations carry the network's scores (for the soft outputs). */
  Segmenter segmenter(Settings s, ModelCard card, boolean keepScores) {
    int t = s.threads();
    Segmenter.Builder b = Segmenter.builder()
        .model(card)
        .backend(s.backend())
        .device(s.device())
        .runtimeThreads(t)
        .fastestForBatch(false)
        .postprocessThreads(t)
        .resize(s.resize())
        .maxPixels(maxPixels)
        .callerBytesPerPixel(OUTPUT_BYTES_PER_PIXEL)
        .keepScores(keepScores);
    return tiling(b).build();
  }

  /**
   * Applies --tile, --overlap and --tta; without --tile the builder falls back to the card's tile (its default
   * {@code tileFromCard}).
   */
  Segmenter.Builder tiling(Segmenter.Builder b) {
    try {
      if (overlap != null) {
        b.tileOverlap(overlap);
      }
      if (tile != null) {
        b.tile(tile);
      }
      if (tta != null) {
        b.tta(tta.stream().reduce(Tta.NONE, Tta::and));
      }
    } catch (ConfigException e) {
      throw new UsageException(e.getMessage());
    }
    return b;
  }
}
