package dev.segmenter.engine;

import dev.segmenter.engine.spi.Availability;
import dev.segmenter.engine.spi.Backend;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.ModelSource;
import dev.segmenter.engine.spi.SessionOptions;
import java.util.Set;

/**
 * TEST SCAFFOLDING ONLY: an installed backend whose runtime is absent (as a backend jar without its natives),
 * ranked above {@link TestOnlyConvBackend} so that {@code auto} must skip it.
 */
public final class TestOnlyMissingBackend implements Backend {
  public static final String NAME = "testonly-missing";
  public static final String WHY = "its natives are not installed (test scaffolding)";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return "unknown";
  }

  @Override
  public Availability availability() {
    return Availability.no(WHY);
  }

  @Override
  public Set<ModelFormat> formats() {
    return Set.of(ModelFormat.ONNX, ModelFormat.CAFFE);
  }

  @Override
  public Set<Device> devices() {
    return Set.of(Device.CPU, Device.GPU);
  }

  @Override
  public int rank() {
    return 1000;
  }

  @Override
  public BackendSession open(ModelSource model, SessionOptions options) {
    throw new BackendException(BackendException.Reason.UNAVAILABLE, NAME + ": " + WHY);
  }
}
