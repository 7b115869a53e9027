package dev.segmenter.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * One JSON object or array built in a chain ({@code new Json().beginObject().field("image", name)...}), written by
 * the engine's Jackson generator ({@link dev.segmenter.engine.io.Json}), which escapes and formats numbers.
 */
final class Json {
  private final StringWriter out = new StringWriter();
  private final JsonGenerator g = dev.segmenter.engine.io.Json.generator(out);

  /** One generator call, which cannot fail on a {@link StringWriter} but for a misplaced name or value. */
  private interface Step {
    void run() throws IOException;
  }

  private Json write(Step step) {
    try {
      step.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  Json beginObject() {
    return write(g::writeStartObject);
  }

  Json endObject() {
    return write(g::writeEndObject);
  }

  Json beginArray() {
    return write(g::writeStartArray);
  }

  Json endArray() {
    return write(g::writeEndArray);
  }

  Json name(String name) {
    return write(() -> g.writeFieldName(name));
  }

  Json value(String v) {
    return write(() -> g.writeString(v));
  }

  Json value(long v) {
    return write(() -> g.writeNumber(v));
  }

  Json value(boolean v) {
    return write(() -> g.writeBoolean(v));
  }

  /** A finite number as {@link dev.segmenter.engine.io.Json#number(double)} writes it; NaN and infinities as null. */
  Json value(double v) {
    return write(() -> {
      if (Double.isFinite(v)) {
        g.writeNumber(dev.segmenter.engine.io.Json.number(v));
      } else {
        g.writeNull();
      }
    });
  }

  Json field(String name, String v) {
    return name(name).value(v);
  }

  Json field(String name, long v) {
    return name(name).value(v);
  }

  Json field(String name, double v) {
    return name(name).value(v);
  }

  Json field(String name, boolean v) {
    return name(name).value(v);
  }

  @Override
  public String toString() {
    write(g::flush);
    return out.toString();
  }
}
