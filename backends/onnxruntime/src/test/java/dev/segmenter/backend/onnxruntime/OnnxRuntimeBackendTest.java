package dev.segmenter.backend.onnxruntime;

import dev.segmenter.engine.testing.TestNets;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotSame;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxRuntimeBackendTest {

  private final OnnxRuntimeBackend backend = new OnnxRuntimeBackend();

  private static Tensor input() throws IOException {
    return Tensor.of(TestNets.floats("input.txt"), TestNets.shape("input.txt"));
  }

  private static ModelSource onnx(Path file) {
    return new ModelSource(ModelFormat.ONNX, file, null, null, null);
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
            .filter(b -> b.name().equals("onnxruntime"))
            .findFirst()
            .orElseThrow();
    assertTrue(found instanceof OnnxRuntimeBackend);
    assertTrue(backend.availability().available(), backend.availability().reason());
    assertEquals("1.21.1", backend.version());
    assertEquals(30, backend.rank());
    assertEquals(Set.of(ModelFormat.ONNX), backend.formats());
    assertEquals(Set.of(Device.CPU), backend.devices());
  }

  @Test
  void givesPyTorchsScores() throws IOException {
    try (BackendSession s = backend.open(onnx(TestNets.file("conv.onnx")), new SessionOptions(Device.CPU, 1))) {
      assertTrue(s.isThreadSafe());
      assertEquals("cpu", s.device());
      assertScores(s.forward(input()));
      assertScores(s.forward(input()));
    }
  }

  @Test
  void firstOutputByDefaultAndNamedOutputsWithTheirTypes() throws IOException {
    try (BackendSession s = backend.open(onnx(TestNets.file("conv_multi.onnx")), SessionOptions.cpu())) {
      assertScores(s.forward(input()));
    }
    ModelSource classes = new ModelSource(ModelFormat.ONNX, TestNets.file("conv_multi.onnx"), null, "input", "classes");
    try (BackendSession s = backend.open(classes, SessionOptions.cpu())) {
      Tensor out = s.forward(input());
      assertEquals(Tensor.DType.INT64, out.dtype());
      assertArrayEquals(TestNets.shape("classes.txt"), out.shape());
      assertArrayEquals(TestNets.longs("classes.txt"), out.longs());
    }
    ModelSource classes32 =
        new ModelSource(ModelFormat.ONNX, TestNets.file("conv_multi.onnx"), null, null, "classes32");
    try (BackendSession s = backend.open(classes32, SessionOptions.cpu())) {
      Tensor out = s.forward(input());
      assertEquals(Tensor.DType.INT32, out.dtype());
      assertArrayEquals(TestNets.shape("classes.txt"), out.shape());
      assertArrayEquals(Arrays.stream(TestNets.longs("classes.txt")).mapToInt(l -> (int) l).toArray(), out.ints());
    }
  }

  @Test
  void unknownNamesAreModelExceptionsListingTheNames() {
    ModelSource badOut = new ModelSource(ModelFormat.ONNX, TestNets.file("conv_multi.onnx"), null, null, "logits");
    ModelException e = assertThrows(ModelException.class, () -> backend.open(badOut, SessionOptions.cpu()));
    assertTrue(e.getMessage().endsWith("has no output named 'logits'; its outputs are [scores, classes, classes32]"),
        e.getMessage());
    ModelSource badIn = new ModelSource(ModelFormat.ONNX, TestNets.file("conv.onnx"), null, "data", null);
    e = assertThrows(ModelException.class, () -> backend.open(badIn, SessionOptions.cpu()));
    assertTrue(e.getMessage().endsWith("has no input named 'data'; its inputs are [input]"), e.getMessage());
  }

  @Test
  void concurrentForwardOnOneSessionGivesIdenticalResults() throws Exception {
    Tensor in = input();
    try (BackendSession s = backend.open(onnx(TestNets.file("conv.onnx")), SessionOptions.cpu())) {
      float[] reference = s.forward(in).floats();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<float[]>> results = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          results.add(pool.submit(() -> s.forward(in).floats()));
        }
        for (Future<float[]> f : results) {
          assertArrayEquals(reference, f.get());
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void laterFramesAreWrittenIntoTheSpareArrayAndNeverStale() throws IOException {
    Tensor in = input();
    try (BackendSession s = backend.open(onnx(TestNets.file("conv.onnx")), SessionOptions.cpu())) {
      assertScores(s.forward(in, null)); // plain run: ORT allocates, the output shape is learnt
      float[] spare = new float[TestNets.floats("scores.txt").length];
      Arrays.fill(spare, Float.NaN);
      Tensor second = s.forward(in, Tensor.of(spare, TestNets.shape("scores.txt")));
      assertSame(spare, second.floats(), "the spare array is filled, not a new one");
      assertScores(second);
      // another input through the same buffers gives its own scores, not the previous frame's
      Tensor zeros = s.forward(Tensor.of(new float[in.size()], in.shape()), second);
      assertTrue(TestNets.maxAbsDiff(TestNets.floats("scores.txt"), zeros.floats()) > 0.1f);
      float[] zerosCopy = zeros.floats().clone();
      assertArrayEquals(zerosCopy, s.forward(Tensor.of(new float[in.size()], in.shape())).floats());
      // a spare of the wrong size or type is ignored; a failed call leaves the session working
      Tensor wrongSize = Tensor.of(new float[3], 3);
      Tensor third = s.forward(in, wrongSize);
      assertNotSame(wrongSize.floats(), third.floats());
      assertScores(third);
      assertThrows(BackendException.class, () -> s.forward(Tensor.of(new float[2 * 8 * 8], 1, 2, 8, 8), third));
      assertScores(s.forward(in, Tensor.of(new int[third.size()], third.shape())));
      assertScores(s.forward(in, third));
    }
  }

  @Test
  void dynamicInputSizesArePinnedAnewAndMatchAFreshSession() {
    ModelSource dynamic = onnx(TestNets.file("conv_dynamic.onnx"));
    java.util.Random r = new java.util.Random(7);
    int[][] sizes = {{8, 8}, {6, 10}, {6, 10}, {8, 8}, {5, 3}, {6, 10}, {8, 8}};
    try (BackendSession s = backend.open(dynamic, SessionOptions.cpu())) {
      Tensor spare = null;
      for (int[] hw : sizes) {
        float[] in = new float[3 * hw[0] * hw[1]];
        for (int i = 0; i < in.length; i++) {
          in[i] = r.nextFloat() * 2 - 1;
        }
        Tensor x = Tensor.of(in, 1, 3, hw[0], hw[1]);
        Tensor out = s.forward(x, spare);
        assertArrayEquals(new int[] {1, 4, hw[0], hw[1]}, out.shape());
        try (BackendSession fresh = backend.open(dynamic, SessionOptions.cpu())) {
          assertArrayEquals(fresh.forward(x).floats(), out.floats(), hw[0] + "x" + hw[1]);
        }
        spare = out;
      }
    }
  }

  @Test
  void wrongInputShapeIsABackendFailure() throws IOException {
    try (BackendSession s = backend.open(onnx(TestNets.file("conv.onnx")), SessionOptions.cpu())) {
      BackendException e =
          assertThrows(BackendException.class, () -> s.forward(Tensor.of(new float[2 * 8 * 8], 1, 2, 8, 8)));
      assertEquals(BackendException.Reason.FAILED, e.reason());
      assertTrue(e.getMessage().startsWith("onnxruntime: forward failed on input [1, 2, 8, 8]: "), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void truncatedModelsAreModelExceptions(@TempDir Path dir) throws IOException {
    byte[] bytes = Files.readAllBytes(TestNets.file("conv.onnx"));
    for (int len : new int[] {0, 1, 16, bytes.length / 3, bytes.length / 2, bytes.length - 7}) {
      Path cut = dir.resolve("cut" + len + ".onnx");
      Files.write(cut, Arrays.copyOf(bytes, len));
      ModelException e =
          assertThrows(
              ModelException.class, () -> backend.open(onnx(cut), SessionOptions.cpu()), "truncated to " + len);
      assertTrue(e.getMessage().startsWith(cut + ": onnxruntime cannot load this onnx model: "), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void textFileCalledOnnxIsAModelException(@TempDir Path dir) throws IOException {
    Path text = dir.resolve("notes.onnx");
    Files.writeString(text, "this is not a network\nat all\n");
    ModelException e = assertThrows(ModelException.class, () -> backend.open(onnx(text), SessionOptions.cpu()));
    assertTrue(e.getMessage().startsWith(text + ": onnxruntime cannot load this onnx model: "), e.getMessage());
  }

  @Test
  void missingFilesAndOtherFormatsAreModelExceptions(@TempDir Path dir) {
    Path missing = dir.resolve("missing.onnx");
    ModelException e = assertThrows(ModelException.class, () -> backend.open(onnx(missing), SessionOptions.cpu()));
    assertEquals(missing + ": onnx model file does not exist", e.getMessage());
    e = assertThrows(ModelException.class, () -> backend.open(onnx(dir), SessionOptions.cpu()));
    assertEquals(dir + ": onnx model file is not a regular file", e.getMessage());
    ModelSource pt = new ModelSource(ModelFormat.TORCHSCRIPT, TestNets.file("conv.onnx"), null, null, null);
    e = assertThrows(ModelException.class, () -> backend.open(pt, SessionOptions.cpu()));
    assertTrue(e.getMessage().endsWith("onnxruntime cannot read torchscript models; it reads onnx"), e.getMessage());
  }

  @Test
  void gpuIsRefusedWithTheProviders() {
    BackendException e =
        assertThrows(
            BackendException.class,
            () -> backend.open(onnx(TestNets.file("conv.onnx")), new SessionOptions(Device.GPU, 0)));
    assertEquals(BackendException.Reason.UNAVAILABLE, e.reason());
    assertTrue(e.getMessage().startsWith("onnxruntime: no CUDA execution provider"), e.getMessage());
    assertTrue(e.getMessage().contains("CPU"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void closeIsIdempotentAndForwardAfterCloseThrows() throws IOException {
    BackendSession s = backend.open(onnx(TestNets.file("conv.onnx")), SessionOptions.cpu());
    Tensor in = input();
    s.forward(in);
    s.close();
    s.close();
    assertThrows(IllegalStateException.class, () -> s.forward(in));
  }
}
