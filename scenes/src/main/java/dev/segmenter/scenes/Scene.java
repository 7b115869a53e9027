package dev.segmenter.scenes;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * One generated street scene: the picture and its per-pixel labels.
 *
 * @param image the picture, {@code TYPE_3BYTE_BGR}
 * @param labels Cityscapes train ids (0..18, 255 void), row-major, {@code width * height}
 * @param seed the seed the scene was generated from
 */
public record Scene(BufferedImage image, byte[] labels, long seed) {
  public Scene {
    if (labels.length != image.getWidth() * image.getHeight()) {
      throw new IllegalArgumentException("labels has " + labels.length + " entries, image is "
          + image.getWidth() + "x" + image.getHeight());
    }
  }

  public int width() {
    return image.getWidth();
  }

  public int height() {
    return image.getHeight();
  }

  /** The labels as an 8-bit gray image whose pixel values are the train ids (a copy). */
  public BufferedImage labelImage() {
    BufferedImage gray = new BufferedImage(width(), height(), BufferedImage.TYPE_BYTE_GRAY);
    byte[] dst = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
    System.arraycopy(labels, 0, dst, 0, labels.length);
    return gray;
  }

  /** Writes {@code baseName.png} (the picture) and {@code baseName.labels.png} (8-bit gray ids) into {@code dir}. */
  public void write(Path dir, String baseName) throws IOException {
    Files.createDirectories(dir);
    writePng(image, dir.resolve(baseName + ".png"));
    writePng(labelImage(), dir.resolve(baseName + ".labels.png"));
  }

  private static void writePng(BufferedImage img, Path file) throws IOException {
    if (!ImageIO.write(img, "png", file.toFile())) {
      throw new IOException("no PNG writer for " + file);
    }
  }
}
