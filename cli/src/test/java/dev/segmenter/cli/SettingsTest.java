package dev.segmenter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where each setting comes from (flag, property, environment, file, default) as {@code --print-config} shows it, and
 * how a bad value is reported: with its origin, exit 3 from a file, exit 2 otherwise, for the keys a command has an
 * option for (converted by picocli) and for those it has not (alpha and outputs in {@code eval}) alike.
 */
class SettingsTest {
  @TempDir
  Path tmp;

  @Test
  void printConfigNamesTheOriginOfEveryKeyIncludingThoseWithoutAnOption() throws Exception {
    Path cfg = tmp.resolve("segmenter.yaml");
    Files.writeString(cfg, "outputs: [json, mask-road]\nresize: bilinear\nalpha: 0.9\n");
    System.setProperty("segmenter.alpha", "0.25");
    CliRunner.Result r;
    try {
      // eval has neither --alpha nor --outputs, yet lists and checks them; it stops at the missing
      // folder afterwards
      r = CliRunner.run(
          "eval",
          "--images",
          tmp.resolve("none").toString(),
          "--config",
          cfg.toString(),
          "--print-config",
          "--threads",
          "3");
    } finally {
      System.clearProperty("segmenter.alpha");
    }
    assertEquals(2, r.code(), r.err());
    String err = r.err();
    assertTrue(
        err.matches("(?s).*alpha\\s+= 0.25\\s+\\(system property segmenter.alpha\\).*"), err);
    assertTrue(
        err.matches("(?s).*outputs\\s+= json,mask-road\\s+\\(file .*segmenter.yaml\\).*"), err);
    assertTrue(err.matches("(?s).*resize\\s+= bilinear\\s+\\(file .*segmenter.yaml\\).*"), err);
    assertTrue(err.matches("(?s).*threads\\s+= 3\\s+\\(flag --threads\\).*"), err);
    assertTrue(err.matches("(?s).*palette\\s+= \\(model card's\\)\\s+\\(default\\).*"), err);
    assertTrue(err.contains("--images " + tmp.resolve("none") + ": no such folder"), err);
  }

  @Test
  void aBadValueNamesItsOriginAndAFilesIsAConfigurationError() throws Exception {
    Path cfg = tmp.resolve("bad.yaml");
    Files.writeString(cfg, "alpha: 2\n");
    CliRunner.Result file = CliRunner.run("segment", "x.png", "--config", cfg.toString());
    assertEquals(3, file.code(), file.err());
    assertEquals(
        List.of("segmenter: file " + cfg
            + ": alpha '2' is not accepted; accepted: a number from 0 to 1"),
        file.errLines());
    CliRunner.Result help = CliRunner.run("segment", "--help", "--config", cfg.toString());
    assertEquals(0, help.code(), "--help works whatever the configuration holds: " + help.err());
    assertTrue(help.out().contains("--print-config"), help.out());

    Files.writeString(cfg, "outputs: classes,bogus\n");
    CliRunner.Result noOption =
        CliRunner.run("eval", "--images", tmp.toString(), "--config", cfg.toString());
    assertEquals(3, noOption.code(), noOption.err());
    assertTrue(
        noOption
            .err()
            .startsWith("segmenter: file " + cfg + ": outputs 'classes,bogus' is not accepted; "
                + "accepted: a comma list of classes, color, overlay, indexed, report, legend, masks, cutout, json, prob, "
                + "background, mask-CLASS, or all"),
        noOption.err());

    System.setProperty("segmenter.device", "tpu");
    CliRunner.Result property;
    try {
      property = CliRunner.run("segment", "x.png");
    } finally {
      System.clearProperty("segmenter.device");
    }
    assertEquals(2, property.code(), property.err());
    assertEquals(
        List.of(
            "segmenter: system property segmenter.device: device 'tpu' is not accepted; accepted: cpu, gpu"),
        property.errLines());

    CliRunner.Result flag = CliRunner.run("segment", "x.png", "--backend", "nope");
    assertEquals(2, flag.code(), flag.err());
    assertTrue(
        flag.err()
            .startsWith(
                "segmenter: flag --backend: unknown backend 'nope'; accepted: auto, fastest, "),
        flag.err());
  }

  @Test
  void outputListsExpandAllKeepOrderAndDropRepeats() {
    Output.Requests r = Output.Requests.parse(" classes, Mask-Road ,all,classes,");
    assertEquals(
        "classes,mask-road,color,overlay,indexed,report,legend,masks,cutout,json,prob,background",
        r.toString());
    assertTrue(r.contains(Output.MASK) && r.contains(Output.BACKGROUND));
    assertEquals("classes,color,overlay", Output.Requests.parse(Output.DEFAULTS).toString());
    assertEquals(
        "outputs ',' is not accepted; accepted: at least one of classes, color, overlay, indexed, report, "
            + "legend, masks, cutout, json, prob, background, mask-CLASS, or all",
        assertThrows(Settings.BadValue.class, () -> Output.Requests.parse(",")).getMessage());
  }
}
