package dev.segmenter.engine.palette;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.palettes.Palette;
import dev.segmenter.palettes.PaletteException;
import dev.segmenter.palettes.Palettes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaletteFilesTest {
  @TempDir
  Path dir;

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void jsonWrittenByToJsonReadsBackTheSamePalette() throws IOException {
    for (Palette p : List.of(Palettes.voc(), Palettes.ade20k(), Palettes.cocoStuff())) {
      Palette back = PaletteFiles.read(file(p.name() + ".json", PaletteFiles.toJson(p)));
      assertEquals(p.labels(), back.labels(), p.name());
      assertEquals(p.size(), back.size(), p.name());
      for (int id = 0; id < p.size(); id++) {
        assertEquals(p.rgb(id), back.rgb(id), p.name() + " id " + id);
      }
    }
  }

  @Test
  void yamlColumnsAndEntriesWithoutIds() throws IOException {
    Palette cols = PaletteFiles.read(
        file(
            "p.yaml",
            "labels: [road, sky]\ncolors:\n  - [128, 64, 128]\n  - [70, 130, 180]\n  - [1, 2, 3]\nvoid: [255, 255, 255]\n"));
    assertEquals(3, cols.size());
    assertEquals("sky", cols.label(1));
    assertEquals("class 2", cols.label(2));
    assertEquals(0x010203, cols.rgb(2));
    assertEquals(0xFFFFFF, cols.voidRgb());
    Palette entries =
        PaletteFiles.read(file("q.yml", "- {rgb: [1, 2, 3]}\n- {name: b, rgb: [4, 5, 6]}\n"));
    assertEquals(0x040506, entries.rgb(1));
    assertEquals("class 0", entries.label(0));
    Palette shuffled = PaletteFiles.read(file(
        "s.json",
        "[{\"id\":1,\"name\":\"b\",\"rgb\":[0,0,1]},{\"id\":0,\"name\":\"a\",\"rgb\":[0,0,2]}]"));
    assertEquals(List.of("a", "b"), shuffled.labels());
    assertEquals(2, shuffled.rgb(0));
  }

  @Test
  void textFilesAreColorsOrLabels() throws IOException {
    Palette colors = PaletteFiles.read(file("colors.txt", "# B G R\n128 64 128\n0,0,255\n"));
    assertEquals(0x804080, colors.rgb(0));
    assertEquals(0xFF0000, colors.rgb(1));
    Palette labels = PaletteFiles.read(file("labels.txt", "road\nsky\n"));
    assertEquals(List.of("road", "sky"), labels.labels());
    assertEquals(Palettes.generated(2).rgb(1), labels.rgb(1));
    Palette both = PaletteFiles.read(dir.resolve("labels.txt"), dir.resolve("colors.txt"));
    assertEquals("sky", both.label(1));
    assertEquals(0xFF0000, both.rgb(1));
  }

  @Test
  void errorsNameTheFileAndTheEntry() throws IOException {
    Path badRgb = file("bad.json", "[{\"id\":0,\"rgb\":[1,2,3]},{\"id\":1,\"rgb\":[1,2]}]");
    PaletteException e = assertThrows(PaletteException.class, () -> PaletteFiles.read(badRgb));
    assertTrue(
        e.getMessage()
            .startsWith(badRgb + ": entry 2 (id 1): 'rgb' is [1, 2]; expected three integers"),
        e.getMessage());
    Path range = file("range.json", "{\"colors\": [[0, 0, 256]]}");
    e = assertThrows(PaletteException.class, () -> PaletteFiles.read(range));
    assertTrue(
        e.getMessage()
            .startsWith(range + ": colors[0] blue is 256; expected an integer from 0 to 255"),
        e.getMessage());
    Path gap = file("gap.json", "[{\"id\":0,\"rgb\":[1,2,3]},{\"id\":2,\"rgb\":[1,2,3]}]");
    e = assertThrows(PaletteException.class, () -> PaletteFiles.read(gap));
    assertTrue(e.getMessage().contains("class id 1 is missing"), e.getMessage());
    Path dup = file("dup.json", "[{\"id\":0,\"rgb\":[1,2,3]},{\"id\":0,\"rgb\":[1,2,3]}]");
    e = assertThrows(PaletteException.class, () -> PaletteFiles.read(dup));
    assertTrue(e.getMessage().contains("id 0 appears twice"), e.getMessage());
    Path syntax = file("syntax.json", "[{\"id\":0,\n \"rgb\":[1,2,3]");
    e = assertThrows(PaletteException.class, () -> PaletteFiles.read(syntax));
    assertTrue(e.getMessage().startsWith(syntax + ": not valid JSON"), e.getMessage());
    assertTrue(e.getMessage().contains("line"), "the parser's position is kept: " + e.getMessage());
    Path scalar = file("scalar.yaml", "hello");
    e = assertThrows(PaletteException.class, () -> PaletteFiles.read(scalar));
    assertTrue(e.getMessage().contains("holds a string"), e.getMessage());
    Path other = file("p.csv", "x");
    e = assertThrows(PaletteException.class, () -> PaletteFiles.read(other));
    assertTrue(e.getMessage().contains("accepted: .json, .yaml, .yml"), e.getMessage());
    Path colorsTxt = file("c.txt", "1 2 3\n4 5\n");
    e = assertThrows(PaletteException.class, () -> PaletteFiles.read(colorsTxt));
    assertTrue(e.getMessage().startsWith(colorsTxt + ":2:"), e.getMessage());
  }

  @Test
  void jsonListsEveryClassOnItsLineAndEscapesNames() {
    Palette p = new Palette(
        "t",
        new int[] {0x804080, 0x000001, 0x0A0B0C},
        List.of("ro\"ad\\", "tab\there", "line\u2028sep\u0001"),
        0);
    assertEquals(
        "[\n  {\"id\":0,\"name\":\"ro\\\"ad\\\\\",\"rgb\":[128,64,128]},\n"
            + "  {\"id\":1,\"name\":\"tab\\there\",\"rgb\":[0,0,1]},\n"
            + "  {\"id\":2,\"name\":\"line\\u2028sep\\u0001\",\"rgb\":[10,11,12]}\n]\n",
        PaletteFiles.toJson(p));
    String voc = PaletteFiles.toJson(Palettes.voc());
    assertTrue(voc.contains("{\"id\":15,\"name\":\"person\",\"rgb\":[192,128,128]}"), voc);
  }

  @Test
  void jsonIsReadStrictlyWithTheYamlLimits() throws IOException {
    Path deep = file("deep.json", "[".repeat(65) + "]".repeat(65));
    PaletteException e = assertThrows(PaletteException.class, () -> PaletteFiles.read(deep));
    assertTrue(e.getMessage().startsWith(deep + ": not valid JSON: "), e.getMessage());
    Path dupKey = file("dupkey.json", "{\"colors\": [[1,2,3]], \"colors\": [[4,5,6]]}");
    e = assertThrows(PaletteException.class, () -> PaletteFiles.read(dupKey));
    assertTrue(e.getMessage().contains("colors"), e.getMessage());
    Path trailing = file("trailing.json", "{\"colors\": [[1,2,3]]} x");
    assertThrows(PaletteException.class, () -> PaletteFiles.read(trailing));
    Path huge = file("huge.json", "{\"colors\": [[1,2,18446744073709551617]]}");
    e = assertThrows(PaletteException.class, () -> PaletteFiles.read(huge));
    assertTrue(e.getMessage().contains("expected an integer from 0 to 255"), e.getMessage());
    Path empty = file("empty.json", " \n");
    e = assertThrows(PaletteException.class, () -> PaletteFiles.read(empty));
    assertTrue(e.getMessage().contains("is empty"), e.getMessage());
  }
}
