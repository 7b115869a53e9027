package dev.segmenter.cli;

import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.SegmenterException;
import dev.segmenter.engine.image.ImageDecoder;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.model.ModelRegistry;
import dev.segmenter.engine.render.Background;
import dev.segmenter.engine.render.CardPalettes;
import dev.segmenter.palettes.Palette;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by the commands that run a model: which model, backend, device and how to draw. */
final class PipelineOptions {
  @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
      description = "A shipped model's name or a model directory (default: enet-streets).")
  String model;

  @Option(names = {"-b", "--backend"}, paramLabel = "NAME", description = "auto, onnxruntime, opencv or pytorch.")
  String backend;

  @Option(names = "--device", paramLabel = "cpu|gpu", description = "Where the network runs (default cpu). gpu without CUDA is an error.")
  String device;

  @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Threads for the runtime and post-processing (0 = all cores).")
  String threads;

  @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (default ./segmenter.yaml, then ~/.config/segmenter/segmenter.yaml).")
  Path config;

  @Option(names = "--resize", paramLabel = "nearest|bilinear", description = "Back to image size: nearest on the class map (fast) or bilinear on the scores (accurate).")
  String resize;

  @Option(names = "--palette", paramLabel = "NAME|FILE", description = "Built-in palette (voc, cityscapes, ade20k, coco-stuff, generated:N) or a palette file (.json/.yaml/.txt).")
  String palette;

  @Option(names = "--classes", paramLabel = "FILE", description = "Class names, one per line.")
  Path classes;

  @Option(names = "--colors", paramLabel = "FILE", description = "Class colors, one 'B G R' triple per line (as OpenCV's samples).")
  Path colors;

  @Option(names = "--alpha", paramLabel = "A", description = "Overlay opacity of the colors, 0..1 (default 0.5).")
  String alpha;

  @Option(names = "--outputs", paramLabel = "LIST", description = "Comma list of: classes, color, overlay, indexed, report, legend, masks, mask-CLASS, cutout, json, prob, background; or all (default classes,color,overlay).")
  String outputs;

  @Option(names = "--void-color", paramLabel = "R,G,B", description = "Color of ids the palette has no color for (void/ignore), e.g. 255,255,255.")
  String voidColor;

  @Option(names = "--transparent", paramLabel = "CLASS", description = "Write NAME.color.png with this class (name or id) transparent, e.g. background.")
  String transparent;

  @Option(names = "--legend-all", description = "List every class in the legend and report, also those absent from the image.")
  boolean legendAll;

  @Option(names = "--max-pixels", paramLabel = "N", description = "Refuse images with more pixels, before decoding (default 100000000).")
  long maxPixels = ImageDecoder.DEFAULT_MAX_PIXELS;

  @Option(names = "--background", paramLabel = "COLOR|IMAGE|blur[:RADIUS]",
      description = "Write NAME.background.png: the kept classes (--keep) over a color (#RRGGBB, R,G,B or white, black, green, blue, gray, red), "
          + "an image file scaled to cover, or the blurred original (radius in pixels, default 15).")
  String background;

  @Option(names = "--hard-edges", description = "Cut-out and background use the class map (alpha 0 or 255) instead of the soft alpha from the probabilities.")
  boolean hardEdges;

  @Option(names = "--print-config", description = "Print each effective setting and where it came from, then go on.")
  boolean printConfig;

  Settings settings() {
    Map<String, String> flags = new HashMap<>();
    flags.put("model", model);
    flags.put("backend", backend);
    flags.put("device", device);
    flags.put("threads", threads);
    flags.put("resize", resize);
    flags.put("palette", palette);
    flags.put("alpha", alpha);
    flags.put("outputs", outputs);
    if (maxPixels <= 0) {
      throw new UsageException("--max-pixels " + maxPixels + ": must be a positive number of pixels");
    }
    return Settings.resolve(config, flags);
  }

  ModelCard card(Settings s) {
    return ModelRegistry.resolve(s.model());
  }

  Palette palette(Settings s, ModelCard card) {
    Palette p = CardPalettes.forCard(card, s.palette(), classes, colors);
    if (voidColor != null) {
      String[] parts = voidColor.split("[,\\s]+");
      int rgb = 0;
      try {
        if (parts.length != 3) {
          throw new NumberFormatException();
        }
        for (String part : parts) {
          int v = Integer.parseInt(part.trim());
          if (v < 0 || v > 255) {
            throw new NumberFormatException();
          }
          rgb = rgb << 8 | v;
        }
      } catch (NumberFormatException e) {
        throw new UsageException("--void-color " + voidColor + ": expected R,G,B with each 0..255, e.g. 255,255,255");
      }
      p = p.withVoid(rgb);
    }
    return p;
  }

  /** The class id --transparent names, or -1. */
  int transparentId(Palette palette, ModelCard card) {
    return transparent == null ? -1 : SegmentCommand.classId(transparent, palette, card.classCount());
  }

  Segmenter segmenter(Settings s, ModelCard card) {
    return segmenter(s, card, needsScores(s));
  }

  /** With {@code keepScores}: the segmentations carry the network's scores (for the soft outputs). */
  Segmenter segmenter(Settings s, ModelCard card, boolean keepScores) {
    int t = s.threads();
    return Segmenter.builder().model(card).backend(s.backend()).device(s.device()).runtimeThreads(t)
        .postprocessThreads(t).resize(s.resize()).maxPixels(maxPixels).keepScores(keepScores).build();
  }

  /** The outputs to write: the setting's, plus {@code background} when --background is given. */
  List<String> outputs(Settings s) {
    List<String> out = new ArrayList<>(s.outputs());
    if (background != null && !out.contains("background")) {
      out.add("background");
    }
    return out;
  }

  /** The background for NAME.background.png: --background, else a blur of the image. */
  Background background() {
    try {
      return background == null ? Background.blur(Background.DEFAULT_BLUR_RADIUS)
          : Background.parse(background, new ImageDecoder(maxPixels));
    } catch (SegmenterException e) {
      throw new UsageException("--background " + background + ": " + e.getMessage());
    }
  }

  /** Soft outputs need the network's probabilities. */
  private boolean needsScores(Settings s) {
    List<String> out = outputs(s);
    return out.contains("prob") || !hardEdges && (out.contains("cutout") || out.contains("background"));
  }
}
