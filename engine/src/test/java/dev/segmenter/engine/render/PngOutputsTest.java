package dev.segmenter.engine.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.ImageException;
import dev.segmenter.engine.SegmenterException;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.palettes.Palette;
import dev.segmenter.palettes.Palettes;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngOutputsTest {
  @TempDir
  Path dir;

  private List<String> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void classIdsRoundTrip8And16Bit() throws IOException {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    for (boolean wide : new boolean[] {false, true}) {
      ClassMap map =
          RandomMaps.map(rnd, 1 + rnd.nextInt(90), 1 + rnd.nextInt(90), wide ? 65535 : 255, wide);
      Path file = PngOutputs.writeClassIds(map, dir.resolve(wide ? "ids16.png" : "ids8.png"));
      BufferedImage raw = ImageIO.read(file.toFile());
      assertEquals(
          wide ? BufferedImage.TYPE_USHORT_GRAY : BufferedImage.TYPE_BYTE_GRAY,
          raw.getType(),
          "seed " + seed);
      ClassMap back = PngOutputs.readClassIds(file);
      assertEquals(wide, back.isWide(), "seed " + seed);
      assertEquals(map.width(), back.width());
      assertEquals(map.height(), back.height());
      assertEquals(1.0, map.agreement(back), "seed " + seed + ": ids read back differ");
    }
  }

  @Test
  void indexedPngCarriesThePaletteAndTheIds() throws IOException {
    Palette voc = Palettes.voc();
    ClassMap map = ClassMap.ofBytes(3, 2, new byte[] {0, 15, 7, (byte) 255, 20, 1});
    Path file = PngOutputs.writeIndexed(map, voc, dir.resolve("gt.png"));
    BufferedImage read = ImageIO.read(file.toFile());
    assertTrue(read.getColorModel() instanceof IndexColorModel, read.toString());
    IndexColorModel icm = (IndexColorModel) read.getColorModel();
    for (int id = 0; id < 256; id++) {
      int expected = voc.rgb(id);
      int got = icm.getRed(id) << 16 | icm.getGreen(id) << 8 | icm.getBlue(id);
      assertEquals(expected, got, "palette entry " + id);
    }
    assertEquals(0xE0E0C0, read.getRGB(0, 1) & 0xFFFFFF, "void drawn in VOC's void color");
    assertEquals(1.0, map.agreement(PngOutputs.readClassIds(file)), "indices read back as ids");
    ClassMap tooWide = ClassMap.ofShorts(2, 1, new short[] {3, 256});
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class,
        () -> PngOutputs.writeIndexed(tooWide, voc, dir.resolve("no.png")));
    assertTrue(e.getMessage().contains("256") && e.getMessage().contains("(1, 0)"), e.getMessage());
    ClassMap smallWide = ClassMap.ofShorts(2, 1, new short[] {3, 255});
    assertEquals(
        1.0,
        smallWide.agreement(PngOutputs.readClassIds(
            PngOutputs.writeIndexed(smallWide, voc, dir.resolve("ok.png")))));
  }

  @Test
  void writesAreAtomicAndLeaveNoTemporaryFiles() throws IOException {
    BgrImage image = RandomMaps.image(new Random(1), 40, 30);
    Path target = dir.resolve("color.png");
    Files.writeString(target, "old content");
    assertEquals(target, PngOutputs.writeImage(image, target));
    assertEquals(List.of("color.png"), files());
    BufferedImage back = ImageIO.read(target.toFile());
    assertEquals(40, back.getWidth());
    int i = 3 * (5 * 40 + 7);
    int expected = (image.data()[i + 2] & 0xFF) << 16
        | (image.data()[i + 1] & 0xFF) << 8
        | (image.data()[i] & 0xFF);
    assertEquals(expected, back.getRGB(7, 5) & 0xFFFFFF);

    Path nested = PngOutputs.writeImage(image, dir.resolve("a/b/overlay.png"));
    assertTrue(Files.isRegularFile(nested));

    // a write that fails half way leaves neither the target nor a temporary file
    SegmenterException e = assertThrows(
        SegmenterException.class,
        () -> OutputFiles.writeOne(
            dir.resolve("broken.png"),
            out -> {
              out.write(1);
              throw new IOException("disk full");
            },
            false));
    assertTrue(
        e.getMessage().contains("broken.png") && e.getMessage().contains("disk full"),
        e.getMessage());
    assertEquals(List.of("a", "color.png"), files());
  }

  @Test
  void writtenFilesAreReadableByOthersOrKeepThePermissionsTheyReplace() throws IOException {
    Path target = dir.resolve("report.png");
    if (Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class)
        == null) {
      return; // no POSIX permissions on this file system
    }
    PngOutputs.writeImage(BgrImage.allocate(2, 2), target);
    assertEquals(
        "rw-r--r--",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(target)));
    Files.setPosixFilePermissions(
        target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
    PngOutputs.writeImage(BgrImage.allocate(3, 3), target);
    assertEquals(
        "rw-rw----",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(target)));
  }

  @Test
  void cutoutKeepsTransparencyThroughPng() throws IOException {
    BgrImage image = new BgrImage(2, 1, new byte[] {1, 2, 3, 4, 5, 6});
    ClassMap map = ClassMap.ofBytes(2, 1, new byte[] {15, 0});
    Path file = PngOutputs.write(Cutout.image(image, map, 15), dir.resolve("person.png"));
    BufferedImage back = ImageIO.read(file.toFile());
    assertEquals(0xFF030201, back.getRGB(0, 0));
    assertEquals(0, back.getRGB(1, 0) >>> 24);
  }

  @Test
  void readingColorOrMissingFilesExplains() throws IOException {
    Path rgb = PngOutputs.writeImage(BgrImage.allocate(2, 2), dir.resolve("rgb.png"));
    ImageException e = assertThrows(ImageException.class, () -> PngOutputs.readClassIds(rgb));
    assertTrue(e.getMessage().startsWith(rgb + ": has 3 channels"), e.getMessage());
    Path missing = dir.resolve("missing.png");
    e = assertThrows(ImageException.class, () -> PngOutputs.readClassIds(missing));
    assertTrue(e.getMessage().startsWith(missing + ": no such file"), e.getMessage());
    Path text = Files.writeString(dir.resolve("text.png"), "not a png");
    e = assertThrows(ImageException.class, () -> PngOutputs.readClassIds(text));
    assertTrue(e.getMessage().startsWith(text + ": not an image"), e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void masksAreZeroOr255() {
    ClassMap map = ClassMap.ofShorts(4, 1, new short[] {0, 300, 7, 300});
    assertArrayEquals(new byte[] {0, (byte) 255, 0, (byte) 255}, Masks.bytes(map, 300));
    assertArrayEquals(new byte[] {(byte) 255, (byte) 255, 0, (byte) 255}, Masks.bytes(map, 0, 300));
    BufferedImage img = Masks.image(map, 7);
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
    assertEquals(255, img.getRaster().getSample(2, 0, 0));
    assertEquals(0, img.getRaster().getSample(1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> Masks.bytes(map));
  }
}
