package dev.segmenter.backend.opencv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.ClassMap;
import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.image.ImageDecoder;
import dev.segmenter.engine.pipeline.ResizeMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;
import org.opencv.imgproc.Imgproc;

/**
 * The shipped {@code selfie} model through our pipeline ({@code --backend auto}, which must pick opencv) gives the
 * same person masks as the raw OpenCV path on real photographs: {@code Dnn.readNetFromTFLite},
 * {@code Dnn.blobFromImage(image, 1/255, 256x256, mean 0, swapRB, no crop)}, {@code forward}, then threshold 0.5 and
 * resize to the image (nearest: threshold at 256x256, then {@code INTER_NEAREST_EXACT}; bilinear: {@code INTER_LINEAR}
 * on the probabilities, then threshold). Photos: models/photos (public domain, see its README); the cat and the
 * coffee cup have no person, yet the model marks much of them (it segments the main subject), which the card says.
 */
class SelfieParityTest {
  private static final Path ROOT = root();
  private static Segmenter nearest;
  private static Segmenter bilinear;

  @BeforeAll
  static void open() {
    OpenCvBackend backend = new OpenCvBackend();
    assertTrue(backend.availability().available(), backend.availability().reason());
    nearest = Segmenter.builder()
        .model("selfie")
        .backend("auto")
        .resize(ResizeMode.NEAREST)
        .build();
    bilinear = Segmenter.builder()
        .model("selfie")
        .backend("auto")
        .resize(ResizeMode.BILINEAR)
        .build();
  }

  @AfterAll
  static void close() {
    nearest.close();
    bilinear.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"astronaut.jpg, 0.30", "camera.png, 0.10", "coffee.jpg, 0", "chelsea.jpg, 0"})
  void masksEqualTheRawOpenCvPath(String photo, double minPerson) throws Exception {
    assertEquals(
        "opencv", nearest.backend().name(), "auto must pick the only backend that reads TFLite");
    BgrImage image = new ImageDecoder().read(ROOT.resolve("models/photos").resolve(photo));
    Mat[] raw = raw(image);
    try {
      for (ResizeMode mode : ResizeMode.values()) {
        Segmentation r = (mode == ResizeMode.NEAREST ? nearest : bilinear).segment(image);
        ClassMap ours = r.classMap();
        byte[] theirs = mask(raw[1], image.width(), image.height(), mode);
        long inter = 0;
        long union = 0;
        long person = 0;
        for (int i = 0; i < theirs.length; i++) {
          boolean a = ours.get(i) == 1;
          boolean b = theirs[i] != 0;
          inter += a && b ? 1 : 0;
          union += a || b ? 1 : 0;
          person += a ? 1 : 0;
        }
        double iou = union == 0 ? 1 : (double) inter / union;
        double fraction = (double) person / theirs.length;
        System.out.printf(
            Locale.ROOT,
            "selfie parity %s %s: IoU %.5f, person %.4f of %dx%d%n",
            photo,
            mode,
            iou,
            fraction,
            image.width(),
            image.height());
        assertTrue(iou >= 0.99, photo + " " + mode + ": IoU " + iou);
        assertTrue(fraction >= minPerson, photo + ": person fraction " + fraction);
      }
    } finally {
      for (Mat m : raw) {
        m.release();
      }
    }
  }

  /** {@code {blob, probabilities 256x256 CV_32F}} from OpenCV alone. */
  private static Mat[] raw(BgrImage image) {
    Mat mat = new Mat(image.height(), image.width(), CvType.CV_8UC3);
    mat.put(0, 0, image.data());
    Mat blob =
        Dnn.blobFromImage(mat, 1 / 255.0, new Size(256, 256), new Scalar(0, 0, 0), true, false);
    mat.release();
    Net net = Dnn.readNetFromTFLite(
        ROOT.resolve("models/shipped/selfie/selfie_segmentation.tflite").toString());
    net.setInput(blob);
    Mat out = net.forward();
    assertEquals(256 * 256, out.total(), "output " + out);
    float[] p = new float[256 * 256];
    out.reshape(1, 1).get(0, 0, p);
    out.release();
    Mat prob = new Mat(256, 256, CvType.CV_32F);
    prob.put(0, 0, p);
    Core.MinMaxLocResult mm = Core.minMaxLoc(prob);
    assertTrue(
        mm.minVal >= 0 && mm.maxVal <= 1,
        "a sigmoid output lies in [0, 1]: " + mm.minVal + ".." + mm.maxVal);
    return new Mat[] {blob, prob};
  }

  private static byte[] mask(Mat prob, int w, int h, ResizeMode mode) {
    Mat big = new Mat();
    Mat bin = new Mat();
    if (mode == ResizeMode.NEAREST) {
      Imgproc.threshold(prob, bin, 0.5, 255, Imgproc.THRESH_BINARY);
      Mat u8 = new Mat();
      bin.convertTo(u8, CvType.CV_8U);
      Imgproc.resize(u8, big, new Size(w, h), 0, 0, Imgproc.INTER_NEAREST_EXACT);
      u8.release();
    } else {
      Imgproc.resize(prob, bin, new Size(w, h), 0, 0, Imgproc.INTER_LINEAR);
      Mat t = new Mat();
      Imgproc.threshold(bin, t, 0.5, 255, Imgproc.THRESH_BINARY);
      t.convertTo(big, CvType.CV_8U);
      t.release();
    }
    byte[] m = new byte[w * h];
    big.get(0, 0, m);
    big.release();
    bin.release();
    assertArrayEquals(new int[] {w, h}, new int[] {m.length / h, h});
    return m;
  }

  private static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("segmenter"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "cannot find the project root (the folder holding ./segmenter)");
    }
    return p;
  }
}
