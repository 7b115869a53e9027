package dev.segmenter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.segmenter.engine.Setting.Level;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one precedence rule: explicit > system property > environment > file > default, each with its origin. */
class SettingTest {
  /** A key no environment sets, so every level below the property can be tested. */
  private static final String KEY = "settingtestkey";

  @Test
  void eachLevelWinsOverTheOnesBelowAndSaysWhereItCameFrom() {
    Map<String, String> file = Map.of(KEY, "from-file");
    assertEquals(
        new Setting(KEY, "x", Level.EXPLICIT, "flag --" + KEY),
        Setting.resolve(KEY, "x", "flag --" + KEY, file, "file f.yaml", "d"));
    assertEquals(
        Level.EXPLICIT,
        Setting.resolve(KEY, "", "flag", file, "file f.yaml", "d").level(),
        "an empty explicit value is a value (the command line then says it is not accepted)");
    System.setProperty(Setting.property(KEY), "p");
    try {
      assertEquals(
          new Setting(KEY, "p", Level.PROPERTY, "system property segmenter." + KEY),
          Setting.resolve(KEY, null, "flag", file, "file f.yaml", "d"));
      System.setProperty(Setting.property(KEY), "  ");
      assertEquals(
          Level.FILE,
          Setting.resolve(KEY, null, "flag", file, "file f.yaml", "d").level(),
          "a blank property is no value");
    } finally {
      System.clearProperty(Setting.property(KEY));
    }
    assertEquals("SETTINGTESTKEY", Setting.environment(KEY).substring("SEGMENTER_".length()));
    assertEquals(
        new Setting(KEY, "from-file", Level.FILE, "file f.yaml"),
        Setting.resolve(KEY, null, "flag", file, "file f.yaml", "d"));
    assertEquals(
        new Setting(KEY, "d", Level.DEFAULT, "default"),
        Setting.resolve(KEY, null, "flag", Map.of(), "file f.yaml", "d"));
    assertNull(Setting.resolve(KEY, null, "flag", Map.of(), "file f.yaml", null));
  }
}
