package dev.segmenter.cli.robust;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/**
 * Writes a deterministic corpus of broken and unusual image files (seeded; only two valid WebP files are
 * committed, as ImageIO has no WebP writer): truncated and corrupted PNG/JPEG/BMP/GIF/TIFF/WebP, bad PNG CRCs,
 * garbage after valid headers, empty files, non-images with image extensions, headers that declare huge sizes,
 * and valid images of every pixel type that must be accepted and converted.
 */
final class ImageCorpus {
  /** What the decoder must do with a file. */
  enum Expect {
    /** An ImageException naming the file. */
    REFUSED,
    /** An ImageException from the pixel limit, raised before any pixel is decoded. */
    REFUSED_BY_LIMIT,
    /** Decoded, with the size and pixels of {@link Case#expected}. */
    ACCEPTED,
    /** A flipped byte may land in pixel data and still be a valid file: decoded at the right size, or an ImageException. */
    ACCEPTED_OR_REFUSED
  }

  /** One file of the corpus; {@code expected} holds the BGR pixels an accepted image must decode to (null: size only). */
  record Case(String name, Path file, Expect expect, int width, int height, int[] expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String[] FORMATS = {"png", "jpg", "bmp", "gif", "tif"};
  static final int W = 48;
  static final int H = 32;

  private final Path dir;
  private final Random rnd;
  private final List<Case> cases = new ArrayList<>();

  private ImageCorpus(Path dir, long seed) {
    this.dir = dir;
    this.rnd = new Random(seed);
  }

  /** Writes the corpus into {@code dir} and returns its cases, in a fixed order for a given seed. */
  static List<Case> write(Path dir, long seed, Path onnxFile) {
    ImageCorpus c = new ImageCorpus(dir, seed);
    try {
      Files.createDirectories(dir);
      c.build(onnxFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return c.cases;
  }

  private void build(Path onnxFile) throws IOException {
    BufferedImage base = scene();
    for (String f : FORMATS) {
      brokenVariants(f, f, encode(base, f));
    }
    // WebP has no ImageIO writer: two small files made by Pillow (lossy VP8 and lossless VP8L),
    // 48x32
    for (String kind : new String[] {"lossy", "lossless"}) {
      try (var in = ImageCorpus.class.getResourceAsStream("/corpus/valid-" + kind + ".webp")) {
        brokenVariants("webp", "webp-" + kind, in.readAllBytes());
      }
    }
    pngCrcCases(base);
    zeroByteCases();
    notImageCases(onnxFile);
    hugeCases();
    acceptedCases();
  }

  /** The valid file, and truncated, byte-flipped and garbage-after-header copies of it. */
  private void brokenVariants(String f, String tag, byte[] valid) throws IOException {
    add("valid-" + tag, "valid-" + tag + "." + f, valid, Expect.ACCEPTED, W, H, null);
    // truncated at many cut points: inside the signature, the header, the data and just before the
    // end
    TreeSet<Integer> cuts = new TreeSet<>(List.of(1, 2, 3, 4, 6, 8, 12, 16, 24, 33, 64));
    for (double frac : new double[] {0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9}) {
      cuts.add((int) (valid.length * frac));
    }
    cuts.add(valid.length - 32);
    cuts.removeIf(k -> k <= 0 || k >= valid.length - 24);
    for (int cut : cuts) {
      add(
          "truncated-" + tag + "-at-" + cut + "-of-" + valid.length,
          tag + "-trunc-" + cut + "." + f,
          Arrays.copyOf(valid, cut),
          Expect.REFUSED,
          0,
          0,
          null);
    }
    // flipped bytes anywhere after the first 8: corrupt structure is refused, corrupt pixels may
    // decode
    for (int k = 0; k < 10; k++) {
      byte[] b = valid.clone();
      int flips = 1 + rnd.nextInt(8);
      for (int i = 0; i < flips; i++) {
        int at = 8 + rnd.nextInt(b.length - 8);
        b[at] ^= (byte) (1 + rnd.nextInt(255));
      }
      add(
          "flipped-" + tag + "-" + k + "-" + flips + "-bytes",
          tag + "-flip-" + k + "." + f,
          b,
          Expect.ACCEPTED_OR_REFUSED,
          W,
          H,
          null);
    }
    // a valid header, then garbage
    int headerLen = headerLength(f, valid);
    for (int k = 0; k < 4; k++) {
      byte[] garbage = new byte[64 + rnd.nextInt(2000)];
      rnd.nextBytes(garbage);
      byte[] b = Arrays.copyOf(valid, headerLen + garbage.length);
      System.arraycopy(garbage, 0, b, headerLen, garbage.length);
      add(
          "garbage-after-header-" + tag + "-" + k,
          tag + "-garbage-" + k + "." + f,
          b,
          Expect.REFUSED,
          0,
          0,
          null);
    }
  }

  private void add(
      String name, String file, byte[] bytes, Expect expect, int w, int h, int[] expected)
      throws IOException {
    Path p = dir.resolve(file);
    Files.write(p, bytes);
    cases.add(new Case(name, p, expect, w, h, expected));
  }

  /** A noisy gradient, so that every format has real data to cut into. */
  private BufferedImage scene() {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int r = (x * 255 / W + rnd.nextInt(40)) & 0xff;
        int g = (y * 255 / H + rnd.nextInt(40)) & 0xff;
        int b = rnd.nextInt(256);
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return img;
  }

  static byte[] encode(BufferedImage img, String ext) throws IOException {
    String format = switch (ext) {
      case "jpg" -> "jpeg";
      case "tif" -> "tiff";
      default -> ext;
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, format, out)) {
      throw new IOException("no ImageIO writer for " + format + " and image type " + img.getType());
    }
    return out.toByteArray();
  }

  /** Bytes of the format's fixed header (what a reader recognises the file by). */
  private static int headerLength(String f, byte[] valid) {
    return switch (f) {
      case "png" -> 8 + 25; // signature + IHDR chunk
      case "jpg" -> 20; // SOI + APP0/JFIF
      case "bmp" -> 54; // file + info header
      case "gif" -> 13; // signature + logical screen descriptor
      case "tif" -> 8; // byte order, magic, first IFD offset
      case "webp" -> 12; // RIFF, size, WEBP
      default -> Math.min(16, valid.length);
    };
  }

  private void pngCrcCases(BufferedImage base) throws IOException {
    byte[] valid = encode(base, "png");
    List<int[]> chunks = pngChunks(valid); // {offset of length field, data length, type as int}
    for (int[] c : chunks) {
      String type = new String(valid, c[0] + 4, 4, StandardCharsets.US_ASCII);
      byte[] b = valid.clone();
      int crcAt = c[0] + 8 + c[1];
      b[crcAt + 3] ^= 0x5a;
      add(
          "png-bad-crc-" + type + "-at-" + crcAt,
          "badcrc-" + type + "-" + crcAt + ".png",
          b,
          Expect.REFUSED,
          0,
          0,
          null);
    }
    // an IDAT whose bytes changed while its CRC still matches the old ones
    for (int[] c : chunks) {
      String type = new String(valid, c[0] + 4, 4, StandardCharsets.US_ASCII);
      if (type.equals("IDAT") && c[1] > 8) {
        byte[] b = valid.clone();
        b[c[0] + 8 + c[1] / 2] ^= 0x10;
        add("png-idat-byte-changed-crc-stale", "stalecrc.png", b, Expect.REFUSED, 0, 0, null);
        break;
      }
    }
  }

  static List<int[]> pngChunks(byte[] png) {
    List<int[]> out = new ArrayList<>();
    int at = 8;
    while (at + 12 <= png.length) {
      int len = ByteBuffer.wrap(png, at, 4).getInt();
      int type = ByteBuffer.wrap(png, at + 4, 4).getInt();
      out.add(new int[] {at, len, type});
      at += 12 + len;
    }
    return out;
  }

  private void zeroByteCases() throws IOException {
    for (String ext : List.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "wbmp")) {
      add("zero-bytes-" + ext, "empty." + ext, new byte[0], Expect.REFUSED, 0, 0, null);
    }
  }

  private void notImageCases(Path onnxFile) throws IOException {
    byte[] text = "road,sidewalk,building\nthis is not an image\n"
        .repeat(20)
        .getBytes(StandardCharsets.UTF_8);
    byte[] zip = zip();
    byte[] onnx = Files.readAllBytes(onnxFile);
    byte[] html = "<!DOCTYPE html><html><body><img src=x.png></body></html>\n"
        .getBytes(StandardCharsets.UTF_8);
    byte[] random = new byte[4096];
    rnd.nextBytes(random);
    for (String ext : List.of("png", "jpg", "bmp", "gif", "tif")) {
      add("text-as-" + ext, "notes-txt." + ext, text, Expect.REFUSED, 0, 0, null);
      add("zip-as-" + ext, "archive-zip." + ext, zip, Expect.REFUSED, 0, 0, null);
      add("onnx-model-as-" + ext, "net-onnx." + ext, onnx, Expect.REFUSED, 0, 0, null);
    }
    add("html-as-png", "page-html.png", html, Expect.REFUSED, 0, 0, null);
    add("random-bytes-as-png", "random.png", random, Expect.REFUSED, 0, 0, null);
    add("random-bytes-as-jpg", "random.jpg", random, Expect.REFUSED, 0, 0, null);
    add("one-byte-as-png", "one.png", new byte[] {(byte) 0x89}, Expect.REFUSED, 0, 0, null);
    add(
        "png-signature-only",
        "sig.png",
        Arrays.copyOf(encode(new BufferedImage(2, 2, BufferedImage.TYPE_3BYTE_BGR), "png"), 8),
        Expect.REFUSED,
        0,
        0,
        null);
  }

  private byte[] zip() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      z.putNextEntry(new ZipEntry("model.yaml"));
      z.write("name: zipped\n".getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    return bytes.toByteArray();
  }

  private void hugeCases() throws IOException {
    int[][] pngSizes = {
      {100_000, 100_000},
      {65_535, 65_535},
      {1, 200_000_000},
      {200_000_000, 1},
      {20_000, 10_000},
      {Integer.MAX_VALUE, Integer.MAX_VALUE}
    };
    for (int[] s : pngSizes) {
      add(
          "huge-png-" + s[0] + "x" + s[1],
          "huge-" + s[0] + "x" + s[1] + ".png",
          hugePng(s[0], s[1], 2, 8),
          Expect.REFUSED_BY_LIMIT,
          0,
          0,
          null);
    }
    add(
        "huge-png-rgba16-100000x100000",
        "huge-rgba16.png",
        hugePng(100_000, 100_000, 6, 16),
        Expect.REFUSED_BY_LIMIT,
        0,
        0,
        null);
    add(
        "huge-bmp-20000x20000",
        "huge.bmp",
        hugeBmp(20_000, 20_000),
        Expect.REFUSED_BY_LIMIT,
        0,
        0,
        null);
    add(
        "huge-bmp-top-down-20000x-20000",
        "huge-topdown.bmp",
        hugeBmp(20_000, -20_000),
        Expect.REFUSED_BY_LIMIT,
        0,
        0,
        null);
    // too big for the BMP reader's own header check (row bytes overflow an int): refused by it,
    // also unread
    add(
        "huge-bmp-100000x100000",
        "huge-overflow.bmp",
        hugeBmp(100_000, 100_000),
        Expect.REFUSED,
        0,
        0,
        null);
    add(
        "huge-gif-65535x65535",
        "huge.gif",
        hugeGif(65_535, 65_535),
        Expect.REFUSED_BY_LIMIT,
        0,
        0,
        null);
    add(
        "huge-tiff-100000x100000",
        "huge.tif",
        hugeTiff(100_000, 100_000),
        Expect.REFUSED_BY_LIMIT,
        0,
        0,
        null);
    add(
        "huge-jpeg-60000x60000",
        "huge.jpg",
        hugeJpeg(60_000, 60_000),
        Expect.REFUSED_BY_LIMIT,
        0,
        0,
        null);
  }

  /** A PNG whose IHDR (valid CRC) declares w x h, followed by a tiny IDAT and IEND. */
  static byte[] hugePng(int w, int h, int colorType, int depth) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13)
        .putInt(w)
        .putInt(h)
        .put((byte) depth)
        .put((byte) colorType)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    Deflater d = new Deflater();
    d.setInput(new byte[1024]);
    d.finish();
    byte[] buf = new byte[2048];
    int n = d.deflate(buf);
    d.end();
    chunk(out, "IDAT", Arrays.copyOf(buf, n));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] hugeBmp(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(54 + 64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long rowBytes = ((long) w * 3 + 3) / 4 * 4;
    long size = 54 + rowBytes * Math.abs((long) h);
    b.put((byte) 'B')
        .put((byte) 'M')
        .putInt((int) Math.min(size, Integer.MAX_VALUE))
        .putInt(0)
        .putInt(54);
    b.putInt(40)
        .putInt(w)
        .putInt(h)
        .putShort((short) 1)
        .putShort((short) 24)
        .putInt(0)
        .putInt((int) Math.min(rowBytes * Math.abs((long) h), Integer.MAX_VALUE))
        .putInt(2835)
        .putInt(2835)
        .putInt(0)
        .putInt(0);
    return b.array();
  }

  private static byte[] hugeGif(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("GIF89a".getBytes(StandardCharsets.US_ASCII))
        .putShort((short) w)
        .putShort((short) h)
        .put((byte) 0x80)
        .put((byte) 0)
        .put((byte) 0); // global color table of 2 entries
    b.put(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
    b.put((byte) 0x2c)
        .putShort((short) 0)
        .putShort((short) 0)
        .putShort((short) w)
        .putShort((short) h)
        .put((byte) 0);
    b.put((byte) 2)
        .put((byte) 2)
        .put((byte) 0x4c)
        .put((byte) 0x01)
        .put((byte) 0)
        .put((byte) 0x3b);
    return Arrays.copyOf(b.array(), b.position());
  }

  private static byte[] hugeTiff(int w, int h) {
    ByteBuffer b =
        ByteBuffer.allocate(8 + 2 + 8 * 12 + 4 + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
    b.putShort((short) 8);
    entry(b, 256, 4, w); // ImageWidth LONG
    entry(b, 257, 4, h); // ImageLength LONG
    entry(b, 258, 3, 8); // BitsPerSample SHORT
    entry(b, 259, 3, 1); // Compression none
    entry(b, 262, 3, 1); // BlackIsZero
    entry(b, 273, 4, 8 + 2 + 8 * 12 + 4); // StripOffsets
    entry(b, 278, 4, h); // RowsPerStrip
    entry(b, 279, 4, 16); // StripByteCounts
    b.putInt(0);
    return b.array();
  }

  private static void entry(ByteBuffer b, int tag, int type, int value) {
    b.putShort((short) tag).putShort((short) type).putInt(1);
    if (type == 3) {
      b.putShort((short) value).putShort((short) 0);
    } else {
      b.putInt(value);
    }
  }

  private static byte[] hugeJpeg(int w, int h) throws IOException {
    // a valid small baseline JPEG whose SOF0 size fields are rewritten
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR);
    byte[] b = encode(img, "jpg");
    for (int i = 2; i + 9 < b.length; i++) {
      if ((b[i] & 0xff) == 0xff && (b[i + 1] & 0xff) == 0xc0) {
        b[i + 5] = (byte) (h >> 8);
        b[i + 6] = (byte) h;
        b[i + 7] = (byte) (w >> 8);
        b[i + 8] = (byte) w;
        return b;
      }
    }
    throw new IOException("no SOF0 in the encoded JPEG");
  }

  /** Gray, 16-bit gray, RGBA, indexed and 1-bit images (and their BMP/GIF/TIFF/JPEG forms) must decode. */
  private void acceptedCases() throws IOException {
    int w = 37;
    int h = 23;
    BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage gray16 = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    BufferedImage rgba = new BufferedImage(w, h, BufferedImage.TYPE_4BYTE_ABGR);
    // a full 256-entry palette: the JDK's BMP writer packs a 16-entry one into 4 bits wrongly
    byte[] r = new byte[256];
    byte[] g = new byte[256];
    byte[] bl = new byte[256];
    for (int i = 0; i < 256; i++) {
      r[i] = (byte) (i * 17);
      g[i] = (byte) (255 - i * 13);
      bl[i] = (byte) ((i * 71) & 0xff);
    }
    BufferedImage indexed = new BufferedImage(
        w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, bl));
    BufferedImage binary = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
    int[] expGray = new int[w * h];
    int[] expGray16 = new int[w * h];
    int[] expRgba = new int[w * h];
    int[] expIndexed = new int[w * h];
    int[] expBinary = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        int v = rnd.nextInt(256);
        gray.getRaster().setSample(x, y, 0, v);
        expGray[i] = v * 0x010101;
        int v16 = rnd.nextInt(65536);
        gray16.getRaster().setSample(x, y, 0, v16);
        expGray16[i] = (v16 >> 8) * 0x010101;
        int a = rnd.nextInt(256);
        int cr = rnd.nextInt(256);
        int cg = rnd.nextInt(256);
        int cb = rnd.nextInt(256);
        rgba.getRaster().setPixel(x, y, new int[] {cr, cg, cb, a});
        // composited over black
        expRgba[i] = (cr * a / 255) << 16 | (cg * a / 255) << 8 | (cb * a / 255);
        int k = rnd.nextInt(16);
        indexed.getRaster().setSample(x, y, 0, k);
        expIndexed[i] = (r[k] & 0xff) << 16 | (g[k] & 0xff) << 8 | (bl[k] & 0xff);
        int bit = rnd.nextInt(2);
        binary.getRaster().setSample(x, y, 0, bit);
        expBinary[i] = bit == 0 ? 0 : 0xffffff;
      }
    }
    add("accept-png-gray8", "ok-gray8.png", encode(gray, "png"), Expect.ACCEPTED, w, h, expGray);
    add(
        "accept-png-gray16",
        "ok-gray16.png",
        encode(gray16, "png"),
        Expect.ACCEPTED,
        w,
        h,
        expGray16);
    add("accept-png-rgba", "ok-rgba.png", encode(rgba, "png"), Expect.ACCEPTED, w, h, expRgba);
    add(
        "accept-png-indexed",
        "ok-indexed.png",
        encode(indexed, "png"),
        Expect.ACCEPTED,
        w,
        h,
        expIndexed);
    add("accept-png-1bit", "ok-1bit.png", encode(binary, "png"), Expect.ACCEPTED, w, h, expBinary);
    add("accept-bmp-gray8", "ok-gray8.bmp", encode(gray, "bmp"), Expect.ACCEPTED, w, h, expGray);
    add(
        "accept-bmp-indexed",
        "ok-indexed.bmp",
        encode(indexed, "bmp"),
        Expect.ACCEPTED,
        w,
        h,
        expIndexed);
    add("accept-bmp-1bit", "ok-1bit.bmp", encode(binary, "bmp"), Expect.ACCEPTED, w, h, expBinary);
    add(
        "accept-gif-indexed",
        "ok-indexed.gif",
        encode(indexed, "gif"),
        Expect.ACCEPTED,
        w,
        h,
        expIndexed);
    add("accept-gif-1bit", "ok-1bit.gif", encode(binary, "gif"), Expect.ACCEPTED, w, h, expBinary);
    add("accept-tif-gray8", "ok-gray8.tif", encode(gray, "tif"), Expect.ACCEPTED, w, h, expGray);
    add(
        "accept-tif-gray16",
        "ok-gray16.tif",
        encode(gray16, "tif"),
        Expect.ACCEPTED,
        w,
        h,
        expGray16);
    add("accept-tif-rgba", "ok-rgba.tif", encode(rgba, "tif"), Expect.ACCEPTED, w, h, expRgba);
    add("accept-tif-1bit", "ok-1bit.tif", encode(binary, "tif"), Expect.ACCEPTED, w, h, expBinary);
    add("accept-jpg-gray8", "ok-gray8.jpg", encode(gray, "jpg"), Expect.ACCEPTED, w, h, null);
    add(
        "accept-png-1x1",
        "ok-1x1.png",
        encode(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png"),
        Expect.ACCEPTED,
        1,
        1,
        new int[] {0});
  }
}
