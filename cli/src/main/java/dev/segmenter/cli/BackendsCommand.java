package dev.segmenter.cli;

import dev.segmenter.engine.Backends;
import dev.segmenter.engine.Device;
import dev.segmenter.engine.ModelFormat;
import dev.segmenter.engine.spi.Availability;
import dev.segmenter.engine.spi.Backend;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code segmenter backends}. */
@Command(
    name = "backends",
    mixinStandardHelpOptions = true,
    description =
        "List the installed backends: available or not (and why), version, formats, devices.",
    footer = {"", "Examples:", "  segmenter backends", "  segmenter backends --json"})
final class BackendsCommand implements Callable<Integer> {
  @Option(names = "--json", description = "One JSON object per backend per line.")
  boolean json;

  @Mixin
  Verbosity verbosity;

  @Override
  public Integer call() {
    PrintStream o = System.out;
    if (!json) {
      o.printf(
          Locale.ROOT,
          "%-12s %-10s %-10s %-9s %-48s %s%n",
          "backend",
          "available",
          "version",
          "devices",
          "formats",
          "notes");
    }
    for (Backend b : Backends.installed()) {
      Availability a = b.availability();
      String formats =
          String.join(",", b.formats().stream().map(ModelFormat::key).toList());
      String devices =
          a.available() ? String.join(",", b.devices().stream().map(Device::id).toList()) : "-";
      if (json) {
        Json j = new Json()
            .beginObject()
            .field("name", b.name())
            .field("available", a.available())
            .field("version", b.version())
            .field("rank", b.rank())
            .name("formats")
            .beginArray();
        b.formats().forEach(f -> j.value(f.key()));
        j.endArray().name("devices").beginArray();
        if (a.available()) {
          b.devices().forEach(d -> j.value(d.id()));
        }
        o.println(j.endArray().field("reason", a.reason()).endObject());
      } else {
        o.printf(
            Locale.ROOT,
            "%-12s %-10s %-10s %-9s %-48s %s%n",
            b.name(),
            a.available() ? "yes" : "no",
            b.version(),
            devices,
            formats,
            a.reason() == null ? "" : a.reason());
      }
    }
    return ExitCode.OK;
  }
}
