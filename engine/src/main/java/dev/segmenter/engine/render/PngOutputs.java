package dev.segmenter.engine.render;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.ImageException;
import dev.segmenter.engine.SegmenterException;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.palettes.Palette;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * PNG files of class maps and pictures, through {@link PngEncoder}. Every {@code write} is atomic
 * ({@link OutputFiles}): the PNG is written to a temporary file in the target's folder (created if missing) and
 * renamed over the target, so a reader never sees half a file and a failed write leaves no temporary file
 * behind. Each write returns the path written. The {@code encode} methods write into a stream instead (to write
 * several files of one result all or none with {@link OutputFiles}).
 */
public final class PngOutputs {
  private PngOutputs() {}

  /**
   * Class ids as a grayscale PNG, pixel value = class id: 8-bit while the map is narrow (ids up to 255),
   * 16-bit when it is wide.
   */
  public static Path writeClassIds(ClassMap map, Path target) {
    return OutputFiles.writeOne(target, out -> encodeClassIds(map, out), false);
  }

  /** {@link #writeClassIds} into a stream. */
  public static void encodeClassIds(ClassMap map, OutputStream out) throws IOException {
    if (map.isWide()) {
      PngEncoder.flat().gray16(map.shorts(), map.width(), map.height(), out);
    } else {
      PngEncoder.flat().gray8(map.bytes(), map.width(), map.height(), out);
    }
  }

  /** {@link #writeClassIds} into memory: lossless PNG bytes of the class map, the file's bytes. */
  public static byte[] classIdsPng(ClassMap map) {
    return PngEncoder.toBytes(out -> encodeClassIds(map, out));
  }

