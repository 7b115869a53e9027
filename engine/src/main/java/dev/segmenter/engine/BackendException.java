package dev.segmenter.engine;

/** A backend that is unknown, unavailable here (natives, device), or failed while running a model. */
public class BackendException extends SegmenterException {
  private static final long serialVersionUID = 1L;

  /** Why the backend could not do the work. */
  public enum Reason {
    /** No backend of that name is installed. */
    UNKNOWN,
    /** The backend exists but cannot run here: natives missing, or the device is not present. */
    UNAVAILABLE,
    /** The runtime failed on this model or input. */
    FAILED
  }

  private final Reason reason;

  public BackendException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public BackendException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
