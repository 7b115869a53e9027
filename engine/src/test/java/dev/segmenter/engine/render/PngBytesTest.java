package dev.segmenter.engine.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.ImageException;
import dev.segmenter.engine.image.BgrImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In-memory PNGs (what Spark rows carry) are byte for byte the files the CLI writes, and read back losslessly. */
class PngBytesTest {
  @TempDir
  Path dir;

  @Test
  void classIdsInMemoryEqualTheWrittenFileAndReadBack() throws Exception {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    for (int wide = 0; wide < 2; wide++) {
      int w = 1 + rnd.nextInt(97);
      int h = 1 + rnd.nextInt(61);
      ClassMap map;
      if (wide == 1) {
        short[] ids = new short[w * h];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = (short) rnd.nextInt(300);
        }
        map = ClassMap.ofShorts(w, h, ids);
      } else {
        byte[] ids = new byte[w * h];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = (byte) rnd.nextInt(19);
        }
        map = ClassMap.ofBytes(w, h, ids);
      }
      byte[] bytes = PngOutputs.png(PngOutputs.classIdsImage(map));
      Path file = PngOutputs.writeClassIds(map, dir.resolve("m" + wide + ".classes.png"));
      assertArrayEquals(Files.readAllBytes(file), bytes, "seed " + seed);
      assertArrayEquals(bytes, PngOutputs.classIdsPng(map), "seed " + seed);
      ClassMap back = PngOutputs.readClassIds(bytes, "row 1");
      assertEquals(map.isWide(), back.isWide(), "seed " + seed);
      for (int i = 0; i < map.pixels(); i++) {
        assertEquals(map.get(i), back.get(i), "pixel " + i + ", seed " + seed);
      }
    }
  }

  @Test
  void bgrImageInMemoryEqualsTheWrittenFile() throws Exception {
    byte[] data = new byte[37 * 23 * 3];
    new Random(7).nextBytes(data);
    BgrImage img = new BgrImage(37, 23, data);
    Path file = PngOutputs.writeImage(img, dir.resolve("x.overlay.png"));
    assertArrayEquals(Files.readAllBytes(file), PngOutputs.png(img.toBufferedImage()));
    assertArrayEquals(Files.readAllBytes(file), PngOutputs.picturePng(img));
    Path colors = PngOutputs.writeImage(img, PngEncoder.flat(), dir.resolve("x.color.png"));
    assertArrayEquals(Files.readAllBytes(colors), PngOutputs.colorsPng(img));
  }

  @Test
  void bytesThatAreNoImageNameTheirSource() {
    ImageException e = assertThrows(
        ImageException.class,
        () -> PngOutputs.readClassIds(new byte[] {1, 2, 3}, "hdfs:/labels/a.png"));
    assertEquals(true, e.getMessage().startsWith("hdfs:/labels/a.png: "), e.getMessage());
  }
}
