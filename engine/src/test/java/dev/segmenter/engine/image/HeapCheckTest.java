package dev.segmenter.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ImageException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An image is measured against the free heap before it is decoded (issue 21). */
class HeapCheckTest {
  @TempDir
  Path tmp;

  @Test
  void anImageThatCannotFitIsRefusedBeforeDecodingAndTheNextOneIsRead() throws IOException {
    Path f = tmp.resolve("a.png");
    ImageIO.write(new BufferedImage(300, 200, BufferedImage.TYPE_3BYTE_BGR), "png", f.toFile());
    long max = Runtime.getRuntime().maxMemory();
    // per pixel: more than the whole heap divided by the image's pixels
    ImageDecoder tooHungry = new ImageDecoder().withHeapCheck(max / (300 * 200) + 1, 0);
    ImageException e = assertThrows(ImageException.class, () -> tooHungry.read(f));
    assertTrue(
        e.getMessage()
            .matches(".*a\\.png: 300x200 needs ~\\d+ MB, heap has \\d+ MB free of \\d+ MB "
                + "\\(raise -Xmx / SEGMENTER_JAVA_OPTS\\)"),
        e.getMessage());
    ImageDecoder fixedTooLarge = new ImageDecoder().withHeapCheck(1, max);
    assertThrows(ImageException.class, () -> fixedTooLarge.read(f));
    ImageDecoder modest = new ImageDecoder().withHeapCheck(64, 1 << 20);
    assertEquals(300, modest.read(f).width());
  }
}
