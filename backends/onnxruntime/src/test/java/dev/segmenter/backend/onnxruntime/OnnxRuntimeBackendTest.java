package dev.segmenter.backend.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import dev.segmenter.engine.testing.BackendContract;
import dev.segmenter.engine.testing.TestNets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link BackendContract} and what only ONNX Runtime does: named outputs, spare buffers, dynamic sizes. */
class OnnxRuntimeBackendTest extends BackendContract {

  private final OnnxRuntimeBackend backend = new OnnxRuntimeBackend();

  private static ModelSource onnx(Path file) {
    return new ModelSource(ModelFormat.ONNX, file, null, null, null);
  }

  @Override
  protected Backend backend() {
    return backend;
  }

  @Override
  protected String backendName() {
    return "onnxruntime";
  }

  @Override
  protected ModelSource convNet() {
    return onnx(TestNets.file("conv.onnx"));
  }

  @Override
  protected boolean givesViews() {
    return true;
  }

  @Test
  void isFoundByServiceLoaderAndAvailableHere() {
    assertFoundByServiceLoaderAndAvailable(OnnxRuntimeBackend.class);
    assertEquals("1.21.1", backend.version());
    assertEquals(30, backend.rank());
    assertEquals(Set.of(ModelFormat.ONNX), backend.formats());
    assertEquals(Set.of(Device.CPU), backend.devices());
  }

  @Test
  void firstOutputByDefaultAndNamedOutputsWithTheirTypes() throws IOException {
    try (BackendSession s =
        backend.open(onnx(TestNets.file("conv_multi.onnx")), SessionOptions.cpu())) {
      assertScores(s.forward(input()));
    }
    ModelSource classes = new ModelSource(
        ModelFormat.ONNX, TestNets.file("conv_multi.onnx"), null, "input", "classes");
    try (BackendSession s = backend.open(classes, SessionOptions.cpu())) {
      assertClasses(Tensor.DType.INT64, s.forward(input()));
    }
    ModelSource classes32 = new ModelSource(
        ModelFormat.ONNX, TestNets.file("conv_multi.onnx"), null, null, "classes32");
    try (BackendSession s = backend.open(classes32, SessionOptions.cpu())) {
      assertClasses(Tensor.DType.INT32, s.forward(input()));
    }
  }

  @Test
  void unknownNamesAreModelExceptionsListingTheNames() {
    ModelSource badOut =
        new ModelSource(ModelFormat.ONNX, TestNets.file("conv_multi.onnx"), null, null, "logits");
    ModelException e =
        assertThrows(ModelException.class, () -> backend.open(badOut, SessionOptions.cpu()));
    assertTrue(
        e.getMessage()
            .endsWith("has no output named 'logits'; its outputs are [scores, classes, classes32]"),
        e.getMessage());
    ModelSource badIn =
        new ModelSource(ModelFormat.ONNX, TestNets.file("conv.onnx"), null, "data", null);
    e = assertThrows(ModelException.class, () -> backend.open(badIn, SessionOptions.cpu()));
    assertTrue(
        e.getMessage().endsWith("has no input named 'data'; its inputs are [input]"),
        e.getMessage());
  }

  @Test
  void concurrentForwardOnOneSessionGivesIdenticalResults() throws Exception {
    Tensor in = input();
    try (BackendSession s = backend.open(convNet(), SessionOptions.cpu())) {
      float[] reference = s.forward(in).floats();
      for (float[] result : forwardConcurrently(s, in, 64)) {
        assertArrayEquals(reference, result);
      }
    }
  }

  @Test
  void laterFramesAreWrittenIntoTheSpareArrayAndNeverStale() throws IOException {
    Tensor in = input();
    try (BackendSession s = backend.open(convNet(), SessionOptions.cpu())) {
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
      assertArrayEquals(
          zerosCopy, s.forward(Tensor.of(new float[in.size()], in.shape())).floats());
      // a spare of the wrong size or type is ignored; a failed call leaves the session working
      Tensor wrongSize = Tensor.of(new float[3], 3);
      Tensor third = s.forward(in, wrongSize);
      assertNotSame(wrongSize.floats(), third.floats());
      assertScores(third);
      assertThrows(
          BackendException.class,
          () -> s.forward(Tensor.of(new float[2 * 8 * 8], 1, 2, 8, 8), third));
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
  void textFileCalledOnnxIsAModelException(@TempDir Path dir) throws IOException {
    assertTextFileCannotBeLoaded(dir);
  }

  @Test
  void missingFilesAndOtherFormatsAreModelExceptions(@TempDir Path dir) {
    assertMissingFilesAreModelExceptions(dir);
    assertOtherFormatIsAModelException(ModelFormat.TORCHSCRIPT, "onnx");
  }

  @Test
  void gpuIsRefusedWithTheProviders() {
    String message = assertGpuIsRefused().getMessage();
    assertTrue(message.startsWith("onnxruntime: no CUDA execution provider"), message);
    assertTrue(message.contains("CPU"), message);
  }
}
