package dev.segmenter.engine.spi;

import dev.segmenter.engine.Device;
import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.ModelFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What every backend over native libraries shares: its name, rank and formats, the reports of its
 * {@link NativeRuntime} (availability, version, devices), and the checks {@link #open} makes before any native
 * call (the natives loaded, the format is one it reads). A backend adds how it opens a session:
 *
 * <pre>{@code
 * public final class MyBackend extends NativeBackend<Env> {
 *   private static final NativeRuntime<Env> RUNTIME = new NativeRuntime<>("mine", MyBackend::probe);
 *   public MyBackend() { super("mine", 5, EnumSet.of(ModelFormat.ONNX), RUNTIME); }
 *   protected BackendSession open(Env env, ModelSource model, SessionOptions options) { ... }
 * }
 * }</pre>
 *
 * @param <T> the runtime's handle
 */
public abstract class NativeBackend<T> implements Backend {
  private final String name;
  private final int rank;
  private final Set<ModelFormat> formats;
  private final NativeRuntime<T> runtime;

  protected NativeBackend(
      String name, int rank, Set<ModelFormat> formats, NativeRuntime<T> runtime) {
    this.name = name;
    this.rank = rank;
    this.formats = EnumSet.copyOf(formats);
    this.runtime = runtime;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String version() {
    return runtime.version();
  }

  @Override
  public final Availability availability() {
    return runtime.availability();
  }

  @Override
  public final Set<ModelFormat> formats() {
    return EnumSet.copyOf(formats);
  }

  @Override
  public final Set<Device> devices() {
    return runtime.devices();
  }

  @Override
  public final int rank() {
    return rank;
  }

  /** Refuses a runtime whose natives did not load and a format this backend does not read, then opens. */
  @Override
  public final BackendSession open(ModelSource model, SessionOptions options) {
    T handle = runtime.handle();
    if (!formats.contains(model.format())) {
      throw new ModelException(
          model.file() + ": " + name + " cannot read " + model.format().key() + " models; it reads "
              + formats.stream().map(ModelFormat::key).collect(Collectors.joining(", ")));
    }
    return open(handle, model, options);
  }

  /**
   * Opens a session on a runtime whose natives loaded, for a model of a format this backend reads.
   *
   * @see Backend#open
   */
  protected abstract BackendSession open(T runtime, ModelSource model, SessionOptions options);

  /** {@code t}'s message on one line, by this backend's runtime rule. */
  protected final String oneLine(Throwable t) {
    return runtime.oneLine(t);
  }

  /**
   * Refuses a missing file, or a folder, FIFO or device where a model file is expected.
   *
   * @param what what the file is to the model: "model file", "config file"
   */
  protected static void requireRegularFile(Path file, ModelFormat format, String what) {
    if (!Files.exists(file)) {
      throw new ModelException(file + ": " + format.key() + " " + what + " does not exist");
    }
    if (!Files.isRegularFile(file)) {
      throw new ModelException(file + ": " + format.key() + " " + what + " is not a regular file");
    }
  }
}
