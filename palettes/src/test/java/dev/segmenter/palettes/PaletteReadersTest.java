package dev.segmenter.palettes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaletteReadersTest {
  @TempDir
  Path dir;

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  @Test
  void labelsSkipBlankLinesAndComments() throws IOException {
    Path f = file(
        "classes.txt", "\uFEFF# Cityscapes\nroad\n\n  sidewalk  \n# a comment\ntraffic light\n");
    assertEquals(List.of("road", "sidewalk", "traffic light"), Palettes.readLabels(f));
  }

  @Test
  void emptyLabelFileNamesTheFile() throws IOException {
    Path f = file("empty.txt", "# nothing\n\n");
    PaletteException e = assertThrows(PaletteException.class, () -> Palettes.readLabels(f));
    assertTrue(e.getMessage().startsWith(f + ": no class names"), e.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    Path f = dir.resolve("nope.txt");
    PaletteException e = assertThrows(PaletteException.class, () -> Palettes.readLabels(f));
    assertTrue(e.getMessage().startsWith(f + ": no such file"), e.getMessage());
  }

  @Test
  void colorsAreBgrTriplesWithSpacesOrCommas() throws IOException {
    Path f = file("colors.txt", "# B G R\n128 64 128\n232,35,244\n\n70, 70 ,70   # building\n");
    assertArrayEquals(new int[] {0x804080, 0xF423E8, 0x464646}, Palettes.readBgrColors(f));
  }

  @Test
  void badColorLinesNameFileAndLine() throws IOException {
    Path two = file("two.txt", "0 0 0\n\n1 2\n");
    PaletteException e = assertThrows(PaletteException.class, () -> Palettes.readBgrColors(two));
    assertTrue(e.getMessage().startsWith(two + ":3: '1 2': found 2 values"), e.getMessage());
    assertTrue(
        e.getMessage().contains("expected three integers B G R from 0 to 255"), e.getMessage());

    Path big = file("big.txt", "0 0 0\n0 300 0\n");
    e = assertThrows(PaletteException.class, () -> Palettes.readBgrColors(big));
    assertTrue(
        e.getMessage().startsWith(big + ":2: '0 300 0': 300 is out of range"), e.getMessage());

    Path word = file("word.txt", "road\n");
    e = assertThrows(PaletteException.class, () -> Palettes.readBgrColors(word));
    assertTrue(e.getMessage().startsWith(word + ":1: 'road': found 1 value;"), e.getMessage());

    Path nan = file("nan.txt", "1 2 x\n");
    e = assertThrows(PaletteException.class, () -> Palettes.readBgrColors(nan));
    assertTrue(
        e.getMessage().startsWith(nan + ":1: '1 2 x': 'x' is not an integer"), e.getMessage());
  }

  @Test
  void nonUtf8IsReported() throws IOException {
    Path f = Files.write(dir.resolve("latin1.txt"), new byte[] {'r', 'o', (byte) 0xE9, '\n'});
    PaletteException e = assertThrows(PaletteException.class, () -> Palettes.readLabels(f));
    assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
  }
}
