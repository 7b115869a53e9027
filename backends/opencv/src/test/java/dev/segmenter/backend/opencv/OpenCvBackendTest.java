package dev.segmenter.backend.opencv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link BackendContract} and what only OpenCV does: its many formats, Darknet, output names at forward. */
class OpenCvBackendTest extends BackendContract {

  private final OpenCvBackend backend = new OpenCvBackend();

  private static ModelSource onnx(Path file) {
    return new ModelSource(ModelFormat.ONNX, file, null, null, null);
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
    return "opencv";
  }

  @Override
  protected ModelSource convNet() {
    return onnx(TestNets.file("conv.onnx"));
  }

  @Override
  protected SessionOptions scoresOptions() {
    return SessionOptions.cpu();
  }

  @Override
  protected boolean threadSafe() {
    return false;
  }

  @Override
  protected String wrongShapeDetail() {
    return "Number of input channels should be multiple of 3 but got 2 (Unspecified error)";
  }

  @Test
  void isFoundByServiceLoaderAndAvailableHere() {
    assertFoundByServiceLoaderAndAvailable(OpenCvBackend.class);
    assertEquals("4.9.0", backend.version());
    assertEquals(10, backend.rank());
    assertTrue(backend.formats().contains(ModelFormat.DARKNET));
    assertFalse(backend.formats().contains(ModelFormat.TORCHSCRIPT));
    assertEquals(java.util.Set.of(Device.CPU), backend.devices());
  }

  @Test
  void theSpareArrayIsFilledWhenItFits() throws IOException {
    try (BackendSession s = backend.open(convNet(), SessionOptions.cpu())) {
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
    ModelSource m =
        new ModelSource(ModelFormat.ONNX, TestNets.file("conv.onnx"), null, "input", "scores");
    try (BackendSession s = backend.open(m, new SessionOptions(Device.CPU, 1))) {
      assertScores(s.forward(input()));
    }
  }

  @Test
  void darknetCfgAndWeightsGiveTheSameScores() throws IOException {
    ModelSource m = new ModelSource(
        ModelFormat.DARKNET, TestNets.file("conv.weights"), TestNets.file("conv.cfg"), null, null);
    try (BackendSession s = backend.open(m, SessionOptions.cpu())) {
      assertScores(s.forward(input()));
    }
  }

  @Test
  void unknownOutputNameFailsAtForward() throws IOException {
    ModelSource m =
        new ModelSource(ModelFormat.ONNX, TestNets.file("conv.onnx"), null, null, "no-such-output");
    try (BackendSession s = backend.open(m, SessionOptions.cpu())) {
      BackendException e = assertThrows(BackendException.class, () -> s.forward(input()));
      assertEquals(BackendException.Reason.FAILED, e.reason());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void textFileCalledOnnxIsAModelException(@TempDir Path dir) throws IOException {
    Path text = dir.resolve("notes.onnx");
    ModelException e = assertTextFileCannotBeLoaded(dir);
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
        ModelException e = assertThrows(
            ModelException.class,
            () -> backend.open(m, SessionOptions.cpu()),
            format + " from " + file.getFileName() + " (noise seed " + seed + ")");
        assertTrue(
            e.getMessage()
                .startsWith(file + ": opencv cannot load this " + format.key() + " model: "),
            e.getMessage());
      }
    }
  }

  @Test
  void corruptDarknetIsAModelException(@TempDir Path dir) throws IOException {
    Path cfg = dir.resolve("bad.cfg");
    Files.writeString(cfg, "[convolutional\nfilters=banana\n");
    ModelSource m =
        new ModelSource(ModelFormat.DARKNET, TestNets.file("conv.weights"), cfg, null, null);
    assertThrows(ModelException.class, () -> backend.open(m, SessionOptions.cpu()));
    Path weights = dir.resolve("short.weights");
    Files.write(weights, Arrays.copyOf(Files.readAllBytes(TestNets.file("conv.weights")), 100));
    ModelSource m2 =
        new ModelSource(ModelFormat.DARKNET, weights, TestNets.file("conv.cfg"), null, null);
    assertThrows(ModelException.class, () -> backend.open(m2, SessionOptions.cpu()));
  }

  @Test
  void missingFilesAndConfigsAreModelExceptions(@TempDir Path dir) {
    assertMissingFilesAreModelExceptions(dir);
    ModelSource noCfg =
        new ModelSource(ModelFormat.DARKNET, TestNets.file("conv.weights"), null, null, null);
    ModelException e =
        assertThrows(ModelException.class, () -> backend.open(noCfg, SessionOptions.cpu()));
    assertTrue(e.getMessage().contains("need a config file (cfg)"), e.getMessage());
    assertOtherFormatIsAModelException(
        ModelFormat.TORCHSCRIPT, "onnx, caffe, tensorflow, torch7, darknet, tflite");
  }

  @Test
  void gpuIsRefusedWithTheReason() {
    String message = assertGpuIsRefused().getMessage();
    assertTrue(message.contains("this OpenCV build has no CUDA"), message);
    assertTrue(message.contains("--device cpu"), message);
  }
}
