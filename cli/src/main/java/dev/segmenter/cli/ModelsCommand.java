package dev.segmenter.cli;

import dev.segmenter.engine.model.ModelCard;
import dev.segmenter.engine.model.ModelRegistry;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segmenter models}. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "List the shipped models, the catalog of public models and your own models (kind user), whether "
          + "their files are present, and what inputs each was trained for (its card's domain).",
      "Catalog models are fetched by you: put their files into $SEGMENTER_MODELS/NAME/ (or ~/.cache/segmenter/user-models/NAME/).",
      "Any folder there holding a model.yaml is listed and found by its card's name (--model NAME)."
    },
    footer = {"", "Examples:", "  segmenter models", "  segmenter models --json"})
final class ModelsCommand implements Callable<Integer> {
  @Option(names = "--json", description = "One JSON object per model per line.")
  boolean json;

  @Mixin
  Verbosity verbosity;

  @Override
  public Integer call() {
    PrintStream o = System.out;
    if (!json) {
      o.printf(
          Locale.ROOT,
          "%-28s %-8s %-8s %7s %-10s %-22s %s%n",
          "model",
          "kind",
          "files",
          "classes",
          "input",
          "formats",
          "notes");
    }
    for (ModelRegistry.Entry e : ModelRegistry.list()) {
      ModelCard c = e.card();
      if (json) {
        Json j = new Json()
            .beginObject()
            .field("name", e.name())
            .field("kind", e.kind())
            .field("files_present", e.filesPresent());
        if (c != null) {
          j.field("title", c.title())
              .field("classes", c.classCount())
              .field("input", c.input().width() + "x" + c.input().height())
              .field("trained", c.trained());
          j.name("formats").beginArray();
          c.files().keySet().forEach(f -> j.value(f.key()));
          j.endArray().field("source", c.source()).field("domain", c.domain());
        }
        o.println(j.field("problem", e.problem()).endObject());
        continue;
      }
      String formats = c == null
          ? "-"
          : String.join(",", c.files().keySet().stream().map(f -> f.key()).toList());
      String notes = c == null
          ? e.problem()
          : (c.trained() ? "" : "UNTRAINED, timing only; ")
              + (e.filesPresent()
                  ? c.title() + (c.domain() == null ? "" : "; for: " + c.domain())
                  : e.kind().equals("user")
                      ? e.problem()
                      : "fetch its files into "
                          + ModelRegistry.searchPath().get(0).resolve(e.name())
                          + " (how: models/catalog/" + e.name() + "/README.md)");
      o.printf(
          Locale.ROOT,
          "%-28s %-8s %-8s %7s %-10s %-22s %s%n",
          e.name(),
          e.kind(),
          e.filesPresent() ? "present" : "missing",
          c == null ? "-" : String.valueOf(c.classCount()),
          c == null ? "-" : c.input().width() + "x" + c.input().height(),
          formats,
          notes);
    }
    return ExitCode.OK;
  }
}
