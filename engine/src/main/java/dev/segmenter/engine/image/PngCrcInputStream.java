package dev.segmenter.engine.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Passes a PNG stream through unchanged and checks every chunk's CRC as its bytes go by (ImageIO's PNG
 * reader ignores CRCs, so a damaged file would otherwise decode to garbage). A mismatch is an
 * {@link IOException} naming the chunk. {@link #drainThroughEnd()} reads on until the IEND chunk, so the
 * chunks the reader did not need are checked too, and a file that ends before IEND is reported. It keeps the
 * {@code eXIf} chunk's bytes (up to 1 MiB) for the orientation, which ImageIO reads only with all metadata.
 */
final class PngCrcInputStream extends FilterInputStream {
  private static final int SIGNATURE = 0;
  private static final int LENGTH = 1;
  private static final int TYPE = 2;
  private static final int DATA = 3;
  private static final int CRC = 4;
  private static final int END = 5;

  private final CRC32 crc = new CRC32();
  private final byte[] field = new byte[8];
  private int phase = SIGNATURE;
  private int filled;
  private long remaining;
  private long offset;
  private String type = "";
  private static final int EXIF_LIMIT = 1 << 20;
  private java.io.ByteArrayOutputStream exifChunk;
  private byte[] exif;

  PngCrcInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      feed(new byte[] {(byte) b}, 0, 1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      feed(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(n, 8192)];
    long done = 0;
    while (done < n) {
      int k = read(buf, 0, (int) Math.min(buf.length, n - done));
      if (k < 0) {
        break;
      }
      done += k;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Reads the rest of the stream up to the IEND chunk (bytes after it are not read). */
  void drainThroughEnd() throws IOException {
    byte[] buf = new byte[8192];
    while (phase != END) {
      int want = phase == DATA ? (int) Math.min(buf.length, remaining) : 1;
      int k = read(buf, 0, Math.max(1, want));
      if (k < 0) {
        throw new IOException(
            "the file ends at byte " + offset + " before the IEND chunk (truncated)");
      }
    }
  }

  private void feed(byte[] b, int off, int len) throws IOException {
    int i = off;
    int end = off + len;
    while (i < end) {
      switch (phase) {
        case SIGNATURE, LENGTH, TYPE, CRC -> {
          int need = phase == SIGNATURE ? 8 : 4;
          while (i < end && filled < need) {
            field[filled++] = b[i++];
          }
          if (filled == need) {
            filled = 0;
            fieldDone();
          }
        }
        case DATA -> {
          int k = (int) Math.min(remaining, end - i);
          crc.update(b, i, k);
          if (exifChunk != null) {
            exifChunk.write(b, i, k);
          }
          i += k;
          remaining -= k;
          if (remaining == 0) {
            phase = CRC;
          }
        }
        default -> i = end; // after IEND: not checked
      }
    }
    offset += len;
  }

  private void fieldDone() throws IOException {
    switch (phase) {
      case SIGNATURE -> phase = LENGTH;
      case LENGTH -> {
        remaining = Integer.toUnsignedLong(int32());
        if (remaining > Integer.MAX_VALUE) {
          throw new IOException("chunk length " + remaining + " is above 2^31-1");
        }
        phase = TYPE;
      }
      case TYPE -> {
        type = new String(field, 0, 4, StandardCharsets.ISO_8859_1);
        crc.reset();
        crc.update(field, 0, 4);
        if (type.equals("eXIf") && exif == null && remaining <= EXIF_LIMIT) {
          exifChunk = new java.io.ByteArrayOutputStream((int) remaining);
        }
        phase = remaining == 0 ? CRC : DATA;
      }
      case CRC -> {
        long stored = Integer.toUnsignedLong(int32());
        if (stored != crc.getValue()) {
          throw new IOException("bad CRC in the " + printable(type) + " chunk (stored "
              + Long.toHexString(stored) + ", computed " + Long.toHexString(crc.getValue()) + ")");
        }
        if (exifChunk != null) {
          exif = exifChunk.toByteArray();
          exifChunk = null;
        }
        phase = type.equals("IEND") ? END : LENGTH;
      }
      default -> {}
    }
  }

  /** The first {@code eXIf} chunk's data once its CRC checked out; null without one. */
  byte[] exif() {
    return exif;
  }

  private int int32() {
    return (field[0] & 0xff) << 24
        | (field[1] & 0xff) << 16
        | (field[2] & 0xff) << 8
        | (field[3] & 0xff);
  }

  private static String printable(String t) {
    return t.chars().allMatch(c -> c >= 'A' && c <= 'z') ? t : "(unreadable type)";
  }

  /** True when the bytes start with the PNG signature. */
  static boolean isPng(byte[] head) {
    byte[] sig = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    return head.length >= sig.length
        && java.util.Arrays.equals(head, 0, sig.length, sig, 0, sig.length);
  }
}
