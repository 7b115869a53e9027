package dev.segmenter.engine.testing;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every backend does with the standard conv test net (its {@code conv.*} file and {@code input.txt} /
 * {@code scores.txt}, see {@link TestNets}). Each backend's test class extends this one, fills in the hooks and keeps
 * the tests only its backend has; the protected helpers serve those of its tests that share part of the contract.
 */
public abstract class BackendContract {

  /** The backend under test. */
  protected abstract Backend backend();

  /** The name the backend is registered under, spelled out so that the tests pin it. */
  protected abstract String backendName();

  /** The standard conv test net in the backend's own format, with no input or output names. */
  protected abstract ModelSource convNet();

  /** The options {@link #givesPyTorchsScores()} opens the net with: CPU, one thread unless a backend says else. */
  protected SessionOptions scoresOptions() {
    return new SessionOptions(Device.CPU, 1);
  }

  /** What the backend's sessions answer to {@link BackendSession#isThreadSafe()}: true unless a backend says else. */
  protected boolean threadSafe() {
    return true;
  }

  /**
   * The whole message after {@code "NAME: forward failed on input [1, 2, 8, 8]: "} when the conv net is given 2
   * channels instead of 3, or null where the runtime's wording is not pinned.
   */
  protected String wrongShapeDetail() {
    return null;
  }

  /** The lengths {@link #truncatedModelsAreModelExceptions} cuts the conv net's file of {@code size} bytes to. */
  protected int[] truncatedLengths(int size) {
    return new int[] {0, 1, 16, size / 3, size / 2, size - 7};
  }

  protected static Tensor input() throws IOException {
    return Tensor.of(TestNets.floats("input.txt"), TestNets.shape("input.txt"));
  }

  protected static void assertScores(Tensor out) throws IOException {
    assertEquals(Tensor.DType.FLOAT32, out.dtype());
    assertArrayEquals(TestNets.shape("scores.txt"), out.shape());
    float diff = TestNets.maxAbsDiff(TestNets.floats("scores.txt"), out.floats());
    assertTrue(diff <= 1e-4f, "max abs diff to PyTorch's scores: " + diff);
  }

  /** Class ids of {@code dtype} (INT64 or INT32) equal to PyTorch's argmax in {@code classes.txt}. */
  protected static void assertClasses(Tensor.DType dtype, Tensor out) throws IOException {
    assertEquals(dtype, out.dtype());
    assertArrayEquals(TestNets.shape("classes.txt"), out.shape());
    long[] expected = TestNets.longs("classes.txt");
    if (dtype == Tensor.DType.INT64) {
      assertArrayEquals(expected, out.longs());
    } else {
      assertArrayEquals(Arrays.stream(expected).mapToInt(l -> (int) l).toArray(), out.ints());
    }
  }

  /** {@code file} as a model in the conv net's format. */
  protected ModelSource sourceOf(Path file) {
    return new ModelSource(convNet().format(), file, null, null, null);
  }

  private String extension() {
    String name = convNet().file().getFileName().toString();
    return name.substring(name.lastIndexOf('.'));
  }

  @Test
  void givesPyTorchsScores() throws IOException {
    try (BackendSession s = backend().open(convNet(), scoresOptions())) {
      assertEquals(threadSafe(), s.isThreadSafe());
      assertEquals("cpu", s.device());
      assertScores(s.forward(input()));
      assertScores(s.forward(input())); // a second call on the same net gives the same numbers
    }
  }

  @Test
  void wrongInputShapeIsABackendFailure() throws IOException {
    try (BackendSession s = backend().open(convNet(), SessionOptions.cpu())) {
      BackendException e = assertThrows(
          BackendException.class, () -> s.forward(Tensor.of(new float[2 * 8 * 8], 1, 2, 8, 8)));
      assertEquals(BackendException.Reason.FAILED, e.reason());
      String prefix = backendName() + ": forward failed on input [1, 2, 8, 8]: ";
      assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
      if (wrongShapeDetail() != null) {
        assertEquals(prefix + wrongShapeDetail(), e.getMessage());
      }
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      assertScores(s.forward(input())); // the session still works afterwards
    }
  }

  @Test
  void truncatedModelsAreModelExceptions(@TempDir Path dir) throws IOException {
    byte[] bytes = Files.readAllBytes(convNet().file());
    for (int len : truncatedLengths(bytes.length)) {
      Path cut = dir.resolve("cut" + len + extension());
      Files.write(cut, Arrays.copyOf(bytes, len));
      assertCannotLoad(cut);
    }
  }

  /** Whether {@link BackendSession#forwardView} gives views of the runtime's memory (after a first call). */
  protected boolean givesViews() {
    return false;
  }

