package dev.segmenter.cli;

import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.scenes.StreetScene;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Paths of the committed models and images the CLI tests use. */
final class TestModels {
  static final Path ROOT = findRoot();
  static final Path ENET = ROOT.resolve("models/shipped/enet-streets");
  static final Path TESTNETS = ROOT.resolve("models/testnets");
  static final List<String> BACKENDS = List.of("onnxruntime", "opencv", "pytorch");

  private TestModels() {}

  private static Path findRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("segmenter"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "cannot find the project root (the folder holding ./segmenter) above "
              + Path.of("").toAbsolutePath());
    }
    return p;
  }

  /** A street scene (evaluation seeds, never trained on). */
  static BgrImage scene(long seed, int w, int h) {
    return BgrImage.from(StreetScene.generate(1_000_000L + seed, w, h).image());
  }
}
