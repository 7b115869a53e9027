package dev.segmenter.engine.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenter.engine.model.SafeYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Locale;

/**
 * The project's JSON, written and read by Jackson configured once: what the CLI prints and writes
 * ({@code --json} lines, {@code NAME.json}), palette files. Writing escapes control characters as <code>&#92;u00xx</code>
 * (except {@code \n \r \t}) and U+2028/U+2029 too, so a JSON line stays one line for any line splitter; numbers
 * follow {@link #number(double)}. Reading has the limits of {@link SafeYaml}: at most {@value #MAX_DEPTH} levels of
 * nesting, no duplicate keys, at most {@value SafeYaml#MAX_CHARS} characters, nothing after the document.
 *
 * <pre>{@code
 * try (JsonGenerator g = Json.generator(writer)) {
 *   g.writeStartObject();
 *   g.writeStringField("image", name);
 *   g.writeFieldName("score");
 *   g.writeNumber(Json.number(score));
 *   g.writeEndObject();
 * }
 * Object tree = Json.read(text); // maps, lists, strings, numbers, booleans, null
 * }</pre>
 */
public final class Json {
  /** The deepest nesting of arrays and objects accepted when reading (as {@link SafeYaml#MAX_DEPTH}). */
  public static final int MAX_DEPTH = SafeYaml.MAX_DEPTH;

  private static final JsonFactory FACTORY = new JsonFactoryBuilder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH)
          .maxDocumentLength(SafeYaml.MAX_CHARS)
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .characterEscapes(new Escapes())
      .build();
  private static final ObjectMapper MAPPER =
      new ObjectMapper(FACTORY).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /** A generator onto {@code out} with the project's escaping; closing it closes {@code out}. */
  public static JsonGenerator generator(Writer out) {
    try {
      return FACTORY.createGenerator(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code value} (maps, lists, arrays, strings, numbers, booleans) as JSON on one line. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * A number as the project writes it: integers (below 10^15) without a fraction, others with up to 6 significant
   * digits ({@code 0.333333}, {@code 1.5e-07}), NaN and infinities as {@code null}.
   */
  public static String number(double v) {
    if (!Double.isFinite(v)) {
      return "null";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, "%.6g", v);
    if (s.contains("e") || s.contains("E")) {
      return s;
    }
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }

  /**
   * Parses one JSON document.
   *
   * @return maps (in document order), lists, strings, numbers ({@code Integer}, {@code Long}, {@code BigInteger},
   *     {@code Double}), booleans; null for an empty document
   * @throws IllegalArgumentException for text that is not valid JSON, with what is wrong and its line and column
   */
  public static Object read(String text) {
    if (text.isBlank()) {
      return null;
    }
    try {
      return MAPPER.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(describe(e), e);
    }
  }

  /** Jackson's message without its source excerpt, and where it happened. */
  private static String describe(JsonProcessingException e) {
    String m =
        e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    m = m.replaceAll("\\s*\\(start marker at \\[Source: [^\\]]*\\]\\)", "")
        .replaceAll("\\s+", " ")
        .trim();
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1
        ? m
        : m + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  /** Control characters as lower-case <code>&#92;u00xx</code> (but {@code \n \r \t}), and the two Unicode line separators. */
  private static final class Escapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii = standardAsciiEscapesForJSON();

    Escapes() {
      for (int c = 0; c < 0x20; c++) {
        if (c != '\n' && c != '\r' && c != '\t') {
          ascii[c] = ESCAPE_CUSTOM;
        }
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch < 0x20 || ch == 0x2028 || ch == 0x2029
          ? new SerializedString(String.format(Locale.ROOT, "\\u%04x", ch))
          : null;
    }
  }
}
