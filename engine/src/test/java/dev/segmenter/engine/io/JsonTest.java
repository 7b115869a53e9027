package dev.segmenter.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void stringsAreEscapedAsTheProjectAlwaysDid() throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = Json.generator(w)) {
      g.writeString("q\" b\\ n\n r\r t\t bs\b ff\f nul\u0000 us\u001f ls\u2028 ps\u2029 é 猫 😀 /");
    }
    assertEquals(
        "\"q\\\" b\\\\ n\\n r\\r t\\t bs\\u0008 ff\\u000c nul\\u0000 us\\u001f ls\\u2028 ps\\u2029 é 猫 😀 /\"",
        w.toString());
  }

  @Test
  void mapsKeepTheirOrderAndNumbersTheirForm() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", 1);
    m.put("a", List.of(1, 2));
    m.put("rgb", new int[] {0, 128, 255});
    m.put("none", null);
    assertEquals("{\"z\":1,\"a\":[1,2],\"rgb\":[0,128,255],\"none\":null}", Json.write(m));
  }

  @Test
  void numbersHaveAtMostSixSignificantDigits() {
    assertEquals("3", Json.number(3.0));
    assertEquals("-2", Json.number(-2.0));
    assertEquals("0.333333", Json.number(1.0 / 3));
    assertEquals("0.5", Json.number(0.5));
    assertEquals("123457", Json.number(123456.7));
    assertEquals("1.50000e-07", Json.number(1.5e-7));
    assertEquals("1.00000e+15", Json.number(1e15));
    assertEquals("null", Json.number(Double.NaN));
    assertEquals("null", Json.number(Double.NEGATIVE_INFINITY));
  }

  @Test
  void readingGivesTheTreeSafeYamlGives() {
    Object tree =
        Json.read("{\"b\": [1, 2.5, 9999999999, 18446744073709551617, true, null, \"x\"]}");
    assertEquals(
        Map.of(
            "b",
            java.util.Arrays.asList(
                1, 2.5, 9999999999L, new BigInteger("18446744073709551617"), true, null, "x")),
        tree);
    assertNull(Json.read("  \n"));
  }

  @Test
  void readingRefusesWhatSafeYamlRefuses() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class,
        () -> Json.read("[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1)));
    assertTrue(e.getMessage().contains("64"), e.getMessage());
    Json.read("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH));
    e = assertThrows(IllegalArgumentException.class, () -> Json.read("{\"a\": 1,\n \"a\": 2}"));
    assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("line 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Json.read("[1] [2]"));
    String big = "[\"" + "a".repeat(dev.segmenter.engine.model.SafeYaml.MAX_CHARS) + "\"]";
    e = assertThrows(IllegalArgumentException.class, () -> Json.read(big));
    assertTrue(e.getMessage().contains("length"), e.getMessage());
    e = assertThrows(
        IllegalArgumentException.class, () -> Json.read("[{\"id\":0,\n \"rgb\":[1,2,3]"));
    assertTrue(
        !e.getMessage().contains("Source") && e.getMessage().contains("line 2"), e.getMessage());
  }
}
