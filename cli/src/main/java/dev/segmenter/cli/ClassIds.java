package dev.segmenter.cli;

import dev.segmenter.palettes.Palette;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Class ids from what a user types: an id, a class name (any case) or its file-name slug. */
final class ClassIds {
  private ClassIds() {}

  /** The ids of {@code --keep}'s classes (names or numbers); none given: every class but the first. */
  static int[] keep(List<String> names, Palette palette, int classes) {
    if (names == null || names.isEmpty()) {
      int[] ids = new int[Math.max(0, classes - 1)];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = i + 1;
      }
      return ids;
    }
    int[] ids = new int[names.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = of(names.get(i), palette, classes);
    }
    return ids;
  }

  /** The id a name or number stands for, or a usage error listing the model's classes. */
  static int of(String nameOrId, Palette palette, int classes) {
    String s = nameOrId.trim();
    try {
      int id = Integer.parseInt(s);
      if (id >= 0 && id < classes) {
        return id;
      }
    } catch (NumberFormatException e) {
      for (int id = 0; id < classes; id++) {
        if (palette.label(id).equalsIgnoreCase(s)
            || OutputWriter.slug(palette.label(id)).equals(s.toLowerCase(Locale.ROOT))) {
          return id;
        }
      }
    }
    List<String> names = new ArrayList<>();
    for (int id = 0; id < Math.min(classes, 30); id++) {
      names.add(palette.label(id));
    }
    throw new UsageException(
        "class '" + s + "' is not one of the model's classes; accepted: ids 0.." + (classes - 1)
            + " or names: " + String.join(", ", names) + (classes > 30 ? ", ..." : ""));
  }
}
