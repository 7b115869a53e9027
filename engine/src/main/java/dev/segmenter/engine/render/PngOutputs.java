package dev.segmenter.engine.render;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.ImageException;
import dev.segmenter.engine.SegmenterException;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.palettes.Palette;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * PNG files of class maps and pictures. Every write is atomic: the PNG is written to a temporary file in
 * the target's folder (created if missing) and renamed over the target, so a reader never sees half a file
 * and a failed write leaves no temporary file behind. Each write returns the path written.
 */
public final class PngOutputs {
  private PngOutputs() {}

  /**
   * Class ids as a grayscale PNG, pixel value = class id: 8-bit while the map is narrow (ids up to 255),
   * 16-bit when it is wide.
   */
  public static Path writeClassIds(ClassMap map, Path target) {
    return write(classIdsImage(map), target);
  }

  /** The image {@link #writeClassIds} writes: 8-bit gray while the map is narrow, 16-bit when it is wide. */
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
   * Class ids as an 8-bit indexed PNG with the palette embedded, like PASCAL VOC's ground truth: viewers
   * show the colors, and the pixel values are still the ids. All 256 entries are filled: palette colors, then
   * the void color (so VOC's 255 shows as its void color).
   *
   * @throws IllegalArgumentException when an id is above 255 (write {@link #writeClassIds} instead)
   */
  public static Path writeIndexed(ClassMap map, Palette palette, Path target) {
    byte[] ids;
    if (map.isWide()) {
      short[] s = map.shorts();
      ids = new byte[s.length];
      for (int p = 0; p < s.length; p++) {
        int id = s[p] & 0xFFFF;
        if (id > 255) {
          throw new IllegalArgumentException("class id " + id + " at pixel (" + p % map.width() + ", "
              + p / map.width() + ") does not fit an indexed PNG (ids 0 to 255); write a 16-bit class-id PNG instead");
        }
        ids[p] = (byte) id;
      }
    } else {
      ids = map.bytes();
    }
    byte[] r = new byte[256];
    byte[] g = new byte[256];
    byte[] b = new byte[256];
    for (int i = 0; i < 256; i++) {
      int c = palette.rgb(i);
      r[i] = (byte) (c >>> 16);
      g[i] = (byte) (c >>> 8);
      b[i] = (byte) c;
    }
    BufferedImage image = new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_BYTE_INDEXED,
        new IndexColorModel(8, 256, r, g, b));
    byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    System.arraycopy(ids, 0, data, 0, data.length);
    return write(image, target);
  }

  /** A BGR image (color map, overlay, report) as an 8-bit RGB PNG. */
  public static Path writeImage(BgrImage image, Path target) {
    return write(image.toBufferedImage(), target);
  }

  /** Any image (e.g. a cutout with transparency) as PNG. */
  public static Path write(BufferedImage image, Path target) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
    if (!writers.hasNext()) {
      throw new SegmenterException("cannot write " + target + ": this Java runtime has no PNG writer");
    }
    ImageWriter writer = writers.next();
    try {
      return writeAtomically(target, out -> {
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
          writer.setOutput(ios);
          writer.write(image);
        }
      });
    } finally {
      writer.dispose();
    }
  }

  /**
   * The bytes {@link #write} puts in a file, in memory (e.g. {@code png(classIdsImage(map))} is the content of
   * {@link #writeClassIds}'s file, {@code png(bgr.toBufferedImage())} that of {@link #writeImage}'s): keep the two
   * encoders the same (PngBytesTest compares them).
   */
  public static byte[] png(BufferedImage image) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
    if (!writers.hasNext()) {
      throw new SegmenterException("cannot encode a PNG: this Java runtime has no PNG writer");
    }
    ImageWriter writer = writers.next();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(ios);
      writer.write(image);
    } catch (IOException e) {
      throw new SegmenterException("cannot encode a PNG: " + e, e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** Writes what {@code body} produces to a temporary file beside {@code target}, then renames it over target. */
  static Path writeAtomically(Path target, StreamBody body) {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
      keepPermissions(tmp, absolute);
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
        body.write(out);
      }
      try {
        Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      return target;
    } catch (IOException e) {
      throw new SegmenterException("cannot write " + target + ": " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write failed already; that error is the one to report
        }
      }
    }
  }

  /**
   * Temporary files are created private (rw-------); give the new file the permissions of the file it
   * replaces, or rw-r--r-- (the usual umask's) when there is none, on file systems that have POSIX permissions.
   */
  private static void keepPermissions(Path tmp, Path target) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    Set<PosixFilePermission> perms = Files.exists(target)
        ? Files.getPosixFilePermissions(target)
        : PosixFilePermissions.fromString("rw-r--r--");
    view.setPermissions(perms);
  }

  /** Writes a file's content. */
  @FunctionalInterface
  interface StreamBody {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Reads class ids back: an 8- or 16-bit grayscale PNG (pixel value = id) or an indexed PNG (palette index
   * = id, as PASCAL VOC's ground truth). 16-bit files give a wide map, the others a narrow one.
   *
   * @throws ImageException naming the file when it is missing, not an image, or a color (RGB) image
   */
  public static ClassMap readClassIds(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ImageException(file + ": no such file; expected a grayscale or indexed PNG of class ids");
    }
    BufferedImage image;
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new ImageException(file + ": not an image this runtime can read; expected a grayscale or indexed PNG"
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
      throw new ImageException(file + ": no such file; expected a grayscale or indexed PNG of class ids", e);
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageException ie) {
        throw ie;
      }
      throw new ImageException(file + ": cannot be read as an image (" + e.getMessage()
          + "); expected a grayscale or indexed PNG of class ids", e);
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
      throw new ImageException(name + ": cannot be read as an image (" + e.getMessage()
          + "); expected a grayscale or indexed PNG of class ids", e);
    }
    if (image == null) {
      throw new ImageException(name + ": not an image this runtime can read; expected a grayscale or indexed PNG"
          + " of class ids");
    }
    return toClassMap(image, name);
  }

  private static ClassMap toClassMap(BufferedImage image, String file) {
    Raster raster = image.getRaster();
    int bands = raster.getNumBands();
    if (bands != 1) {
      throw new ImageException(file + ": has " + bands + " channels (" + describe(image) + "); class ids must be"
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
