package dev.segmenter.backend.opencv;

import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.Device;
import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.ModelFormat;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.ModelSource;
import dev.segmenter.engine.spi.NativeBackend;
import dev.segmenter.engine.spi.NativeRuntime;
import dev.segmenter.engine.spi.SessionOptions;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Layer;
import org.opencv.dnn.Net;

/**
 * OpenCV DNN ({@code org.openpnp:opencv}, natives bundled in the jar, loaded once on first use).
 *
 * <p>Reads every format {@code cv::dnn} imports: ONNX, Caffe, TensorFlow, Torch7, Darknet and TFLite.
 * The openpnp build has no CUDA, so only the CPU is offered; a GPU request is an error, never a
 * fallback. {@link SessionOptions#threads()} maps to {@code cv::setNumThreads}, which is
 * <em>process-global</em>: the last session opened with a positive thread count sets it for all
 * OpenCV work in the JVM (0 leaves OpenCV's default, one thread per core).
 */
public final class OpenCvBackend extends NativeBackend<Void> {

  private static final Pattern CUDA_YES = Pattern.compile("NVIDIA CUDA:\\s*YES");
  private static final Pattern CV_ERROR =
      Pattern.compile("error: \\((-?\\d+):([^)]*)\\) (.*?)(?: in function '[^']*')?\\s*\\]?\\s*$");

  /** The natives, loaded at most once per JVM; the outcome (or failure reason) is kept. */
  static final NativeRuntime<Void> RUNTIME = new NativeRuntime<>(
      "opencv",
      () -> {
        nu.pattern.OpenCV.loadLocally();
        return new NativeRuntime.Probe<>(
            null,
            Core.VERSION,
            "OpenCV " + Core.VERSION + " (org.openpnp:opencv, bundled natives)",
            hasCuda() ? EnumSet.of(Device.CPU, Device.GPU) : EnumSet.of(Device.CPU));
      },
      OpenCvBackend::keepError);

  public OpenCvBackend() {
    super(
        "opencv",
        10,
        EnumSet.of(
            ModelFormat.ONNX,
            ModelFormat.CAFFE,
            ModelFormat.TENSORFLOW,
            ModelFormat.TORCH7,
            ModelFormat.DARKNET,
            ModelFormat.TFLITE),
        RUNTIME);
  }

  private static boolean hasCuda() {
    try {
      return CUDA_YES.matcher(Core.getBuildInformation()).find();
    } catch (Throwable t) {
      return false;
    }
  }

  /**
   * OpenCV's {@code cv::Exception} text ({@code OpenCV(4.9.0) /build/path/file.cpp:280: error: (-210:Category) what
   * in function 'f'}) keeps only what went wrong and its category.
   */
  static String keepError(String message) {
    String m = message.replaceAll("\\s+", " ").trim();
    Matcher cv = CV_ERROR.matcher(m);
    return cv.find() ? cv.group(3).trim() + " (" + cv.group(2).trim() + ")" : m;
  }

  @Override
  protected BackendSession open(Void natives, ModelSource model, SessionOptions options) {
    if (options.device() == Device.GPU && !devices().contains(Device.GPU)) {
      throw new BackendException(
          BackendException.Reason.UNAVAILABLE,
          "opencv: this OpenCV build has no CUDA (org.openpnp:opencv is CPU-only); use --device cpu or"
              + " another backend");
    }
    requireRegularFile(model.file(), model.format(), "model file");
    boolean needsConfig =
        model.format() == ModelFormat.CAFFE || model.format() == ModelFormat.DARKNET;
    if (model.config() != null) {
      requireRegularFile(model.config(), model.format(), "config file");
    } else if (needsConfig) {
      throw new ModelException(model.file() + ": " + model.format().key()
          + " models need a config file ("
          + (model.format() == ModelFormat.CAFFE ? "prototxt" : "cfg") + ") next to the weights");
    }
    if (options.threads() > 0) {
      Core.setNumThreads(options.threads()); // process-global, see the class comment
    }
    Net net;
    try {
      net = read(model);
    } catch (RuntimeException e) {
      throw new ModelException(
          model.file() + ": opencv cannot load this " + model.format().key() + " model: "
              + RUNTIME.oneLine(e),
          e);
    }
    if (net == null || net.empty()) {
      throw new ModelException(model.file() + ": opencv cannot load this "
          + model.format().key() + " model: the network is empty");
    }
    if (model.format() == ModelFormat.DARKNET) {
      checkDarknetWeights(model.file(), net);
    }
    if (model.format() == ModelFormat.CAFFE) {
      checkCaffeWeights(model.file(), net);
    }
    String device = "cpu";
    if (options.device() == Device.GPU) {
      net.setPreferableBackend(Dnn.DNN_BACKEND_CUDA);
      net.setPreferableTarget(Dnn.DNN_TARGET_CUDA);
      device = "cuda:0";
    } else {
      net.setPreferableBackend(Dnn.DNN_BACKEND_OPENCV);
      net.setPreferableTarget(Dnn.DNN_TARGET_CPU);
    }
    return new OpenCvSession(net, model.inputName(), model.outputName(), device);
  }

