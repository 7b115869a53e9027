package dev.segmenter.benchmarks;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.CategoryMask;
import ai.djl.modality.cv.transform.Normalize;
import ai.djl.modality.cv.transform.Resize;
import ai.djl.modality.cv.transform.ToTensor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Pipeline;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.segmenter.engine.ModelFormat;
import dev.segmenter.engine.model.InputSpec;
import dev.segmenter.engine.model.Layout;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.model.ModelCards;
import dev.segmenter.palettes.Palettes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The JVM peer a user would pick instead of our engine: DJL's own {@link Predictor} on the TorchScript
 * model, a folder in, three files out per image, written as a DJL user would write it.
 *
 * <pre>
 * java -Dai.djl.offline=true -cp benchmarks/target/benchmarks.jar dev.segmenter.benchmarks.DjlPeer \
 *   --model models/shipped/enet-streets --images DIR --out DIR [--threads N]
 * </pre>
 *
 * <p>Per image ({@code *.png}, {@code *.jpg}, {@code *.jpeg}, name order; {@code *.labels.png} skipped, as
 * {@code eval} and {@code classic_pipeline.py} do): {@code ImageFactory.fromFile},
 * {@code predictor.predict}, then {@code NAME.classes.png} (class ids as 8-bit gray at the image's size),
 * {@code NAME.color.png} (the card's palette) and {@code NAME.overlay.png} (palette over the image at alpha
 * 128/255, drawn by DJL's {@code Image.drawImage}, as {@code CategoryMask.drawMask} does). Prints one JSON
 * line: images, seconds and images/s of the loop from decode to files written (model load excluded), and
 * per-stage medians.
 *
 * <p>Why not DJL's {@code SemanticSegmentationTranslator}: it cannot be configured to the card. Its
 * {@code processOutput} reads the model's second output ({@code list.get(1)}, the layout of DJL's zoo
 * DeepLabV3), and our TorchScript returns one tensor: tried with the card's transforms, {@code predict} throws
 * {@code IndexOutOfBoundsException: Index 1 out of bounds for length 1}. Its builder also always puts an
 * aspect-keeping {@code ResizeShort} first, where the card stretches. So the translator here is the small
 * custom one DJL's docs suggest, from DJL's own transforms ({@link Resize} bilinear, {@link ToTensor},
 * {@link Normalize}) plus a channel flip (DJL images are RGB, the card wants BGR), and argmax in libtorch.
 *
 * <p>Nothing downloads: run with {@code -Dai.djl.offline=true} (set here too when absent); the libtorch
 * natives come from the {@code pytorch-native-cpu} jar on the class path. {@code --threads} sets DJL's
 * {@code ai.djl.pytorch.num_threads} (intra-op threads; libtorch's default is every core).
 */
public final class DjlPeer {

  private DjlPeer() {}

  public static void main(String[] args)
      throws IOException, ModelNotFoundException, MalformedModelException, TranslateException {
    Path modelDir = null;
    Path images = null;
    Path out = null;
    int threads = 0;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      if (v == null) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      switch (args[i]) {
        case "--model" -> modelDir = Path.of(v);
        case "--images" -> images = Path.of(v);
        case "--out" -> out = Path.of(v);
        case "--threads" -> threads = Integer.parseInt(v);
        default ->
          throw new IllegalArgumentException("unknown option " + args[i]
              + "; accepted: --model DIR --images DIR --out DIR [--threads N]");
      }
      i++;
    }
    if (modelDir == null || images == null || out == null) {
      throw new IllegalArgumentException("--model DIR, --images DIR and --out DIR are required");
    }
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (threads > 0) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    }
    // the card only supplies the numbers; everything below is DJL's
    ModelCard card = ModelCards.load(modelDir);
    int[] palette = card.paletteRgb() != null
        ? card.paletteRgb()
        : Palettes.builtIn(card.paletteName()).colors();
    List<Path> files = listImages(images);
    Files.createDirectories(out);

    Criteria<Image, CategoryMask> criteria = Criteria.builder()
        .setTypes(Image.class, CategoryMask.class)
        .optModelPath(card.requireFile(ModelFormat.TORCHSCRIPT).file())
        .optEngine("PyTorch")
        .optDevice(Device.cpu())
        .optTranslator(new CardTranslator(card))
        .build();
    ImageFactory factory = ImageFactory.getInstance();
    double[][] ms = new double[4][files.size()];
    long start;
    long end;
    try (ZooModel<Image, CategoryMask> model = criteria.loadModel();
        Predictor<Image, CategoryMask> predictor = model.newPredictor()) {
      start = System.nanoTime();
      for (int i = 0; i < files.size(); i++) {
        Path file = files.get(i);
        long t0 = System.nanoTime();
        Image image = factory.fromFile(file);
        long t1 = System.nanoTime();
        CategoryMask mask = predictor.predict(image);
        long t2 = System.nanoTime();
        write(image, mask, palette, out, stem(file));
        long t3 = System.nanoTime();
        ms[0][i] = (t1 - t0) / 1e6;
        ms[1][i] = (t2 - t1) / 1e6;
        ms[2][i] = (t3 - t2) / 1e6;
        ms[3][i] = (t3 - t0) / 1e6;
      }
      end = System.nanoTime();
    }
    double seconds = (end - start) / 1e9;
    Map<String, Object> medians = new LinkedHashMap<>();
    medians.put("decode", median(ms[0]));
    medians.put("predict", median(ms[1]));
    medians.put("write", median(ms[2]));
    medians.put("total", median(ms[3]));
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("pipeline", "djl-predictor");
    line.put("djl", Engine.getDjlVersion());
    line.put("pytorch", Engine.getEngine("PyTorch").getVersion());
    line.put("threads", threads);
    line.put("images", files.size());
    line.put("seconds", seconds);
    line.put("images_per_s", files.size() / seconds);
    line.put("median_ms", medians);
    System.out.println(dev.segmenter.engine.io.Json.write(line));
  }

  /**
   * The card's preprocessing in DJL transforms: blob = {@code ((p - mean) * scale) / std} in the card's
   * channel order equals {@code Normalize(mean / 255, std / (255 * scale))} after {@code ToTensor} (p / 255).
   */
  static final class CardTranslator implements Translator<Image, CategoryMask> {

    private final Pipeline pipeline;
    private final List<String> classes;

    CardTranslator(ModelCard card) {
      InputSpec in = card.input();
      if (in.fit() != InputSpec.Fit.STRETCH || in.layout() != Layout.NCHW) {
        throw new IllegalArgumentException(card.cardFile() + ": input.fit " + in.fit()
            + ", input.layout " + in.layout() + ": this peer reads stretch and NCHW cards only");
      }
      float[] mean = new float[3];
      float[] std = new float[3];
      for (int c = 0; c < 3; c++) {
        mean[c] = (float) (in.mean()[c] / 255);
        std[c] = (float) (in.std()[c] / (255 * in.scale()));
      }
      pipeline = new Pipeline()
          .add(new Resize(in.width(), in.height())) // bilinear
          .add(new ToTensor()); // HWC uint8 -> CHW float in [0, 1], RGB
      if (!in.rgb()) {
        pipeline.add(array -> array.flip(0)); // RGB -> BGR, the card's channel order
      }
      pipeline.add(new Normalize(mean, std));
      classes = card.classNames();
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
      NDArray array = input.toNDArray(ctx.getNDManager(), Image.Flag.COLOR);
      return pipeline.transform(new NDList(array));
    }

    @Override
    public CategoryMask processOutput(TranslatorContext ctx, NDList list) {
      NDArray scores = list.singletonOrThrow(); // C x H x W: the batchifier took the batch axis off
      int height = (int) scores.getShape().get(1);
      int width = (int) scores.getShape().get(2);
      int[] ids = scores.argMax(0).toType(DataType.INT32, false).toIntArray();
      int[][] mask = new int[height][];
      for (int y = 0; y < height; y++) {
        mask[y] = Arrays.copyOfRange(ids, y * width, (y + 1) * width);
      }
      return new CategoryMask(classes, mask);
    }
  }

  /** The three outputs; the mask is at the network's size, so it is first brought to the image's (nearest). */
  private static void write(Image image, CategoryMask mask, int[] palette, Path out, String stem)
      throws IOException {
    int w = image.getWidth();
    int h = image.getHeight();
    int[][] small = mask.getMask();
    int sh = small.length;
    int sw = small[0].length;
    int[] xs = new int[w];
    for (int x = 0; x < w; x++) {
      xs[x] =
          Math.min(sw - 1, (int) ((x + 0.5) * sw / w)); // pixel centres, as our engine's nearest
    }
    BufferedImage classes = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    byte[] ids = new byte[w * h];
    int[] colors = new int[w * h];
    int[] tint = new int[w * h];
    for (int y = 0; y < h; y++) {
      int[] row = small[Math.min(sh - 1, (int) ((y + 0.5) * sh / h))];
      for (int x = 0; x < w; x++) {
        int id = row[xs[x]];
        int rgb = palette[id];
        ids[y * w + x] = (byte) id;
        colors[y * w + x] = 0xFF000000 | rgb;
        tint[y * w + x] = 0x80000000 | rgb;
      }
    }
    classes.getRaster().setDataElements(0, 0, w, h, ids);
    ImageIO.write(classes, "png", out.resolve(stem + ".classes.png").toFile());
    ImageFactory factory = ImageFactory.getInstance();
    save(factory.fromPixels(colors, w, h), out.resolve(stem + ".color.png"));
    image.drawImage(factory.fromPixels(tint, w, h), false);
    save(image, out.resolve(stem + ".overlay.png"));
  }

  private static void save(Image image, Path file) throws IOException {
    try (OutputStream os = Files.newOutputStream(file)) {
      image.save(os, "png");
    }
  }

  private static List<Path> listImages(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = new ArrayList<>(s.filter(p -> {
            String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
            return n.matches(".*\\.(png|jpe?g)") && !n.endsWith(".labels.png");
          })
          .sorted()
          .toList());
      if (files.isEmpty()) {
        throw new IOException(dir + ": no .png, .jpg or .jpeg files (other than *.labels.png)");
      }
      return files;
    }
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
}
