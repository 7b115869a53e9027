package dev.segmenter.scenes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SceneWriterTest {
  @TempDir
  Path dir;

  @Test
  void writesNumberedPairsThatReadBackExactly() throws IOException {
    assertEquals(3, SceneWriter.write(3, 40, 64, 32, dir));
    for (int i = 0; i < 3; i++) {
      String base = String.format("%04d", i);
      BufferedImage img = ImageIO.read(dir.resolve(base + ".png").toFile());
      BufferedImage lab = ImageIO.read(dir.resolve(base + ".labels.png").toFile());
      assertEquals(64, img.getWidth());
      assertEquals(32, lab.getHeight());
      assertEquals(BufferedImage.TYPE_BYTE_GRAY, lab.getType());
      Scene s = StreetScene.generate(40 + i, 64, 32);
      byte[] back = new byte[64 * 32];
      lab.getRaster().getDataElements(0, 0, 64, 32, back);
      assertArrayEquals(s.labels(), back, "labels of scene " + i);
      assertEquals(s.image().getRGB(10, 20), img.getRGB(10, 20));
    }
    try (var files = Files.list(dir)) {
      assertEquals(6, files.count());
    }
  }
}
