package dev.segmenter.engine.spi;

import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.Device;
import dev.segmenter.engine.ErrorMessages;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The natives of one runtime, probed at most once per JVM: the probe loads them and says what it found (the
 * runtime's handle, version, devices and a one-line description); a probe that throws makes the runtime
 * unavailable, with the cleaned message as the reason. A backend keeps one in a static field, so every instance
 * {@link java.util.ServiceLoader} makes shares the outcome, and reports through {@link NativeBackend}.
 *
 * <pre>{@code
 * static final NativeRuntime<OrtEnvironment> RUNTIME = new NativeRuntime<>("onnxruntime", () -> {
 *   OrtEnvironment env = OrtEnvironment.getEnvironment();
 *   return new NativeRuntime.Probe<>(env, env.getVersion(), "ONNX Runtime " + env.getVersion(), EnumSet.of(Device.CPU));
 * });
 * }</pre>
 *
 * @param <T> the runtime's handle (an environment, an engine) sessions are opened with
 */
public final class NativeRuntime<T> {

  /** What a successful probe found; {@code devices} always holds the CPU. */
  public record Probe<T>(T handle, String version, String detail, Set<Device> devices) {
    public Probe {
      devices = devices.isEmpty() ? EnumSet.noneOf(Device.class) : EnumSet.copyOf(devices);
    }
  }

  /** Loads the natives; may throw anything a native load throws ({@link UnsatisfiedLinkError}...). */
  @FunctionalInterface
  public interface Prober<T> {
    Probe<T> probe() throws Exception;
  }

  private final String backend;
  private final Prober<T> prober;
  private final UnaryOperator<String> messageRule;
  private volatile Object outcome; // a Probe, or the Availability saying why not

  /** A runtime whose error messages need no rule of their own. */
  public NativeRuntime(String backend, Prober<T> prober) {
    this(backend, prober, UnaryOperator.identity());
  }

  /**
   * @param backend the backend's name, which starts the reason when the natives cannot be loaded
   * @param messageRule the runtime's rule for its own error text ({@link ErrorMessages#oneLine(Throwable, UnaryOperator)})
   */
  public NativeRuntime(String backend, Prober<T> prober, UnaryOperator<String> messageRule) {
    this.backend = backend;
    this.prober = prober;
    this.messageRule = messageRule;
  }

  /** Whether the natives loaded, with what was found (or why not). Probes on the first call only. */
  public Availability availability() {
    Object o = outcome();
    return o instanceof Probe<?> p ? Availability.yes(p.detail()) : (Availability) o;
  }

  /** The runtime's version, or {@code "unknown"} when the natives did not load. */
  public String version() {
    return outcome() instanceof Probe<?> p && p.version() != null ? p.version() : "unknown";
  }

  /** The devices usable here; none when the natives did not load. */
  public Set<Device> devices() {
    return outcome() instanceof Probe<?> p
        ? EnumSet.copyOf(p.devices())
        : EnumSet.noneOf(Device.class);
  }

  /**
   * The runtime's handle.
   *
   * @throws BackendException ({@link BackendException.Reason#UNAVAILABLE}) with the reason when the natives did not load
   */
  @SuppressWarnings("unchecked")
  public T handle() {
    Object o = outcome();
    if (o instanceof Probe<?> p) {
      return (T) p.handle();
    }
    throw new BackendException(BackendException.Reason.UNAVAILABLE, ((Availability) o).reason());
  }

  /** {@code t}'s message on one line, by this runtime's rule. */
  public String oneLine(Throwable t) {
    return ErrorMessages.oneLine(t, messageRule);
  }

  private Object outcome() {
    Object o = outcome;
    if (o == null) {
      synchronized (this) {
        o = outcome;
        if (o == null) {
          o = load();
          outcome = o;
        }
      }
    }
    return o;
  }

  private Object load() {
    try {
      Probe<T> p = prober.probe();
      if (p == null) {
        throw new IllegalStateException("the probe found nothing");
      }
      return p;
    } catch (
        Throwable t) { // UnsatisfiedLinkError, ExceptionInInitializerError, NoClassDefFoundError...
      return Availability.no(backend + ": the native library could not be loaded: " + oneLine(t));
    }
  }
}
