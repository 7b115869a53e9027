package dev.segmenter.backend.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.Device;
import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.ModelFormat;
import dev.segmenter.engine.spi.Availability;
import dev.segmenter.engine.spi.Backend;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.ModelSource;
import dev.segmenter.engine.spi.SessionOptions;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.Set;

/**
 * ONNX Runtime through its own Java API ({@code ai.onnxruntime}, brought in by DJL's
 * {@code onnxruntime-engine} artifact together with the CPU natives).
 *
 * <p>Why ORT's API and not DJL's: it copies less. The input goes from the caller's {@code float[]}
 * into one direct native-order buffer that ORT uses in place (a direct buffer is not copied again),
 * and the output is copied once, by {@code OnnxTensor.getFloatBuffer()}, into the array the returned
 * {@link dev.segmenter.engine.Tensor} wraps. DJL would add an {@code NDArray} on each side (one more
 * copy in, one more out) and an {@code NDManager} per call, for nothing this adapter needs.
 *
 * <p>A GPU request adds the CUDA execution provider and fails (never falls back) when this ORT build
 * has none: the CPU jar has only the CPU provider.
 */
public final class OnnxRuntimeBackend implements Backend {

  /** Loads the natives at most once; the outcome (or failure reason) is kept. */
  private static final class Natives {
    static final OrtEnvironment ENV;
    static final Availability STATE;

    static {
      OrtEnvironment env = null;
      Availability state;
      try {
        env = OrtEnvironment.getEnvironment();
        state = Availability.yes("ONNX Runtime " + env.getVersion() + ", providers " + providers());
      } catch (Throwable t) { // UnsatisfiedLinkError, ExceptionInInitializerError...
        state = Availability.no(
            "onnxruntime: the native library could not be loaded: " + OnnxRuntimeSession.oneLine(t));
      }
      ENV = env;
      STATE = state;
    }
  }

  static String providers() {
    try {
      return OrtEnvironment.getAvailableProviders().toString();
    } catch (Throwable t) {
      return "unknown";
    }
  }

  @Override
  public String name() {
    return "onnxruntime";
  }

  @Override
  public String version() {
    if (!availability().available()) {
      return "unknown";
    }
    try {
      return Natives.ENV.getVersion();
    } catch (Throwable t) {
      return "unknown";
    }
  }

  @Override
  public Availability availability() {
    try {
      return Natives.STATE;
    } catch (Throwable t) {
      return Availability.no("onnxruntime: the native library could not be loaded: " + OnnxRuntimeSession.oneLine(t));
    }
  }

  @Override
  public Set<ModelFormat> formats() {
    return EnumSet.of(ModelFormat.ONNX);
  }

  @Override
  public Set<Device> devices() {
    if (!availability().available()) {
      return EnumSet.noneOf(Device.class);
    }
    try {
      return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)
          ? EnumSet.of(Device.CPU, Device.GPU)
          : EnumSet.of(Device.CPU);
    } catch (Throwable t) {
      return EnumSet.of(Device.CPU);
    }
  }

  @Override
  public int rank() {
    return 30;
  }

  @Override
  public BackendSession open(ModelSource model, SessionOptions options) {
    Availability a = availability();
    if (!a.available()) {
      throw new BackendException(BackendException.Reason.UNAVAILABLE, a.reason());
    }
    if (model.format() != ModelFormat.ONNX) {
      throw new ModelException(
          model.file() + ": onnxruntime cannot read " + model.format().key() + " models; it reads onnx");
    }
    if (!Files.exists(model.file())) {
      throw new ModelException(model.file() + ": onnx model file does not exist");
    }
    if (!Files.isRegularFile(model.file())) {
      throw new ModelException(model.file() + ": onnx model file is not a regular file");
    }
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    OrtSession session = null;
    try {
      try {
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (options.threads() > 0) {
          so.setIntraOpNumThreads(options.threads());
        }
      } catch (OrtException e) {
        throw new BackendException(
            BackendException.Reason.FAILED,
            "onnxruntime: session options refused: " + OnnxRuntimeSession.oneLine(e),
            e);
      }
      if (options.device() == Device.GPU) {
        try {
          so.addCUDA(0);
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
          throw new BackendException(
              BackendException.Reason.UNAVAILABLE,
              "onnxruntime: no CUDA execution provider in this ONNX Runtime build (available providers: "
                  + providers() + "; the CPU jar has none, the onnxruntime_gpu jar and CUDA are needed): "
                  + OnnxRuntimeSession.oneLine(e) + "; use --device cpu or another backend",
              e);
        }
      }
      try {
        session = Natives.ENV.createSession(model.file().toString(), so);
      } catch (OrtException | RuntimeException e) {
        throw new ModelException(
            model.file() + ": onnxruntime cannot load this onnx model: " + OnnxRuntimeSession.oneLine(e), e);
      }
      String input = pick(model, session.getInputNames(), model.inputName(), "input");
      String output = pick(model, session.getOutputNames(), model.outputName(), "output");
      String device = options.device() == Device.GPU ? "cuda:0" : "cpu";
      OnnxRuntimeSession s = new OnnxRuntimeSession(Natives.ENV, session, so, input, output, device);
      session = null;
      so = null;
      return s;
    } finally {
      if (session != null) {
        try {
          session.close();
        } catch (OrtException ignored) {
          // already failing; the first error is the one to report
        }
      }
      if (so != null) {
        so.close();
      }
    }
  }

  private static String pick(ModelSource model, Set<String> names, String wanted, String what) {
    if (names.isEmpty()) {
      throw new ModelException(model.file() + ": the onnx model has no " + what + "s");
    }
    if (wanted == null) {
      return names.iterator().next();
    }
    if (!names.contains(wanted)) {
      throw new ModelException(
          model.file() + ": the onnx model has no " + what + " named '" + wanted + "'; its " + what + "s are " + names);
    }
    return wanted;
  }
}
