package dev.segmenter.backend.opencv;

import dev.segmenter.engine.testing.TestNets;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

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
import java.util.Arrays;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenCvBackendTest {

  private final OpenCvBackend backend = new OpenCvBackend();

  private static Tensor input() throws IOException {
    return Tensor.of(TestNets.floats("input.txt"), TestNets.shape("input.txt"));
  }

  private static ModelSource onnx(Path file) {
    return new ModelSource(ModelFormat.ONNX, file, null, null, null);
  }

  private void assertScores(BackendSession s) throws IOException {
    Tensor out = s.forward(input());
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
            .filter(b -> b.name().equals("opencv"))
            .findFirst()
            .orElseThrow();
    assertTrue(found instanceof OpenCvBackend);
    assertTrue(backend.availability().available(), backend.availability().reason());
    assertEquals("4.9.0", backend.version());
    assertEquals(10, backend.rank());
    assertTrue(backend.formats().contains(ModelFormat.DARKNET));
    assertFalse(backend.formats().contains(ModelFormat.TORCHSCRIPT));
    assertEquals(java.util.Set.of(Device.CPU), backend.devices());
  }

  @Test
  void onnxGivesPyTorchsScores() throws IOException {
    try (BackendSession s = backend.open(onnx(TestNets.file("conv.onnx")), SessionOptions.cpu())) {
      assertFalse(s.isThreadSafe());
      assertEquals("cpu", s.device());
      assertScores(s);
      assertScores(s); // a second call on the same net gives the same numbers
    }
  }

  @Test
  void theSpareArrayIsFilledWhenItFits() throws IOException {
    try (BackendSession s = backend.open(onnx(TestNets.file("conv.onnx")), SessionOptions.cpu())) {
      float[] spare = new float[TestNets.floats("scores.txt").length];
      Arrays.fill(spare, Float.NaN);
      Tensor out = s.forward(input(), Tensor.of(spare, 1, spare.length));
      assertSame(spare, out.floats());
      assertArrayEquals(TestNets.shape("scores.txt"), out.shape());
      assertTrue(TestNets.maxAbsDiff(TestNets.floats("scores.txt"), out.floats()) <= 1e-4f);
      assertNotSame(spare, s.forward(input(), Tensor.of(new float[5], 5)).floats());
    }
  }

  @Test
  void namedInputAndOutputAndThreads() throws IOException {
    ModelSource m = new ModelSource(ModelFormat.ONNX, TestNets.file("conv.onnx"), null, "input", "scores");
    try (BackendSession s = backend.open(m, new SessionOptions(Device.CPU, 1))) {
      assertScores(s);
    }
  }

  @Test
  void darknetCfgAndWeightsGiveTheSameScores() throws IOException {
    ModelSource m =
        new ModelSource(ModelFormat.DARKNET, TestNets.file("conv.weights"), TestNets.file("conv.cfg"), null, null);
    try (BackendSession s = backend.open(m, SessionOptions.cpu())) {
      assertScores(s);
    }
  }

  @Test
  void unknownOutputNameFailsAtForward() throws IOException {
    ModelSource m = new ModelSource(ModelFormat.ONNX, TestNets.file("conv.onnx"), null, null, "no-such-output");
    try (BackendSession s = backend.open(m, SessionOptions.cpu())) {
      BackendException e = assertThrows(BackendException.class, () -> s.forward(input()));
      assertEquals(BackendException.Reason.FAILED, e.reason());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void wrongInputShapeIsABackendFailure() throws IOException {
    try (BackendSession s = backend.open(onnx(TestNets.file("conv.onnx")), SessionOptions.cpu())) {
      BackendException e =
          assertThrows(BackendException.class, () -> s.forward(Tensor.of(new float[2 * 8 * 8], 1, 2, 8, 8)));
      assertEquals(BackendException.Reason.FAILED, e.reason());
      assertEquals(
          "opencv: forward failed on input [1, 2, 8, 8]: Number of input channels should be multiple of 3 but got 2"
              + " (Unspecified error)",
          e.getMessage());
    }
  }

  @Test
  void truncatedModelsAreModelExceptions(@TempDir Path dir) throws IOException {
    byte[] bytes = Files.readAllBytes(TestNets.file("conv.onnx"));
    for (int len : new int[] {0, 1, 16, bytes.length / 3, bytes.length / 2, bytes.length - 7}) {
      Path cut = dir.resolve("cut" + len + ".onnx");
      Files.write(cut, Arrays.copyOf(bytes, len));
      ModelException e = assertThrows(ModelException.class, () -> backend.open(onnx(cut), SessionOptions.cpu()),
          "truncated to " + len + " bytes");
      assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("onnx"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void textFileCalledOnnxIsAModelException(@TempDir Path dir) throws IOException {
    Path text = dir.resolve("notes.onnx");
    Files.writeString(text, "this is not a network\nat all\n");
    ModelException e = assertThrows(ModelException.class, () -> backend.open(onnx(text), SessionOptions.cpu()));
    assertEquals(
        text + ": opencv cannot load this onnx model: Failed to parse ONNX model: " + text
            + " (Unsupported format or combination of formats)",
        e.getMessage());
  }

  @Test
  void garbageInEveryFormatIsAModelException(@TempDir Path dir) throws IOException {
    long seed = 20261125L;
    java.util.Random random = new java.util.Random(seed);
    byte[] noise = new byte[4096];
    random.nextBytes(noise);
    Path text = dir.resolve("text.bin");
    Files.writeString(text, "this is not a network\nat all\n");
    Path binary = dir.resolve("noise.bin");
    Files.write(binary, noise);
    for (ModelFormat format : backend.formats()) {
      for (Path file : new Path[] {text, binary}) {
        Path config = format == ModelFormat.CAFFE || format == ModelFormat.DARKNET ? text : null;
        ModelSource m = new ModelSource(format, file, config, null, null);
        ModelException e =
            assertThrows(ModelException.class, () -> backend.open(m, SessionOptions.cpu()),
                format + " from " + file.getFileName() + " (noise seed " + seed + ")");
        assertTrue(e.getMessage().startsWith(file + ": opencv cannot load this " + format.key() + " model: "),
            e.getMessage());
      }
    }
  }

  @Test
  void corruptDarknetIsAModelException(@TempDir Path dir) throws IOException {
    Path cfg = dir.resolve("bad.cfg");
    Files.writeString(cfg, "[convolutional\nfilters=banana\n");
    ModelSource m = new ModelSource(ModelFormat.DARKNET, TestNets.file("conv.weights"), cfg, null, null);
    assertThrows(ModelException.class, () -> backend.open(m, SessionOptions.cpu()));
    Path weights = dir.resolve("short.weights");
    Files.write(weights, Arrays.copyOf(Files.readAllBytes(TestNets.file("conv.weights")), 100));
    ModelSource m2 = new ModelSource(ModelFormat.DARKNET, weights, TestNets.file("conv.cfg"), null, null);
    assertThrows(ModelException.class, () -> backend.open(m2, SessionOptions.cpu()));
  }

  @Test
  void missingFilesAndConfigsAreModelExceptions(@TempDir Path dir) {
    Path missing = dir.resolve("missing.onnx");
    ModelException e = assertThrows(ModelException.class, () -> backend.open(onnx(missing), SessionOptions.cpu()));
    assertEquals(missing + ": onnx model file does not exist", e.getMessage());
    e = assertThrows(ModelException.class, () -> backend.open(onnx(dir), SessionOptions.cpu()));
    assertEquals(dir + ": onnx model file is not a regular file", e.getMessage());
    ModelSource noCfg = new ModelSource(ModelFormat.DARKNET, TestNets.file("conv.weights"), null, null, null);
    e = assertThrows(ModelException.class, () -> backend.open(noCfg, SessionOptions.cpu()));
    assertTrue(e.getMessage().contains("need a config file (cfg)"), e.getMessage());
    ModelSource pt = new ModelSource(ModelFormat.TORCHSCRIPT, TestNets.file("conv.onnx"), null, null, null);
    e = assertThrows(ModelException.class, () -> backend.open(pt, SessionOptions.cpu()));
    assertTrue(e.getMessage().contains("opencv cannot read torchscript models"), e.getMessage());
  }

  @Test
  void gpuIsRefusedWithTheReason() {
    BackendException e =
        assertThrows(
            BackendException.class,
            () -> backend.open(onnx(TestNets.file("conv.onnx")), new SessionOptions(Device.GPU, 0)));
    assertEquals(BackendException.Reason.UNAVAILABLE, e.reason());
    assertTrue(e.getMessage().contains("this OpenCV build has no CUDA"), e.getMessage());
    assertTrue(e.getMessage().contains("--device cpu"), e.getMessage());
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
