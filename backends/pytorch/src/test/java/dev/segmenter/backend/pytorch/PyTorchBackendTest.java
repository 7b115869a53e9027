package dev.segmenter.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.Device;
import dev.segmenter.engine.ModelFormat;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.spi.Backend;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.ModelSource;
import dev.segmenter.engine.spi.SessionOptions;
import dev.segmenter.engine.testing.BackendContract;
import dev.segmenter.engine.testing.TestNets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link BackendContract} and what only PyTorch does: tuple and dict results, freeing its tensors. */
class PyTorchBackendTest extends BackendContract {

  private final PyTorchBackend backend = new PyTorchBackend();

  private static ModelSource ts(Path file) {
    return new ModelSource(ModelFormat.TORCHSCRIPT, file, null, null, null);
  }

  @Override
  protected boolean givesViews() {
    return true;
  }

  @Override
  protected Backend backend() {
    return backend;
  }

  @Override
  protected String backendName() {
    return "pytorch";
  }

  @Override
  protected ModelSource convNet() {
    return ts(TestNets.file("conv.pt"));
  }

  @Override
  protected String wrongShapeDetail() {
    return "RuntimeError: Given groups=1, weight of size [4, 3, 3, 3], expected input[1, 2, 8, 8] to have 3 channels,"
        + " but got 2 channels instead";
  }

  /** The contract's cuts, but 22 bytes where the others cut at 16. */
  @Override
  protected int[] truncatedLengths(int size) {
    return new int[] {0, 1, 22, size / 3, size / 2, size - 7};
  }

  @Test
  void isFoundByServiceLoaderAndAvailableHere() {
    assertFoundByServiceLoaderAndAvailable(PyTorchBackend.class);
    assertEquals("2.7.1", backend.version());
    assertEquals("true", System.getProperty("ai.djl.offline"));
    assertEquals(20, backend.rank());
    assertEquals(Set.of(ModelFormat.TORCHSCRIPT), backend.formats());
    assertEquals(Set.of(Device.CPU), backend.devices());
  }

  @Test
  void eachCallFreesItsTensors() throws IOException {
    for (String net : new String[] {"conv.pt", "conv_tuple.pt", "conv_dict.pt"}) {
      try (BackendSession s = backend.open(ts(TestNets.file(net)), SessionOptions.cpu())) {
        PyTorchSession session = (PyTorchSession) s;
        Tensor in = input();
        s.forward(in);
        int before = session.liveArrays();
        for (int i = 0; i < 50; i++) {
          s.forward(in);
        }
        assertEquals(before, session.liveArrays(), net + ": arrays left behind by forward");
      }
    }
  }

  @Test
  void tupleGivesItsFirstElement() throws IOException {
    try (BackendSession s =
        backend.open(ts(TestNets.file("conv_tuple.pt")), SessionOptions.cpu())) {
      assertScores(s.forward(input()));
    }
  }

  @Test
  void dictGivesTheNamedEntryOrOut() throws IOException {
    try (BackendSession s = backend.open(ts(TestNets.file("conv_dict.pt")), SessionOptions.cpu())) {
      assertScores(s.forward(input()));
    }
    ModelSource aux =
        new ModelSource(ModelFormat.TORCHSCRIPT, TestNets.file("conv_dict.pt"), null, null, "aux");
    try (BackendSession s = backend.open(aux, SessionOptions.cpu())) {
      float[] twice = TestNets.floats("scores.txt");
      for (int i = 0; i < twice.length; i++) {
        twice[i] *= 2;
      }
      assertTrue(TestNets.maxAbsDiff(twice, s.forward(input()).floats()) <= 2e-4f);
    }
    ModelSource none = new ModelSource(
        ModelFormat.TORCHSCRIPT, TestNets.file("conv_dict.pt"), null, null, "logits");
    try (BackendSession s = backend.open(none, SessionOptions.cpu())) {
      BackendException e = assertThrows(BackendException.class, () -> s.forward(input()));
      assertEquals(BackendException.Reason.FAILED, e.reason());
      assertTrue(e.getMessage().contains("dict without 'logits'"), e.getMessage());
    }
  }

  @Test
  void classIdsKeepTheirType() throws IOException {
    try (BackendSession s =
        backend.open(ts(TestNets.file("conv_classes64.pt")), SessionOptions.cpu())) {
      assertClasses(Tensor.DType.INT64, s.forward(input()));
    }
    try (BackendSession s =
        backend.open(ts(TestNets.file("conv_classes32.pt")), SessionOptions.cpu())) {
      assertClasses(Tensor.DType.INT32, s.forward(input()));
    }
  }

  @Test
  void concurrentForwardOnOneModuleGivesIdenticalResults() throws Exception {
    Tensor in = input();
    try (BackendSession s = backend.open(convNet(), SessionOptions.cpu())) {
      assertTrue(s.isThreadSafe());
      List<float[]> results =
          forwardConcurrently(s, in, 200); // the first calls race each other, warm-up included
      float[] reference = TestNets.floats("scores.txt");
      float[] first = results.get(0);
      assertTrue(TestNets.maxAbsDiff(reference, first) <= 1e-4f);
      for (float[] result : results) {
        assertArrayEquals(first, result);
      }
    }
  }

  @Test
  void wrongKindsOfFileAreModelExceptions(@TempDir Path dir) throws IOException {
    assertTextFileCannotBeLoaded(dir);
    assertCannotLoad(TestNets.file("state_dict.pth"));
  }

  @Test
  void missingFilesAndOtherFormatsAreModelExceptions(@TempDir Path dir) {
    assertMissingFilesAreModelExceptions(dir);
    assertOtherFormatIsAModelException(ModelFormat.ONNX, "torchscript");
  }

  @Test
  void gpuIsRefusedWithTheReason() {
    String message = assertGpuIsRefused().getMessage();
    assertTrue(message.contains("pytorch-native-cpu has no CUDA"), message);
  }
}
