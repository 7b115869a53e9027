package dev.segmenter.engine.image;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The common PNG straight into BGR bytes: 8-bit gray, RGB or RGBA, not interlaced, without an ICC profile. It reads
 * the whole file from memory, checks every chunk's CRC, inflates the image data once and un-filters each row while
 * swapping R and B, about twice as fast as ImageIO's reader followed by a conversion. It decides nothing on its own:
 * for any other PNG, and for any PNG that is not perfectly well-formed (a bad CRC, a cut-off file, a missing IEND,
 * data of the wrong length, trailing bytes after IEND), it returns null and {@link ImageDecoder} takes its usual
 * path, which gives the established messages. An RGBA image is taken only while every pixel is opaque (then alpha
 * changes nothing); a translucent one takes the usual path, which composites it over black.
 */
final class FastPngDecoder {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  /** A decoded image and its EXIF chunk (or null). */
  record Decoded(BgrImage image, byte[] exif) {}

  private FastPngDecoder() {}

  /** The width and height a PNG's header declares, or null when the bytes do not start like a PNG. */
  static long[] size(byte[] file) {
    if (file.length < 24) {
      return null;
    }
    for (int i = 0; i < 8; i++) {
      if (file[i] != SIGNATURE[i]) {
        return null;
      }
    }
    if (file[12] != 'I' || file[13] != 'H' || file[14] != 'D' || file[15] != 'R') {
      return null;
    }
    return new long[] {readInt(file, 16) & 0xFFFFFFFFL, readInt(file, 20) & 0xFFFFFFFFL};
  }