  /**
   * {@code forwardView} gives the same scores as {@code forward}; a view (where the backend gives one) reads the
   * runtime's memory without a copy and throws once its session has moved on: after the next forward, and after
   * close.
   */
  @Test
  void forwardViewsGiveTheScoresAndExpireWhenTheSessionMovesOn() throws IOException {
    Tensor in = input();
    Tensor zeros = Tensor.of(new float[in.size()], in.shape());
    BackendSession s = backend().open(convNet(), SessionOptions.cpu());
    try {
      assertScores(s.forwardView(in, null).toHeap()); // the first call may learn the output's shape
      Tensor view = s.forwardView(in, null);
      assertEquals(givesViews(), view.isView(), String.valueOf(view));
      long copied = Tensor.heapCopyBytes();
      float[] scores = view.toHeap().floats();
      assertScores(Tensor.of(scores, view.shape()));
      if (view.isView()) {
        assertEquals(
            copied + 4L * view.size(), Tensor.heapCopyBytes(), "toHeap counts the bytes it copies");
        assertThrows(IllegalStateException.class, view::floats); // no copy unasked
        assertEquals(
            scores[1], view.nativeFloats().getFloat(4)); // the runtime's memory, read in place
        Tensor next = s.forwardView(zeros, null);
        assertTrue(next.isView());
        IllegalStateException e = assertThrows(IllegalStateException.class, view::nativeFloats);
        assertTrue(e.getMessage().contains("no longer valid"), e.getMessage());
        assertThrows(IllegalStateException.class, view::toHeap);
        assertTrue(
            TestNets.maxAbsDiff(scores, next.toHeap().floats()) > 0.1f,
            "the next frame's own scores");
        s.forward(in); // a copying forward ends the thread's view too
        assertThrows(IllegalStateException.class, next::nativeFloats);
        Tensor last = s.forwardView(in, null);
        s.close();
        assertThrows(IllegalStateException.class, last::nativeFloats);
      }
    } finally {
      s.close();
    }
  }

  @Test
  void closeIsIdempotentAndForwardAfterCloseThrows() throws IOException {
    BackendSession s = backend().open(convNet(), SessionOptions.cpu());
    Tensor in = input();
    s.forward(in);
    s.close();
    s.close();
    assertThrows(IllegalStateException.class, () -> s.forward(in));
  }

  /** Finds the backend through {@link ServiceLoader} by its name, as {@code type}, and checks it is available. */
  protected void assertFoundByServiceLoaderAndAvailable(Class<? extends Backend> type) {
    Backend found = ServiceLoader.load(Backend.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(b -> b.name().equals(backendName()))
        .findFirst()
        .orElseThrow();
    assertTrue(type.isInstance(found), found.getClass().getName());
    assertTrue(backend().availability().available(), backend().availability().reason());
  }

  /** Opening {@code file} in the conv net's format is a one-line "cannot load this FORMAT model" ModelException. */
  protected ModelException assertCannotLoad(Path file) {
    ModelException e = assertThrows(
        ModelException.class,
        () -> backend().open(sourceOf(file), SessionOptions.cpu()),
        file.toString());
    String prefix =
        file + ": " + backendName() + " cannot load this " + convNet().format().key() + " model: ";
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e;
  }

  /** A text file named like the conv net ({@code notes.EXT}) cannot be loaded; see {@link #assertCannotLoad}. */
  protected ModelException assertTextFileCannotBeLoaded(Path dir) throws IOException {
    Path text = dir.resolve("notes" + extension());
    Files.writeString(text, "this is not a network\nat all\n");
    return assertCannotLoad(text);
  }

  /** A missing file and a directory are ModelExceptions that say so, before the runtime sees them. */
  protected void assertMissingFilesAreModelExceptions(Path dir) {
    String format = convNet().format().key();
    Path missing = dir.resolve("missing" + extension());
    ModelException e = assertThrows(
        ModelException.class, () -> backend().open(sourceOf(missing), SessionOptions.cpu()));
    assertEquals(missing + ": " + format + " model file does not exist", e.getMessage());
    e = assertThrows(
        ModelException.class, () -> backend().open(sourceOf(dir), SessionOptions.cpu()));
    assertEquals(dir + ": " + format + " model file is not a regular file", e.getMessage());
  }

  /** The conv net's file declared as {@code other} is refused with the formats the backend does read. */
  protected void assertOtherFormatIsAModelException(ModelFormat other, String itReads) {
    ModelSource m = new ModelSource(other, convNet().file(), null, null, null);
    ModelException e =
        assertThrows(ModelException.class, () -> backend().open(m, SessionOptions.cpu()));
    String end = backendName() + " cannot read " + other.key() + " models; it reads " + itReads;
    assertTrue(e.getMessage().endsWith(end), e.getMessage());
  }

  /** Opening the conv net on the GPU is refused as UNAVAILABLE with a one-line reason, which it returns. */
  protected BackendException assertGpuIsRefused() {
    BackendException e = assertThrows(
        BackendException.class, () -> backend().open(convNet(), new SessionOptions(Device.GPU, 0)));
    assertEquals(BackendException.Reason.UNAVAILABLE, e.reason());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e;
  }

  /**
   * {@code calls} forward calls on one session from 8 threads, released together so that the first calls race each
   * other (warm-up included); their scores in the order they were submitted.
   */
  protected static List<float[]> forwardConcurrently(BackendSession s, Tensor in, int calls)
      throws InterruptedException, ExecutionException {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<float[]>> futures = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return s.forward(in).floats();
        }));
      }
      start.countDown();
      List<float[]> results = new ArrayList<>();
      for (Future<float[]> f : futures) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }
}
