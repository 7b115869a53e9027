package dev.segmenter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.model.ModelCards;
import dev.segmenter.engine.pipeline.ResizeMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One network exported once to ONNX and TorchScript gives the same answer on all three backends:
 * class maps agree on at least 99.9% of pixels and scores within 1e-3.
 */
class BackendAgreementTest {
  private static final int[][] SIZES = {
    {512, 256}, {37, 91}, {640, 200}, {16, 16}, {2048, 1024}, {333, 517}
  };

  static Stream<Arguments> models() {
    List<Arguments> out = new ArrayList<>();
    out.add(Arguments.of(TestModels.ENET));
    try (Stream<Path> s = Files.list(TestModels.TESTNETS)) {
      s.filter(p -> Files.isRegularFile(p.resolve("model.yaml")))
          .sorted()
          .forEach(p -> out.add(Arguments.of(p)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void backendsAgree(Path modelDir) {
    ModelCard card = ModelCards.load(modelDir);
    Map<String, List<Segmentation>> results = new LinkedHashMap<>();
    for (String backend : TestModels.BACKENDS) {
      if (!supported(modelDir, backend)) {
        continue;
      }
      for (ResizeMode mode : ResizeMode.values()) {
        try (Segmenter s = Segmenter.builder()
            .model(card)
            .backend(backend)
            .resize(mode)
            .keepScores(true)
            .build()) {
          List<Segmentation> list =
              results.computeIfAbsent(backend + "/" + mode.id(), k -> new ArrayList<>());
          int seed = 0;
          for (int[] wh : SIZES) {
            list.add(s.segment(TestModels.scene(seed++, wh[0], wh[1])));
          }
        }
      }
    }
    assertTrue(
        results.size() >= 4, "at least two backends ran " + modelDir + ": " + results.keySet());
    for (ResizeMode mode : ResizeMode.values()) {
      String reference = "onnxruntime/" + mode.id();
      List<Segmentation> ref = results.get(reference);
      for (Map.Entry<String, List<Segmentation>> e : results.entrySet()) {
        if (!e.getKey().endsWith("/" + mode.id()) || e.getKey().equals(reference)) {
          continue;
        }
        for (int i = 0; i < SIZES.length; i++) {
          Segmentation a = ref.get(i);
          Segmentation b = e.getValue().get(i);
          assertEquals(a.width(), b.width());
          double agree = a.classMap().agreement(b.classMap());
          assertTrue(
              agree >= 0.999,
              modelDir.getFileName() + " " + e.getKey() + " vs " + reference + " on " + SIZES[i][0]
                  + "x" + SIZES[i][1] + ": class maps agree on " + agree);
          if (a.scores() != null && b.scores() != null) {
            assertScoresClose(a.scores(), b.scores(), modelDir.getFileName() + " " + e.getKey());
          }
        }
      }
    }
  }

  /** The shipped model's image at its own input size gives identical maps for nearest and bilinear (no resize involved). */
  @Test
  void nearestAndBilinearAgreeAtNetworkSize() {
    ModelCard card = ModelCards.load(TestModels.ENET);
    BgrImage img = TestModels.scene(42, card.input().width(), card.input().height());
    try (Segmenter n = Segmenter.builder().model(card).backend("onnxruntime").build();
        Segmenter b = Segmenter.builder()
            .model(card)
            .backend("onnxruntime")
            .resize(ResizeMode.BILINEAR)
            .build()) {
      assertEquals(1.0, n.segment(img).classMap().agreement(b.segment(img).classMap()));
    }
  }

  private static boolean supported(Path modelDir, String backend) {
    Path notes = modelDir.resolve("unsupported.txt");
    if (!Files.isRegularFile(notes)) {
      return true;
    }
    try {
      return Files.readAllLines(notes).stream()
          .map(String::trim)
          .noneMatch(l -> l.startsWith(backend + ":") || l.equals(backend));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertScoresClose(Tensor a, Tensor b, String what) {
    float[] x = a.floats();
    float[] y = b.floats();
    assertEquals(x.length, y.length, what + ": score sizes");
    double max = 0;
    for (int i = 0; i < x.length; i++) {
      max = Math.max(max, Math.abs(x[i] - y[i]));
    }
    assertTrue(max <= 1e-3, what + ": scores differ by up to " + max);
  }
}
