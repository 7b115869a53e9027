package dev.segmenter.engine.model;

import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.ModelFormat;
import dev.segmenter.engine.pipeline.TileSize;
import dev.segmenter.engine.spi.ModelSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A model: a directory holding {@code model.yaml} and the files it names. Immutable; read with
 * {@link ModelCards#load(Path)}. The schema is documented in {@code models/README.md}.
 */
public final class ModelCard {
  private final Path directory;
  private final String name;
  private final String title;
  private final String description;
  private final String source;
  private final boolean trained;
  private final String domain;
  private final List<String> classNames;
  private final String paletteName;
  private final int[] paletteRgb;
  private final Integer ignoreIndex;
  private final InputSpec input;
  private final OutputSpec output;
  private final Map<ModelFormat, ModelSource> files;
  /** Set once by {@link ModelCards} while loading (kept out of the constructor so cards stay easy to extend). */
  private TileSize tile;

  ModelCard(
      Path directory,
      String name,
      String title,
      String description,
      String source,
      boolean trained,
      String domain,
      List<String> classNames,
      String paletteName,
      int[] paletteRgb,
      Integer ignoreIndex,
      InputSpec input,
      OutputSpec output,
      Map<ModelFormat, ModelSource> files) {
    this.directory = directory;
    this.name = name;
    this.title = title;
    this.description = description;
    this.source = source;
    this.trained = trained;
    this.domain = domain;
    this.classNames = Collections.unmodifiableList(new ArrayList<>(classNames));
    this.paletteName = paletteName;
    this.paletteRgb = paletteRgb == null ? null : paletteRgb.clone();
    this.ignoreIndex = ignoreIndex;
    this.input = input;
    this.output = output;
    this.files = Collections.unmodifiableMap(new EnumMap<>(files));
  }

  /** The model directory. */
  public Path directory() {
    return directory;
  }

  /** The card file, {@code directory/model.yaml}. */
  public Path cardFile() {
    return directory.resolve(ModelCards.CARD_FILE);
  }

  public String name() {
    return name;
  }

  /** One-line title, or the name. */
  public String title() {
    return title == null ? name : title;
  }

  public String description() {
    return description;
  }

  /** Where the files come from (URL or recipe), or null. */
  public String source() {
    return source;
  }

  /** False for untrained, timing-only models. */
  public boolean trained() {
    return trained;
  }

  /**
   * What inputs the model was trained for, in the card's words ({@code domain}), e.g. "generated dash-cam street
   * scenes; not photographs"; null when the card does not say.
   *
   * @return the domain, or null
   */
  public String domain() {
    return domain;
  }

  public int classCount() {
    return classNames.size();
  }

  /** Class names; index = class id. */
  public List<String> classNames() {
    return classNames;
  }

  public String className(int id) {
    return id >= 0 && id < classNames.size() ? classNames.get(id) : "class " + id;
  }

  /** A built-in palette name, or null when the card lists colors (see {@link #paletteRgb()}) or names none. */
  public String paletteName() {
    return paletteName;
  }

  /** The card's own colors as 0xRRGGBB per class, or null. */
  public int[] paletteRgb() {
    return paletteRgb == null ? null : paletteRgb.clone();
  }

  /** The void id used in label images, or null. */
  public Integer ignoreIndex() {
    return ignoreIndex;
  }

  public InputSpec input() {
    return input;
  }

  /**
   * The card's default sliding-window tile, {@code WxH} in image pixels or {@code auto} (field {@code tile}), or null
   * when images go through whole unless asked otherwise.
   */
  public TileSize tile() {
    return tile;
  }

  void tile(TileSize tile) {
    this.tile = tile;
  }

  public OutputSpec output() {
    return output;
  }

  /** The formats this model's files come in, in the card's order of preference (enum order). */
  public Map<ModelFormat, ModelSource> files() {
    return files;
  }

  /** The source for one format, or null when the card names none. */
  public ModelSource file(ModelFormat format) {
    return files.get(format);
  }

  /** Formats whose files are present on disk. */
  public List<ModelFormat> presentFormats() {
    List<ModelFormat> present = new ArrayList<>();
    for (Map.Entry<ModelFormat, ModelSource> e : files.entrySet()) {
      if (Files.isRegularFile(e.getValue().file())
          && (e.getValue().config() == null || Files.isRegularFile(e.getValue().config()))) {
        present.add(e.getKey());
      }
    }
    return present;
  }

  /** The files of {@code format}, checked to exist; otherwise a {@link ModelException} saying which file and where to get it. */
  public ModelSource requireFile(ModelFormat format) {
    ModelSource src = files.get(format);
    if (src == null) {
      throw new ModelException(cardFile() + ": model '" + name + "' has no " + format.key()
          + " file; it has: " + files.keySet().stream().map(ModelFormat::key).toList());
    }
    for (Path p : src.config() == null ? List.of(src.file()) : List.of(src.file(), src.config())) {
      if (!Files.isRegularFile(p)) {
        throw new ModelException("model '" + name + "': file " + p + " is missing"
            + (source == null ? "" : "; get it from: " + source));
      }
    }
    return src;
  }

  @Override
  public String toString() {
    return "ModelCard[" + name + " " + classNames.size() + " classes, " + input.width() + "x"
        + input.height() + ", formats " + files.keySet() + "]";
  }
}