  private static Net read(ModelSource model) {
    String file = model.file().toString();
    String config = model.config() == null ? null : model.config().toString();
    switch (model.format()) {
      case ONNX:
        return Dnn.readNetFromONNX(file);
      case CAFFE:
        return Dnn.readNetFromCaffe(config, file);
      case TENSORFLOW:
        return config == null
            ? Dnn.readNetFromTensorflow(file)
            : Dnn.readNetFromTensorflow(file, config);
      case TORCH7:
        return Dnn.readNetFromTorch(file);
      case DARKNET:
        return Dnn.readNetFromDarknet(config, file);
      case TFLITE:
        return Dnn.readNetFromTFLite(file);
      default:
        throw new IllegalStateException("unhandled format " + model.format());
    }
  }

  /**
   * OpenCV's Darknet reader does not notice a weights file that ends early: it keeps whatever the
   * missing values happen to be. The weights file is a header then exactly the floats of the layers
   * OpenCV builds from it (Convolution, BatchNorm, InnerProduct), so a file with fewer is truncated.
   */
  private static void checkDarknetWeights(Path file, Net net) {
    long needed = 0;
    for (String name : net.getLayerNames()) {
      Layer layer = net.getLayer(net.getLayerId(name));
      String type = layer.get_type();
      if (type.equals("Convolution") || type.equals("BatchNorm") || type.equals("InnerProduct")) {
        for (Mat blob : layer.get_blobs()) {
          needed += blob.total();
          blob.release();
        }
      }
    }
    long size;
    int major;
    int minor;
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      size = Files.size(file);
      major = Integer.reverseBytes(in.readInt());
      minor = Integer.reverseBytes(in.readInt());
    } catch (IOException e) {
      throw new ModelException(
          file + ": darknet weights file cannot be read: " + RUNTIME.oneLine(e), e);
    }
    long header = 12 + ((major * 10L + minor) >= 2 ? 8 : 4);
    long floats = (size - header) / Float.BYTES;
    if (floats < needed) {
      throw new ModelException(file + ": darknet weights file holds " + Math.max(0, floats)
          + " weights but the cfg needs " + needed + " (truncated or the wrong cfg)");
    }
  }

  /**
   * OpenCV's Caffe reader parses a damaged weights file leniently (protobuf skips what it cannot read) and
   * leaves the layers without weights; forward would then fail on every image. Such a file is refused here.
   */
  private static void checkCaffeWeights(Path file, Net net) {
    for (String name : net.getLayerNames()) {
      Layer layer = net.getLayer(net.getLayerId(name));
      String type = layer.get_type();
      if (type.equals("Convolution")
          || type.equals("Deconvolution")
          || type.equals("InnerProduct")) {
        java.util.List<Mat> blobs = layer.get_blobs();
        boolean empty = blobs.isEmpty();
        for (Mat blob : blobs) {
          blob.release();
        }
        if (empty) {
          throw new ModelException(file + ": caffe weights file holds no weights for layer '" + name
              + "' (" + type + "): corrupt, or not the weights of this prototxt");
        }
      }
    }
  }
}
