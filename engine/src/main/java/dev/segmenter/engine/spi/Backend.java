package dev.segmenter.engine.spi;

import dev.segmenter.engine.Device;
import dev.segmenter.engine.ModelFormat;
import java.util.Set;

/**
 * A runtime that runs networks: a thin adapter found by {@link java.util.ServiceLoader} (register the
 * class in {@code META-INF/services/dev.segmenter.engine.spi.Backend}).
 *
 * <p>Construction and every method but {@link #open} have no side effects beyond probing the local
 * natives: no network, no downloads, no telemetry. Implementations are thread-safe.
 */
public interface Backend {

  /** Short lower-case name used in configuration: {@code opencv}, {@code onnxruntime}, {@code pytorch}. */
  String name();

  /** The runtime's version, or {@code "unknown"}. */
  String version();

  /** Whether the runtime can run here, with the reason when it cannot. Cached after the first call. */
  Availability availability();

  /** The model formats this backend reads. */
  Set<ModelFormat> formats();

  /** The devices usable here (always CPU when available; GPU only where the runtime has CUDA). */
  Set<Device> devices();

  /** Preference for {@code auto} selection: higher wins among the backends that read the model's format. */
  int rank();

  /**
   * Loads a model. The returned session owns native memory until {@link BackendSession#close()}.
   *
   * @throws dev.segmenter.engine.BackendException when the runtime is unavailable or the device is absent
   * @throws dev.segmenter.engine.ModelException when the model file cannot be read by this runtime
   */
  BackendSession open(ModelSource model, SessionOptions options);
}