  /** The class map as a BufferedImage: 8-bit gray while the map is narrow, 16-bit when it is wide. */
  public static BufferedImage classIdsImage(ClassMap map) {
    BufferedImage image;
    if (map.isWide()) {
      image = new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_USHORT_GRAY);
      short[] data = ((DataBufferUShort) image.getRaster().getDataBuffer()).getData();
      System.arraycopy(map.shorts(), 0, data, 0, data.length);
    } else {
      image = new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_BYTE_GRAY);
      byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
      System.arraycopy(map.bytes(), 0, data, 0, data.length);
    }
    return image;
  }

  /**
   * A color map (flat areas of palette colors) as PNG, with the encoder setting for flat pictures: what
   * {@code NAME.color.png} holds, wherever it is written (CLI files, Spark rows).
   */
  public static void encodeColors(BgrImage colors, OutputStream out) throws IOException {
    PngEncoder.flat().bgr(colors.data(), colors.width(), colors.height(), out);
  }

  /** {@link #encodeColors} into memory. */
  public static byte[] colorsPng(BgrImage colors) {
    return PngEncoder.toBytes(out -> encodeColors(colors, out));
  }

  /**
   * A photograph-like picture (overlay, cut-out, report) as PNG, with the encoder setting for photographs: what
   * {@code NAME.overlay.png} holds, wherever it is written.
   */
  public static void encodePicture(BgrImage picture, OutputStream out) throws IOException {
    PngEncoder.photo().bgr(picture.data(), picture.width(), picture.height(), out);
  }

  /** {@link #encodePicture} into memory. */
  public static byte[] picturePng(BgrImage picture) {
    return PngEncoder.toBytes(out -> encodePicture(picture, out));
  }

  /** {@link #encode(BufferedImage, OutputStream)} into memory: the bytes {@link #write} puts in a file. */
  public static byte[] png(BufferedImage image) {
    return PngEncoder.toBytes(out -> encode(image, out));
  }

  /**
   * Class ids as an 8-bit indexed PNG with the palette embedded, like PASCAL VOC's ground truth: viewers
   * show the colors, and the pixel values are still the ids. All 256 entries are filled: palette colors, then
   * the void color (so VOC's 255 shows as its void color).
   *
   * @throws IllegalArgumentException when an id is above 255 (write {@link #writeClassIds} instead)
   */
  public static Path writeIndexed(ClassMap map, Palette palette, Path target) {
    byte[] ids = indexedIds(map);
    return OutputFiles.writeOne(target, out -> encodeIndexed(ids, map, palette, out), false);
  }

  /** {@link #writeIndexed} into a stream. */
  public static void encodeIndexed(ClassMap map, Palette palette, OutputStream out)
      throws IOException {
    encodeIndexed(indexedIds(map), map, palette, out);
  }

  private static void encodeIndexed(byte[] ids, ClassMap map, Palette palette, OutputStream out)
      throws IOException {
    int[] rgb = new int[256];
    for (int i = 0; i < 256; i++) {
      rgb[i] = palette.rgb(i) & 0xFFFFFF;
    }
    PngEncoder.flat().indexed8(ids, map.width(), map.height(), rgb, out);
  }

  private static byte[] indexedIds(ClassMap map) {
    if (!map.isWide()) {
      return map.bytes();
    }
    short[] s = map.shorts();
    byte[] ids = new byte[s.length];
    for (int p = 0; p < s.length; p++) {
      int id = s[p] & 0xFFFF;
      if (id > 255) {
        throw new IllegalArgumentException(
            "class id " + id + " at pixel (" + p % map.width() + ", " + p / map.width()
                + ") does not fit an indexed PNG (ids 0 to 255); write a 16-bit class-id PNG instead");
      }
      ids[p] = (byte) id;
    }
    return ids;
  }

  /** A BGR image (overlay, report, photograph-like) as an 8-bit RGB PNG. */
  public static Path writeImage(BgrImage image, Path target) {
    return writeImage(image, PngEncoder.photo(), target);
  }

  /** A BGR image as an 8-bit RGB PNG, with an encoder chosen for its content ({@link PngEncoder#flat()} for colors). */
  public static Path writeImage(BgrImage image, PngEncoder encoder, Path target) {
    return OutputFiles.writeOne(target, out -> encodeImage(image, encoder, out), false);
  }

  /** {@link #writeImage(BgrImage, PngEncoder, Path)} into a stream. */
  public static void encodeImage(BgrImage image, PngEncoder encoder, OutputStream out)
      throws IOException {
    encoder.bgr(image.data(), image.width(), image.height(), out);
  }

  /** Any image (e.g. a cutout with transparency) as PNG. */
  public static Path write(BufferedImage image, Path target) {
    return OutputFiles.writeOne(target, out -> encode(image, out), false);
  }

  /**
   * Any image as PNG into a stream: 8-bit gray, 3-byte BGR and int ARGB images (masks, legends, cut-outs) go
   * through the fast encoder; other types through ImageIO's writer.
   */
  public static void encode(BufferedImage image, OutputStream out) throws IOException {
    int w = image.getWidth();
    int h = image.getHeight();
    Raster raster = image.getRaster();
    boolean plain = raster.getParent() == null && raster.getMinX() == 0 && raster.getMinY() == 0;
    if (plain
        && image.getType() == BufferedImage.TYPE_BYTE_GRAY
        && raster.getDataBuffer() instanceof DataBufferByte db
        && db.getData().length == w * h) {
      PngEncoder.flat().gray8(db.getData(), w, h, out);
      return;
    }
    if (plain
        && image.getType() == BufferedImage.TYPE_USHORT_GRAY
        && raster.getDataBuffer() instanceof DataBufferUShort du
        && du.getData().length == w * h) {
      PngEncoder.flat().gray16(du.getData(), w, h, out);
      return;
    }
    if (plain
        && image.getType() == BufferedImage.TYPE_3BYTE_BGR
        && raster.getDataBuffer() instanceof DataBufferByte db
        && db.getData().length == w * h * 3) {
      PngEncoder.photo().bgr(db.getData(), w, h, out);
      return;
    }
    if (plain
        && image.getType() == BufferedImage.TYPE_INT_ARGB
        && raster.getDataBuffer() instanceof DataBufferInt di
        && di.getData().length == w * h) {
      PngEncoder.photo().argb(di.getData(), w, h, out);
      return;
    }
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
    if (!writers.hasNext()) {
      throw new SegmenterException("this Java runtime has no PNG writer");
    }
    ImageWriter writer = writers.next();
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(image);
    } finally {
      writer.dispose();
    }
  }

  /**
   * Reads class ids back: an 8- or 16-bit grayscale PNG (pixel value = id) or an indexed PNG (palette index
   * = id, as PASCAL VOC's ground truth). 16-bit files give a wide map, the others a narrow one.
   *
   * @throws ImageException naming the file when it is missing, not an image, or a color (RGB) image
   */
  public static ClassMap readClassIds(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ImageException(
          file + ": no such file; expected a grayscale or indexed PNG of class ids");
    }
    BufferedImage image;
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new ImageException(
            file + ": not an image this runtime can read; expected a grayscale or indexed PNG"
                + " of class ids");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        image = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (NoSuchFileException e) {
      throw new ImageException(
          file + ": no such file; expected a grayscale or indexed PNG of class ids", e);
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageException ie) {
        throw ie;
      }
      throw new ImageException(
          file + ": cannot be read as an image (" + e.getMessage()
              + "); expected a grayscale or indexed PNG of class ids",
          e);
    }
    return toClassMap(image, file.toString());
  }

  /**
   * Reads class ids from a PNG's bytes, as {@link #readClassIds(Path)} reads a file; {@code name} (a path or URI)
   * is used in messages.
   *
   * @throws ImageException naming {@code name} when the bytes are not an image, or a color one
   */
  public static ClassMap readClassIds(byte[] png, String name) {
    BufferedImage image;
    try {
      image = ImageIO.read(new java.io.ByteArrayInputStream(png));
    } catch (IOException | RuntimeException e) {
      throw new ImageException(
          name + ": cannot be read as an image (" + e.getMessage()
              + "); expected a grayscale or indexed PNG of class ids",
          e);
    }
    if (image == null) {
      throw new ImageException(
          name + ": not an image this runtime can read; expected a grayscale or indexed PNG"
              + " of class ids");
    }
    return toClassMap(image, name);
  }

  private static ClassMap toClassMap(BufferedImage image, String file) {
    Raster raster = image.getRaster();
    int bands = raster.getNumBands();
    if (bands != 1) {
      throw new ImageException(
          file + ": has " + bands + " channels (" + describe(image) + "); class ids must be"
              + " a 1-channel PNG: 8/16-bit grayscale or indexed (palette). A color-coded label image needs its"
              + " colors mapped to ids first");
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int bits = raster.getSampleModel().getSampleSize(0);
    if (bits > 16) {
      throw new ImageException(file + ": " + bits + "-bit samples; class-id PNGs are 8 or 16 bit");
    }
    int[] samples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
    if (bits > 8) {
      short[] ids = new short[samples.length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = (short) samples[i];
      }
      return ClassMap.ofShorts(w, h, ids);
    }
    byte[] ids = new byte[samples.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (byte) samples[i];
    }
    return ClassMap.ofBytes(w, h, ids);
  }

  private static String describe(BufferedImage image) {
    return image.getColorModel().hasAlpha() ? "color with alpha" : "color";
  }
}
