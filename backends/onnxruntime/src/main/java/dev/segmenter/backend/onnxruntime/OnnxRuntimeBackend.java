package dev.segmenter.backend.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.Device;
import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.ModelFormat;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.ModelSource;
import dev.segmenter.engine.spi.NativeBackend;
import dev.segmenter.engine.spi.NativeRuntime;
import dev.segmenter.engine.spi.SessionOptions;
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
public final class OnnxRuntimeBackend extends NativeBackend<OrtEnvironment> {

  /** The natives, loaded at most once per JVM; the outcome (or failure reason) is kept. */
  static final NativeRuntime<OrtEnvironment> RUNTIME = new NativeRuntime<>("onnxruntime", () -> {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Set<Device> devices = EnumSet.of(Device.CPU);
    try {
      if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
        devices.add(Device.GPU);
      }
    } catch (Throwable t) {
      // providers unknown: the CPU provider is always there
    }
    return new NativeRuntime.Probe<>(
        env,
        env.getVersion(),
        "ONNX Runtime " + env.getVersion() + ", providers " + providers(),
        devices);
  });

  public OnnxRuntimeBackend() {
    super("onnxruntime", 30, EnumSet.of(ModelFormat.ONNX), RUNTIME);
  }

  static String providers() {
    try {
      return OrtEnvironment.getAvailableProviders().toString();
    } catch (Throwable t) {
      return "unknown";
    }
  }

  @Override
  protected BackendSession open(OrtEnvironment env, ModelSource model, SessionOptions options) {
    requireRegularFile(model.file(), ModelFormat.ONNX, "model file");
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
            "onnxruntime: session options refused: " + oneLine(e),
            e);
      }
      if (options.device() == Device.GPU) {
        try {
          so.addCUDA(0);
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
          throw new BackendException(
              BackendException.Reason.UNAVAILABLE,
              "onnxruntime: no CUDA execution provider in this ONNX Runtime build (available providers: "
                  + providers()
                  + "; the CPU jar has none, the onnxruntime_gpu jar and CUDA are needed): "
                  + oneLine(e) + "; use --device cpu or another backend",
              e);
        }
      }
      try {
        session = env.createSession(model.file().toString(), so);
      } catch (OrtException | RuntimeException e) {
        throw new ModelException(
            model.file() + ": onnxruntime cannot load this onnx model: " + oneLine(e), e);
      }
      String input = pick(model, session.getInputNames(), model.inputName(), "input");
      String output = pick(model, session.getOutputNames(), model.outputName(), "output");
      String device = options.device() == Device.GPU ? "cuda:0" : "cpu";
      OnnxRuntimeSession s = new OnnxRuntimeSession(env, session, so, input, output, device);
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
      throw new ModelException(model.file() + ": the onnx model has no " + what + " named '"
          + wanted + "'; its " + what + "s are " + names);
    }
    return wanted;
  }
}
