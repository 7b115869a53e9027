package dev.segmenter.backend.pytorch;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.Device;
import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.ModelFormat;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.ModelSource;
import dev.segmenter.engine.spi.NativeBackend;
import dev.segmenter.engine.spi.NativeRuntime;
import dev.segmenter.engine.spi.SessionOptions;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;

/**
 * PyTorch (libtorch 2.7.1) through DJL's PyTorch engine; reads TorchScript only.
 *
 * <p>The natives come from the {@code pytorch-native-cpu} and {@code pytorch-jni} jars on the class
 * path: {@code ai.djl.offline=true} is set (unless already set) before DJL is touched, so it never
 * downloads. DJL copies the natives from those jars into its cache directory ({@code ~/.djl.ai}, or
 * {@code DJL_CACHE_DIR}) on first use. {@link SessionOptions#threads()} maps to
 * {@code torch::set_num_threads}, which is process-global (0 keeps libtorch's default). DJL logs through
 * slf4j; this module brings no binding.
 */
public final class PyTorchBackend extends NativeBackend<Engine> {

  static final String ENGINE = "PyTorch";

  /** DJL's PyTorch engine, started at most once per JVM; the outcome (or failure reason) is kept. */
  static final NativeRuntime<Engine> RUNTIME = new NativeRuntime<>(
      "pytorch",
      () -> {
        if (System.getProperty("ai.djl.offline") == null) {
          System.setProperty("ai.djl.offline", "true");
        }
        Engine engine = Engine.getEngine(ENGINE);
        int gpus = engine.getGpuCount();
        return new NativeRuntime.Probe<>(
            engine,
            engine.getVersion(),
            "PyTorch " + engine.getVersion() + " (DJL " + Engine.getDjlVersion() + "), " + gpus
                + " GPU(s)",
            gpus > 0 ? EnumSet.of(Device.CPU, Device.GPU) : EnumSet.of(Device.CPU));
      },
      PyTorchBackend::keepError);

  public PyTorchBackend() {
    super("pytorch", 20, EnumSet.of(ModelFormat.TORCHSCRIPT), RUNTIME);
  }

  /**
   * libtorch messages may carry a C++ backtrace after the message: it is dropped; TorchScript interpreter errors
   * print both tracebacks first and the error itself last: the error is kept.
   */
  static String keepError(String message) {
    String m = message;
    int cut = m.indexOf("Exception raised from");
    if (cut > 0) {
      m = m.substring(0, cut);
    }
    if (m.contains("Traceback of TorchScript")) {
      String[] lines = m.split("\\R");
      for (int i = lines.length - 1; i >= 0; i--) {
        if (lines[i].matches("^[A-Za-z_.]*(Error|Exception): .*")) {
          return String.join(" ", Arrays.copyOfRange(lines, i, lines.length));
        }
      }
    }
    return m;
  }

  @Override
  protected BackendSession open(Engine engine, ModelSource model, SessionOptions options) {
    ai.djl.Device device = ai.djl.Device.cpu();
    if (options.device() == Device.GPU) {
      if (!devices().contains(Device.GPU)) {
        throw new BackendException(
            BackendException.Reason.UNAVAILABLE,
            "pytorch: no CUDA GPU (ai.djl.pytorch:pytorch-native-cpu has no CUDA; a CUDA build of the"
                + " natives and a GPU are needed); use --device cpu or another backend");
      }
      device = ai.djl.Device.gpu(0);
    }
    requireRegularFile(model.file(), ModelFormat.TORCHSCRIPT, "model file");
    if (options.threads() > 0) {
      JniUtils.setNumThreads(options.threads()); // process-global, see the class comment
    }
    String fileName = model.file().getFileName().toString();
    Model djl = Model.newInstance(fileName, device, ENGINE);
    try {
      // a regular file as the model path: DJL loads exactly that file, whatever its extension;
      // mapLocation puts tensors saved on another device onto this one
      djl.load(model.file(), null, Map.of("mapLocation", "true"));
    } catch (IOException | MalformedModelException | RuntimeException e) {
      djl.close();
      throw new ModelException(
          model.file() + ": pytorch cannot load this torchscript model: " + oneLine(e), e);
    }
    return new PyTorchSession(
        djl, model.outputName(), options.device() == Device.GPU ? "cuda:0" : "cpu");
  }
}
