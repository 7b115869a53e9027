package dev.segmenter.engine.image;

import dev.segmenter.engine.ErrorMessages;
import dev.segmenter.engine.ImageException;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, JPEG, BMP, GIF, TIFF and WBMP (whatever {@link ImageIO} reads) and WebP (TwelveMonkeys' reader)
 * into {@link BgrImage}.
 * The declared size is checked against a pixel limit before any pixel is decoded, so a file that claims
 * a huge size is refused without allocating it. PNG chunk CRCs are checked (ImageIO ignores them) and a JPEG
 * that ends early is refused (libjpeg only warns and fills it with gray). The EXIF orientation of a JPEG, PNG or
 * TIFF is applied, as OpenCV's {@code imread} and photo viewers do ({@link ExifOrientation}). Every failure is an
 * {@link ImageException} naming the file.
 */
public final class ImageDecoder {
  /** Default pixel limit: 100 megapixels (a 10000 x 10000 image). */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

  /** File extensions taken as images when walking folders. */
  public static final Set<String> IMAGE_EXTENSIONS =
      Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "wbmp", "webp");

  /** Files up to this size are read whole (and PNGs decoded by {@link FastPngDecoder}); larger ones are streamed. */
  static final long FAST_PATH_MAX_BYTES = 256L << 20;

  private final long maxPixels;
  private final long heapPerPixel;
  private final long heapFixed;

  /** A decoder with the default pixel limit and no heap check. */
  public ImageDecoder() {
    this(DEFAULT_MAX_PIXELS);
  }

  /**
   * A decoder with a pixel limit and no heap check.
   *
   * @param maxPixels images whose header declares more pixels are refused before decoding
   */
  public ImageDecoder(long maxPixels) {
    this(maxPixels, 0, 0);
  }

  private ImageDecoder(long maxPixels, long heapPerPixel, long heapFixed) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
    }
    if (heapPerPixel < 0 || heapFixed < 0) {
      throw new IllegalArgumentException(
          "heap estimate must not be negative, got " + heapPerPixel + ", " + heapFixed);
    }
    this.maxPixels = maxPixels;
    this.heapPerPixel = heapPerPixel;
    this.heapFixed = heapFixed;
  }

  /**
   * This decoder, also refusing, before any pixel is decoded, an image whose processing would not fit in the free
   * heap: {@code width x height x bytesPerPixel + fixedBytes} (the decoded image, its copies, maps and outputs per
   * pixel; tensors fixed) is compared with the heap the JVM can still give. The refusal is an
   * {@link ImageException} "needs ~N MB, heap has M MB free", so a batch goes on with its next image.
   *
   * @param bytesPerPixel bytes allocated per image pixel while the image is processed
   * @param fixedBytes bytes allocated per image whatever its size (tensors at the network's input size)
   * @return a decoder with the same pixel limit and this heap check
   */
  public ImageDecoder withHeapCheck(long bytesPerPixel, long fixedBytes) {
    return new ImageDecoder(maxPixels, bytesPerPixel, fixedBytes);
  }

  /**
   * The pixel limit.
   *
   * @return the largest number of pixels accepted
   */
  public long maxPixels() {
    return maxPixels;
  }

  /** True when the file name has one of {@link #IMAGE_EXTENSIONS}. */
  public static boolean hasImageExtension(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot >= 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  public BgrImage read(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw new ImageException(file + ": is a directory, not an image");
      }
      if (Files.exists(file) && !Files.isRegularFile(file)) {
        throw new ImageException(
            file + ": not a regular file (a FIFO, device or socket), not an image");
      }
      if (Files.size(file) == 0) {
        throw new ImageException(file + ": empty file (0 bytes), not an image");
      }
      long size = Files.size(file);
      if (size > FAST_PATH_MAX_BYTES) {
        try (InputStream raw = Files.newInputStream(file)) {
          return decode(raw, file.toString());
        }
      }
      byte[] bytes = Files.readAllBytes(file);
      long[] wh = FastPngDecoder.size(bytes);
      if (wh != null && heapPerPixel > 0 && wh[0] > 0 && wh[1] > 0 && wh[0] * wh[1] <= maxPixels) {
        requireHeap(file.toString(), wh[0], wh[1], wh[0] * wh[1] * heapPerPixel + heapFixed);
      }
      FastPngDecoder.Decoded fast = FastPngDecoder.decode(bytes, maxPixels);
      if (fast != null) {
        return ExifOrientation.apply(fast.image(), ExifOrientation.ofPngChunk(fast.exif()));
      }
      return decode(new java.io.ByteArrayInputStream(bytes), file.toString());
    } catch (NoSuchFileException e) {
      throw new ImageException(file + ": no such file");
    } catch (java.nio.file.AccessDeniedException e) {
      throw new ImageException(file + ": permission denied");
    } catch (IOException e) {
      throw new ImageException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Decodes from a stream; {@code name} is used in messages. */
  public BgrImage decode(InputStream in, String name) {
    BufferedInputStream buffered = new BufferedInputStream(in);
    PngCrcInputStream png = null;
    byte[] head;
    try {
      buffered.mark(12);
      head = buffered.readNBytes(12);
      buffered.reset();
      png = PngCrcInputStream.isPng(head) ? new PngCrcInputStream(buffered) : null;
    } catch (IOException e) {
      throw new ImageException(name + ": cannot read: " + oneLine(e), e);
    }
    // a memory-cached stream: ImageIO.createImageInputStream would copy every image to a temporary
    // file
    try (ImageInputStream iis =
        new javax.imageio.stream.MemoryCacheImageInputStream(png != null ? png : buffered)) {
      if (iis == null) {
        throw new ImageException(name + ": cannot open as an image stream");
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
      if (!readers.hasNext()) {
        throw new ImageException(
            name + ": not an image in a known format (PNG, JPEG, BMP, GIF, TIFF, WBMP, WebP)");
      }
      ImageReader reader = readers.next();
      try {
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        // metadata is skipped (it can be large) except TIFF's, whose orientation is one of the
        // image's fields
        reader.setInput(iis, true, !format.startsWith("tif"));
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w <= 0 || h <= 0) {
          throw new ImageException(name + ": declares an empty size " + w + "x" + h);
        }
        if (w * h > maxPixels) {
          throw new ImageException(
              name + ": " + w + "x" + h + " (" + (w * h) + " pixels) is above the limit of "
                  + maxPixels + " pixels; raise it with --max-pixels or the maxPixels option");
        }
        if (heapPerPixel > 0) {
          requireHeap(name, w, h, w * h * heapPerPixel + heapFixed);
        }
        // libjpeg reports a file that ends early as a warning and fills the rest with gray: refuse
        // it
        List<String> truncated = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> {
          String text = warning.toLowerCase(Locale.ROOT);
          if (text.contains("truncated") || text.contains("premature end")) {
            truncated.add(warning);
          }
        });
        BufferedImage img = reader.read(0);
        if (img == null) {
          throw new ImageException(name + ": decoder returned no image");
        }
        if (!truncated.isEmpty()) {
          throw new ImageException(
              name + ": truncated " + formatOf(name) + "image: " + truncated.get(0));
        }
        if (png != null) {
          png.drainThroughEnd();
        }
        long riff = webpLength(head);
        if (riff > 0) {
          // a WebP decoder paints what a cut-off file lacks: refuse a file shorter than its RIFF
          // header says
          iis.seek(riff - 1);
          if (iis.read() < 0) {
            throw new ImageException(name + ": truncated WebP image: its header declares " + riff
                + " bytes, the file ends before that");
          }
        }
        int orientation =
            png != null ? ExifOrientation.ofPngChunk(png.exif()) : ExifOrientation.of(reader);
        return ExifOrientation.apply(BgrImage.from(img), orientation);
      } finally {
        reader.dispose();
      }
    } catch (ImageException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof OutOfMemoryError oom) {
          // a reader that wraps the heap running out is not a broken file
          throw new ImageException(
              name + ": not enough memory to decode it (" + oom.getMessage() + "); " + RAISE, e);
        }
      }
      throw new ImageException(
          name + ": corrupt or truncated " + formatOf(name) + "image: " + oneLine(e), e);
    } catch (OutOfMemoryError e) {
      throw new ImageException(
          name + ": not enough memory to decode it (" + e.getMessage() + "); " + RAISE, e);
    }
  }

  /** What to do about too small a heap, in the words of the launcher and the JVM. */
  public static final String RAISE = "raise -Xmx / SEGMENTER_JAVA_OPTS";

  /**
   * Refuses an image when the heap cannot give {@code bytes} more, after one garbage collection where that would
   * make the difference.
   */
  static void requireHeap(String name, long w, long h, long bytes) {
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    if (bytes > free && bytes <= rt.maxMemory()) {
      System.gc(); // only near the limit: garbage from the previous image may be all that is in the
      // way
      free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }
    if (bytes > free) {
      throw new ImageException(name + ": " + w + "x" + h + " needs ~" + mb(bytes) + " MB, heap has "
          + mb(free) + " MB free of " + mb(rt.maxMemory()) + " MB (" + RAISE + ")");
    }
  }

  private static long mb(long bytes) {
    return (bytes + (1 << 20) - 1) >> 20;
  }

  /** The file length a WebP's RIFF header declares (8 + its size field); 0 when the bytes are not a WebP's. */
  static long webpLength(byte[] head) {
    if (head.length < 12
        || head[0] != 'R'
        || head[1] != 'I'
        || head[2] != 'F'
        || head[3] != 'F'
        || head[8] != 'W'
        || head[9] != 'E'
        || head[10] != 'B'
        || head[11] != 'P') {
      return 0;
    }
    long size = (head[4] & 0xFFL)
        | (head[5] & 0xFFL) << 8
        | (head[6] & 0xFFL) << 16
        | (head[7] & 0xFFL) << 24;
    return 8 + size;
  }

  private static String formatOf(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toUpperCase(Locale.ROOT) + " ";
  }

  /** ImageIO's readers wrap the reason in a cause: both are kept. */
  private static String oneLine(Throwable e) {
    return ErrorMessages.oneLine(e, m -> {
      Throwable cause = e.getCause();
      return cause != null && cause.getMessage() != null && !m.contains(cause.getMessage())
          ? m + ": " + cause.getMessage()
          : m;
    });
  }
}