  /**
   * Decodes {@code file}, or returns null when the file is not a PNG this decoder handles in full.
   *
   * @param maxPixels images above it return null (the usual path refuses them with its message)
   */
  static Decoded decode(byte[] file, long maxPixels) {
    if (file.length < 8 + 25 + 12) {
      return null;
    }
    for (int i = 0; i < 8; i++) {
      if (file[i] != SIGNATURE[i]) {
        return null;
      }
    }
    int width = 0;
    int height = 0;
    int colorType = -1;
    int channels = 0;
    byte[] exif = null;
    boolean ended = false;
    Inflater inflater = null;
    byte[] raw = null;
    int rawFilled = 0;
    CRC32 crc = new CRC32();
    try {
      int at = 8;
      boolean first = true;
      while (at + 12 <= file.length) {
        int length = readInt(file, at);
        if (length < 0 || (long) at + 12 + length > file.length) {
          return null;
        }
        int typeAt = at + 4;
        int dataAt = at + 8;
        crc.reset();
        crc.update(file, typeAt, 4 + length);
        if ((int) crc.getValue() != readInt(file, dataAt + length)) {
          return null;
        }
        String type = new String(file, typeAt, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (first) {
          if (!type.equals("IHDR") || length != 13) {
            return null;
          }
          width = readInt(file, dataAt);
          height = readInt(file, dataAt + 4);
          int depth = file[dataAt + 8];
          colorType = file[dataAt + 9];
          int compression = file[dataAt + 10];
          int filterMethod = file[dataAt + 11];
          int interlace = file[dataAt + 12];
          channels = colorType == 0 ? 1 : colorType == 2 ? 3 : colorType == 6 ? 4 : 0;
          if (width <= 0
              || height <= 0
              || depth != 8
              || channels == 0
              || compression != 0
              || filterMethod != 0
              || interlace != 0
              || (long) width * height > maxPixels
              || (long) width * channels + 1 > Integer.MAX_VALUE / Math.max(1, height)) {
            return null;
          }
          raw = new byte[(width * channels + 1) * height];
          inflater = new Inflater();
          first = false;
        } else {
          switch (type) {
            case "IDAT" -> {
              inflater.setInput(file, dataAt, length);
              while (!inflater.needsInput() && !inflater.finished()) {
                int n = inflater.inflate(raw, rawFilled, raw.length - rawFilled);
                rawFilled += n;
                if (n == 0 && (inflater.needsDictionary() || rawFilled == raw.length)) {
                  break;
                }
              }
            }
            case "IEND" -> ended = true;
            case "eXIf" -> exif = java.util.Arrays.copyOfRange(file, dataAt, dataAt + length);
            case "iCCP", "PLTE", "tRNS" -> {
              return null; // a color profile or a transparent color: the usual path's conversions
              // apply
            }
            default -> {
              // other ancillary chunks (gAMA, sRGB, pHYs, tEXt, ...) do not change ImageIO's pixel
              // values
              if ((file[typeAt] & 0x20) == 0) {
                return null; // an unknown critical chunk
              }
            }
          }
        }
        at = dataAt + length + 4;
        if (ended) {
          break;
        }
      }
      if (!ended
          || at != file.length
          || inflater == null
          || rawFilled != raw.length
          || !inflater.finished()) {
        return null;
      }
    } catch (DataFormatException e) {
      return null;
    } finally {
      if (inflater != null) {
        inflater.end();
      }
    }
    BgrImage image = unfilter(raw, width, height, channels);
    return image == null ? null : new Decoded(image, exif);
  }

  /** Reverses the row filters in place and writes BGR; null for an unknown filter type. */
  private static BgrImage unfilter(byte[] raw, int width, int height, int channels) {
    int rowBytes = width * channels;
    int stride = rowBytes + 1;
    byte[] bgr = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
    for (int y = 0; y < height; y++) {
      int row = y * stride + 1;
      int prev = row - stride; // only read when y > 0
      int filter = raw[row - 1];
      switch (filter) {
        case 0 -> {}
        case 1 -> {
          for (int i = channels; i < rowBytes; i++) {
            raw[row + i] += raw[row + i - channels];
          }
        }
        case 2 -> {
          if (y > 0) {
            for (int i = 0; i < rowBytes; i++) {
              raw[row + i] += raw[prev + i];
            }
          }
        }
        case 3 -> {
          for (int i = 0; i < rowBytes; i++) {
            int left = i >= channels ? raw[row + i - channels] & 0xFF : 0;
            int up = y > 0 ? raw[prev + i] & 0xFF : 0;
            raw[row + i] += (byte) ((left + up) >>> 1);
          }
        }
        case 4 -> {
          for (int i = 0; i < rowBytes; i++) {
            int a = i >= channels ? raw[row + i - channels] & 0xFF : 0;
            int b = y > 0 ? raw[prev + i] & 0xFF : 0;
            int c = i >= channels && y > 0 ? raw[prev + i - channels] & 0xFF : 0;
            int p = a + b - c;
            int pa = Math.abs(p - a);
            int pb = Math.abs(p - b);
            int pc = Math.abs(p - c);
            raw[row + i] += (byte) (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          }
        }
        default -> {
          return null;
        }
      }
      int o = y * width * 3;
      switch (channels) {
        case 1 -> {
          for (int x = 0; x < width; x++) {
            byte v = raw[row + x];
            bgr[o + 3 * x] = v;
            bgr[o + 3 * x + 1] = v;
            bgr[o + 3 * x + 2] = v;
          }
        }
        case 3 -> {
          for (int x = 0; x < width; x++) {
            int s = row + 3 * x;
            bgr[o + 3 * x] = raw[s + 2];
            bgr[o + 3 * x + 1] = raw[s + 1];
            bgr[o + 3 * x + 2] = raw[s];
          }
        }
        default -> {
          for (int x = 0; x < width; x++) {
            int s = row + 4 * x;
            if (raw[s + 3] != (byte) 255) {
              return null; // translucent: the usual path composites it as Java2D does
            }
            bgr[o + 3 * x] = raw[s + 2];
            bgr[o + 3 * x + 1] = raw[s + 1];
            bgr[o + 3 * x + 2] = raw[s];
          }
        }
      }
    }
    return new BgrImage(width, height, bgr);
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24
        | (b[at + 1] & 0xFF) << 16
        | (b[at + 2] & 0xFF) << 8
        | (b[at + 3] & 0xFF);
  }
}
