package dev.segmenter.backend.pytorch;

import dev.segmenter.engine.testing.TestNets;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.BackendException;
import dev.segmenter.engine.Device;
import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.ModelFormat;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.spi.Backend;
import dev.segmenter.engine.spi.BackendSession;
import dev.segmenter.engine.spi.ModelSource;
import dev.segmenter.engine.spi.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PyTorchBackendTest {

  private final PyTorchBackend backend = new PyTorchBackend();

  private static Tensor input() throws IOException {
    return Tensor.of(TestNets.floats("input.txt"), TestNets.shape("input.txt"));
  }

  private static ModelSource ts(Path file) {
    return new ModelSource(ModelFormat.TORCHSCRIPT, file, null, null, null);
  }

  private static void assertScores(Tensor out) throws IOException {
    assertEquals(Tensor.DType.FLOAT32, out.dtype());
    assertArrayEquals(TestNets.shape("scores.txt"), out.shape());
    float diff = TestNets.maxAbsDiff(TestNets.floats("scores.txt"), out.floats());
    assertTrue(diff <= 1e-4f, "max abs diff to PyTorch's scores: " + diff);
  }

  @Test
  void isFoundByServiceLoaderAndAvailableHere() {
    Backend found =
        ServiceLoader.load(Backend.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(b -> b.name().equals("pytorch"))
            .findFirst()
            .orElseThrow();
    assertTrue(found instanceof PyTorchBackend);
    assertTrue(backend.availability().available(), backend.availability().reason());
    assertEquals("2.7.1", backend.version());
    assertEquals("true", System.getProperty("ai.djl.offline"));
    assertEquals(20, backend.rank());
    assertEquals(Set.of(ModelFormat.TORCHSCRIPT), backend.formats());
    assertEquals(Set.of(Device.CPU), backend.devices());
  }

  @Test
  void givesPyTorchsScores() throws IOException {
    try (BackendSession s = backend.open(ts(TestNets.file("conv.pt")), new SessionOptions(Device.CPU, 1))) {
      assertEquals("cpu", s.device());
      assertScores(s.forward(input()));
      assertScores(s.forward(input()));
    }
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
    try (BackendSession s = backend.open(ts(TestNets.file("conv_tuple.pt")), SessionOptions.cpu())) {
      assertScores(s.forward(input()));
    }
  }

  @Test
  void dictGivesTheNamedEntryOrOut() throws IOException {
    try (BackendSession s = backend.open(ts(TestNets.file("conv_dict.pt")), SessionOptions.cpu())) {
      assertScores(s.forward(input()));
    }
    ModelSource aux = new ModelSource(ModelFormat.TORCHSCRIPT, TestNets.file("conv_dict.pt"), null, null, "aux");
    try (BackendSession s = backend.open(aux, SessionOptions.cpu())) {
      float[] twice = TestNets.floats("scores.txt");
      for (int i = 0; i < twice.length; i++) {
        twice[i] *= 2;
      }
      assertTrue(TestNets.maxAbsDiff(twice, s.forward(input()).floats()) <= 2e-4f);
    }
    ModelSource none = new ModelSource(ModelFormat.TORCHSCRIPT, TestNets.file("conv_dict.pt"), null, null, "logits");
    try (BackendSession s = backend.open(none, SessionOptions.cpu())) {
      BackendException e = assertThrows(BackendException.class, () -> s.forward(input()));
      assertEquals(BackendException.Reason.FAILED, e.reason());
      assertTrue(e.getMessage().contains("dict without 'logits'"), e.getMessage());
    }
  }

  @Test
  void classIdsKeepTheirType() throws IOException {
    try (BackendSession s = backend.open(ts(TestNets.file("conv_classes64.pt")), SessionOptions.cpu())) {
      Tensor out = s.forward(input());
      assertEquals(Tensor.DType.INT64, out.dtype());
      assertArrayEquals(TestNets.shape("classes.txt"), out.shape());
      assertArrayEquals(TestNets.longs("classes.txt"), out.longs());
    }
    try (BackendSession s = backend.open(ts(TestNets.file("conv_classes32.pt")), SessionOptions.cpu())) {
      Tensor out = s.forward(input());
      assertEquals(Tensor.DType.INT32, out.dtype());
      assertArrayEquals(Arrays.stream(TestNets.longs("classes.txt")).mapToInt(l -> (int) l).toArray(), out.ints());
    }
  }

  @Test
  void concurrentForwardOnOneModuleGivesIdenticalResults() throws Exception {
    Tensor in = input();
    try (BackendSession s = backend.open(ts(TestNets.file("conv.pt")), SessionOptions.cpu())) {
      assertTrue(s.isThreadSafe());
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<float[]>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          results.add(pool.submit(() -> {
            start.await();
            return s.forward(in).floats();
          }));
        }
        start.countDown(); // the first calls race each other, warm-up included
        float[] reference = TestNets.floats("scores.txt");
        float[] first = results.get(0).get();
        assertTrue(TestNets.maxAbsDiff(reference, first) <= 1e-4f);
        for (Future<float[]> f : results) {
          assertArrayEquals(first, f.get());
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void wrongInputShapeIsABackendFailure() throws IOException {
    try (BackendSession s = backend.open(ts(TestNets.file("conv.pt")), SessionOptions.cpu())) {
      BackendException e =
          assertThrows(BackendException.class, () -> s.forward(Tensor.of(new float[2 * 8 * 8], 1, 2, 8, 8)));
      assertEquals(BackendException.Reason.FAILED, e.reason());
      assertEquals(
          "pytorch: forward failed on input [1, 2, 8, 8]: RuntimeError: Given groups=1, weight of size [4, 3, 3, 3],"
              + " expected input[1, 2, 8, 8] to have 3 channels, but got 2 channels instead",
          e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      assertScores(s.forward(input())); // the session still works afterwards
    }
  }

  @Test
  void truncatedModelsAreModelExceptions(@TempDir Path dir) throws IOException {
    byte[] bytes = Files.readAllBytes(TestNets.file("conv.pt"));
    for (int len : new int[] {0, 1, 22, bytes.length / 3, bytes.length / 2, bytes.length - 7}) {
      Path cut = dir.resolve("cut" + len + ".pt");
      Files.write(cut, Arrays.copyOf(bytes, len));
      ModelException e =
          assertThrows(ModelException.class, () -> backend.open(ts(cut), SessionOptions.cpu()), "truncated to " + len);
      assertTrue(e.getMessage().startsWith(cut + ": pytorch cannot load this torchscript model: "), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void wrongKindsOfFileAreModelExceptions(@TempDir Path dir) throws IOException {
    Path text = dir.resolve("notes.pt");
    Files.writeString(text, "this is not a network\nat all\n");
    ModelException e = assertThrows(ModelException.class, () -> backend.open(ts(text), SessionOptions.cpu()));
    assertTrue(e.getMessage().startsWith(text + ": pytorch cannot load this torchscript model: "), e.getMessage());
    Path stateDict = TestNets.file("state_dict.pth");
    e = assertThrows(ModelException.class, () -> backend.open(ts(stateDict), SessionOptions.cpu()));
    assertTrue(e.getMessage().startsWith(stateDict + ": pytorch cannot load this torchscript model: "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void missingFilesAndOtherFormatsAreModelExceptions(@TempDir Path dir) {
    Path missing = dir.resolve("missing.pt");
    ModelException e = assertThrows(ModelException.class, () -> backend.open(ts(missing), SessionOptions.cpu()));
    assertEquals(missing + ": torchscript model file does not exist", e.getMessage());
    e = assertThrows(ModelException.class, () -> backend.open(ts(dir), SessionOptions.cpu()));
    assertEquals(dir + ": torchscript model file is not a regular file", e.getMessage());
    ModelSource onnx = new ModelSource(ModelFormat.ONNX, TestNets.file("conv.pt"), null, null, null);
    e = assertThrows(ModelException.class, () -> backend.open(onnx, SessionOptions.cpu()));
    assertTrue(e.getMessage().endsWith("pytorch cannot read onnx models; it reads torchscript"), e.getMessage());
  }

  @Test
  void gpuIsRefusedWithTheReason() {
    BackendException e =
        assertThrows(
            BackendException.class,
            () -> backend.open(ts(TestNets.file("conv.pt")), new SessionOptions(Device.GPU, 0)));
    assertEquals(BackendException.Reason.UNAVAILABLE, e.reason());
    assertTrue(e.getMessage().contains("pytorch-native-cpu has no CUDA"), e.getMessage());
  }

  @Test
  void closeIsIdempotentAndForwardAfterCloseThrows() throws IOException {
    BackendSession s = backend.open(ts(TestNets.file("conv.pt")), SessionOptions.cpu());
    Tensor in = input();
    s.forward(in);
    s.close();
    s.close();
    assertThrows(IllegalStateException.class, () -> s.forward(in));
  }
}
