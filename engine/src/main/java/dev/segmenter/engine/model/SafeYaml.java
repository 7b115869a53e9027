package dev.segmenter.engine.model;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The one YAML loader of the project (model cards, configuration and palette files), with limits a hostile
 * file cannot get past: at most {@value #MAX_DEPTH} levels of nesting (the loader builds nested values
 * recursively, so 2,000 nested {@code [} would overflow the stack), at most 10 aliases per collection (no
 * "billion laughs"), no duplicate keys, at most {@value #MAX_CHARS} characters. JSON is read with the same limits
 * ({@link dev.segmenter.engine.io.Json}).
 *
 * <pre>{@code
 * Object root = SafeYaml.load(Files.readString(file), file.toString());
 * }</pre>
 */
public final class SafeYaml {
  /** The deepest nesting of lists and mappings accepted; the project's files use 3 levels. */
  public static final int MAX_DEPTH = 64;
  /** The longest document accepted, in characters (snakeyaml-engine's own default, stated here for JSON to share). */
  public static final int MAX_CHARS = 3 * 1024 * 1024;

  private SafeYaml() {}

  /**
   * Parses one YAML document.
   *
   * @param text the document
   * @param label the file name used in messages
   * @return maps, lists, strings, numbers and booleans; null for an empty document
   * @throws YamlEngineException for text that is not valid YAML or is nested deeper than {@link #MAX_DEPTH}
   */
  public static Object load(String text, String label) {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(label)
        .setAllowDuplicateKeys(false)
        .setMaxAliasesForCollections(10)
        .setCodePointLimit(MAX_CHARS)
        .build();
    // the event parser keeps its own stack (no recursion): count the depth there before the
    // recursive composer runs
    int depth = 0;
    for (Event e : new Parse(settings).parseString(text)) {
      switch (e.getEventId()) {
        case SequenceStart, MappingStart -> {
          if (++depth > MAX_DEPTH) {
            Optional<Mark> at = e.getStartMark();
            throw new YamlEngineException(
                "lists and mappings are nested deeper than " + MAX_DEPTH + " levels"
                    + at.map(m -> " (at line " + (m.getLine() + 1) + ")").orElse("")
                    + "; a settings file needs a few");
          }
        }
        case SequenceEnd, MappingEnd -> depth--;
        default -> {
          // scalars, aliases and document markers do not nest
        }
      }
    }
    return new Load(settings).loadFromString(text);
  }
}
