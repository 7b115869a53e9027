package dev.segmenter.cli;

import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.palettes.Palette;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks of run-wide options made once, before any input is read or the network runs: an option that would fail
 * every input is one usage error (exit 2), not a failure per input.
 */
final class RunChecks {
  private RunChecks() {}

  /**
   * Checks what {@code segment} is about to do.
   *
   * @throws UsageException for a {@code --outputs mask-CLASS} naming no class of the model, or an {@code --out} that
   *     is (or lies under) a file
   */
  static void segment(Settings s, ModelCard card, Palette palette, Path out) {
    for (Output.Request o : s.outputs()) {
      if (o.kind() == Output.MASK) {
        try {
          ClassIds.of(o.arg(), palette, card.classCount());
        } catch (UsageException e) {
          throw new UsageException(
              s.raw(Settings.Key.OUTPUTS).source() + ": " + o.name() + ": " + e.getMessage());
        }
      }
    }
    outFolder(out);
  }

  /** An output folder that exists as a file, or lies under one, cannot be written to: say so once. */
  static void outFolder(Path out) {
    for (Path p = out.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p)) {
        return;
      }
      if (Files.exists(p)) {
        throw new UsageException("--out " + out + ": "
            + (p.equals(out.toAbsolutePath().normalize()) ? "is a file" : p + " is a file")
            + ", not a folder; name a folder (it is created when missing)");
      }
    }
  }

  /** The line saying what inputs the model was made for, when its card says ({@code domain}). */
  static Optional<String> domainNote(ModelCard card) {
    return card.domain() == null
        ? Optional.empty()
        : Optional.of("segmenter: model " + card.name() + " was trained for: " + card.domain());
  }
}
