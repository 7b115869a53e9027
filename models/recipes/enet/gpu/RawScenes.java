import dev.segmenter.scenes.Scene;
import dev.segmenter.scenes.StreetScene;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes generated street scenes as one raw file for GPU training, where decoding PNGs would cost more
 * than drawing the scenes: {@code --count N --seed S --size WxH --threads T --out FILE}.
 *
 * <p>Record {@code i} (seed {@code S + i}) sits at byte {@code i * W * H * 4}: {@code W * H * 3} bytes of
 * the picture (BGR, row-major, the same bytes as {@code NNNN.png} decodes to) and {@code W * H} bytes of
 * labels (Cityscapes train ids, 255 void, the same as {@code NNNN.labels.png}). {@code train_gpu.py} reads
 * it with {@code numpy.memmap}. Compile against the scenes module (the generator):
 * {@code javac -cp scenes/target/classes -d DIR models/recipes/enet/gpu/RawScenes.java}.
 */
public final class RawScenes {
  private RawScenes() {}

  public static void main(String[] args) throws Exception {
    int count = 0, width = 512, height = 256, threads = Runtime.getRuntime().availableProcessors();
    long seed = 1;
    Path out = null;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      String v = args[i + 1];
      switch (args[i]) {
        case "--count" -> count = Integer.parseInt(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--threads" -> threads = Integer.parseInt(v);
        case "--out" -> out = Path.of(v);
        case "--size" -> {
          String[] wh = v.split("x");
          width = Integer.parseInt(wh[0]);
          height = Integer.parseInt(wh[1]);
        }
        default -> throw new IllegalArgumentException(
            "unknown option " + args[i] + "; accepted: --count N --seed S --size WxH --threads T --out FILE");
      }
    }
    if (count <= 0 || out == null) {
      throw new IllegalArgumentException("--count N (> 0) and --out FILE are required");
    }
    long t0 = System.nanoTime();
    write(count, seed, width, height, threads, out);
    System.out.printf("wrote %d scenes %dx%d (seeds %d..%d) to %s in %.1f s%n",
        count, width, height, seed, seed + count - 1, out, (System.nanoTime() - t0) / 1e9);
  }

  static void write(int count, long seed, int width, int height, int threads, Path out) throws Exception {
    long record = (long) width * height * 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      List<Future<?>> jobs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        final int index = i;
        jobs.add(pool.submit(() -> {
          Scene s = StreetScene.generate(seed + index, width, height);
          byte[] bgr = ((DataBufferByte) s.image().getRaster().getDataBuffer()).getData();
          ByteBuffer buf = ByteBuffer.allocate((int) record);
          buf.put(bgr, 0, width * height * 3).put(s.labels()).flip();
          long pos = index * record;
          while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
          }
          return null;
        }));
      }
      for (Future<?> f : jobs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
