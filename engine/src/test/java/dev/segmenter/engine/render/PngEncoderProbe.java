package dev.segmenter.engine.render;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.image.ImageDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Chooses the encoder's settings by measurement: for each picture kind (class ids, color map, overlay) of the files
 * in a folder written by {@code segment} (NAME.classes.png, NAME.color.png, NAME.overlay.png), the milliseconds
 * and bytes per picture of every filter and level, and of ImageIO's writer. Not a test; run by hand:
 * {@code java -cp engine/target/classes:engine/target/test-classes:... dev.segmenter.engine.render.PngEncoderProbe DIR}.
 */
public final class PngEncoderProbe {
  private PngEncoderProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    for (String kind : List.of("classes", "color", "overlay")) {
      List<Path> files;
      try (var s = Files.list(dir)) {
        files = s.filter(p -> p.getFileName().toString().endsWith("." + kind + ".png"))
            .sorted()
            .limit(n)
            .toList();
      }
      java.awt.image.BufferedImage[] raw = new java.awt.image.BufferedImage[files.size()];
      BgrImage[] bgr = new BgrImage[files.size()];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = ImageIO.read(files.get(i).toFile());
        bgr[i] = kind.equals("classes") ? null : new ImageDecoder().read(files.get(i));
      }
      System.out.printf(
          Locale.ROOT,
          "%s (%d pictures, %dx%d)%n",
          kind,
          raw.length,
          raw[0].getWidth(),
          raw[0].getHeight());
      for (int rep = 0; rep < 2; rep++) {
        boolean print = rep == 1;
        time("imageio", print, raw.length, i -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          ImageIO.write(raw[i], "png", out);
          return out.size();
        });
        for (PngEncoder.Filter f : PngEncoder.Filter.values()) {
          for (int level : new int[] {-1, 1, 2, 6}) {
            PngEncoder enc = level < 0 ? new PngEncoder(1, f, true) : new PngEncoder(level, f);
            time(f + (level < 0 ? " huffman" : " level " + level), print, raw.length, i -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              if (bgr[i] == null) {
                byte[] d =
                    ((java.awt.image.DataBufferByte) raw[i].getRaster().getDataBuffer()).getData();
                enc.gray8(d, raw[i].getWidth(), raw[i].getHeight(), out);
              } else {
                enc.bgr(bgr[i].data(), bgr[i].width(), bgr[i].height(), out);
              }
              return out.size();
            });
          }
        }
      }
    }
  }

  interface Body {
    int run(int i) throws Exception;
  }

  private static void time(String name, boolean print, int n, Body body) throws Exception {
    long bytes = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      bytes += body.run(i);
    }
    double ms = (System.nanoTime() - t0) / 1e6 / n;
    if (print) {
      System.out.printf(Locale.ROOT, "  %-16s %7.2f ms %9d bytes%n", name, ms, bytes / n);
    }
  }
}
