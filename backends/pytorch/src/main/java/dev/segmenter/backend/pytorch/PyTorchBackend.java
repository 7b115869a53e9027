package dev.segmenter.backend.pytorch;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.Device;
import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.ModelFormat;
import dev.segmenter.engine.spi.Availability;
import dev.segmenter.engine.spi.Backend;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.ModelSource;
import dev.segmenter.engine.spi.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

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
public final class PyTorchBackend implements Backend {

  static final String ENGINE = "PyTorch";

  /** Starts DJL's PyTorch engine at most once; the outcome (or failure reason) is kept. */
  private static final class Natives {
    static final Engine ENGINE_INSTANCE;
    static final Availability STATE;

    static {
      Engine engine = null;
      Availability state;
      try {
        if (System.getProperty("ai.djl.offline") == null) {
          System.setProperty("ai.djl.offline", "true");
        }
        engine = Engine.getEngine(ENGINE);
        state = Availability.yes("PyTorch " + engine.getVersion() + " (DJL " + Engine.getDjlVersion() + "), "
            + engine.getGpuCount() + " GPU(s)");
      } catch (Throwable t) { // EngineException, UnsatisfiedLinkError, missing classes...
        engine = null;
        state = Availability.no("pytorch: the native library could not be loaded: " + PyTorchSession.oneLine(t));
      }
      ENGINE_INSTANCE = engine;
      STATE = state;
    }
  }

  @Override
  public String name() {
    return "pytorch";
  }

  @Override
  public String version() {
    if (!availability().available()) {
      return "unknown";
    }
    try {
      return Natives.ENGINE_INSTANCE.getVersion();
    } catch (Throwable t) {
      return "unknown";
    }
  }

  @Override
  public Availability availability() {
    try {
      return Natives.STATE;
    } catch (Throwable t) {
      return Availability.no("pytorch: the native library could not be loaded: " + PyTorchSession.oneLine(t));
    }
  }

  @Override
  public Set<ModelFormat> formats() {
    return EnumSet.of(ModelFormat.TORCHSCRIPT);
  }

  @Override
  public Set<Device> devices() {
    if (!availability().available()) {
      return EnumSet.noneOf(Device.class);
    }
    return gpuCount() > 0 ? EnumSet.of(Device.CPU, Device.GPU) : EnumSet.of(Device.CPU);
  }

  private static int gpuCount() {
    try {
      return Natives.ENGINE_INSTANCE.getGpuCount();
    } catch (Throwable t) {
      return 0;
    }
  }

  @Override
  public int rank() {
    return 20;
  }

  @Override
  public BackendSession open(ModelSource model, SessionOptions options) {
    Availability a = availability();
    if (!a.available()) {
      throw new BackendException(BackendException.Reason.UNAVAILABLE, a.reason());
    }
    if (model.format() != ModelFormat.TORCHSCRIPT) {
      throw new ModelException(
          model.file() + ": pytorch cannot read " + model.format().key() + " models; it reads torchscript");
    }
    ai.djl.Device device = ai.djl.Device.cpu();
    if (options.device() == Device.GPU) {
      if (gpuCount() == 0) {
        throw new BackendException(
            BackendException.Reason.UNAVAILABLE,
            "pytorch: no CUDA GPU (ai.djl.pytorch:pytorch-native-cpu has no CUDA; a CUDA build of the"
                + " natives and a GPU are needed); use --device cpu or another backend");
      }
      device = ai.djl.Device.gpu(0);
    }
    if (!Files.exists(model.file())) {
      throw new ModelException(model.file() + ": torchscript model file does not exist");
    }
    if (!Files.isRegularFile(model.file())) {
      throw new ModelException(model.file() + ": torchscript model file is not a regular file");
    }
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
          model.file() + ": pytorch cannot load this torchscript model: " + PyTorchSession.oneLine(e), e);
    }
    return new PyTorchSession(djl, model.outputName(), options.device() == Device.GPU ? "cuda:0" : "cpu");
  }
}
