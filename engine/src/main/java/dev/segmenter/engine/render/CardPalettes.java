package dev.segmenter.engine.render;

import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.palette.PaletteFiles;
import dev.segmenter.palettes.Palette;
import dev.segmenter.palettes.Palettes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The palette a model's outputs are drawn with: the card's, or the user's override, checked to cover every class. */
public final class CardPalettes {
  private CardPalettes() {}

  /**
   * Resolves the palette for a model.
   *
   * @param card the model
   * @param palette a built-in palette name or a palette file (.json/.yaml/.txt), or null for the card's
   * @param classesFile one class name per line, or null for the card's names
   * @param colorsFile one {@code B G R} triple per line, or null
   * @throws dev.segmenter.palettes.PaletteException when the palette has fewer colors than the model has classes
   */
  public static Palette forCard(ModelCard card, String palette, Path classesFile, Path colorsFile) {
    Palette p;
    if (palette != null && !palette.isBlank()) {
      Path asFile = Path.of(palette);
      p = Files.exists(asFile) ? PaletteFiles.read(asFile) : Palettes.builtIn(palette);
    } else if (card.paletteName() != null) {
      p = card.paletteName().equalsIgnoreCase("generated")
          ? Palettes.generated(card.classCount())
          : Palettes.builtIn(card.paletteName());
    } else if (card.paletteRgb() != null) {
      p = new Palette(card.name(), card.paletteRgb(), List.of(), 0x000000);
    } else {
      p = Palettes.generated(card.classCount());
    }
    if (colorsFile != null) {
      p = p.withColors(Palettes.readBgrColors(colorsFile))
          .withName(colorsFile.getFileName().toString());
    }
    p.checkCovers(card.classCount(), card.name());
    List<String> names = classesFile != null ? Palettes.readLabels(classesFile) : card.classNames();
    if (classesFile != null && names.size() < card.classCount()) {
      throw new dev.segmenter.palettes.PaletteException(classesFile + " has " + names.size()
          + " class names but model '" + card.name() + "' has " + card.classCount() + " classes");
    }
    return p.withLabels(names.size() > p.size() ? names.subList(0, p.size()) : names);
  }
}
