package dev.segmenter.engine;

import java.util.Locale;
import java.util.Map;

/**
 * One setting's effective value and where it came from. The one precedence rule of the project, shared by the
 * library ({@link Backends#resolveName}) and the command line: an explicit value (an API call or a command-line
 * flag), else the system property {@code segmenter.KEY}, else the environment variable {@code SEGMENTER_KEY}, else
 * the configuration file, else the default. Blank properties and environment variables count as not set.
 *
 * @param key the setting's name, e.g. {@code backend}
 * @param value the value as given (not trimmed; an explicit or file value may be empty)
 * @param level which level gave it
 * @param origin where it came from, in words: {@code flag --backend}, {@code system property segmenter.backend},
 *     {@code environment SEGMENTER_BACKEND}, {@code file PATH}, {@code default}
 */
public record Setting(String key, String value, Level level, String origin) {

  /** The levels, highest first. */
  public enum Level {
    EXPLICIT,
    PROPERTY,
    ENVIRONMENT,
    FILE,
    DEFAULT
  }

  /** The system property for a key: {@code segmenter.KEY}. */
  public static String property(String key) {
    return "segmenter." + key;
  }

  /** The environment variable for a key: {@code SEGMENTER_KEY}. */
  public static String environment(String key) {
    return "SEGMENTER_" + key.toUpperCase(Locale.ROOT);
  }

  /**
   * The effective value of one key.
   *
   * @param explicit the explicit value, or null when none was given
   * @param explicitOrigin how the explicit value was given, e.g. {@code flag --backend}
   * @param file the configuration file's values by key (empty without a file)
   * @param fileOrigin the file in words, e.g. {@code file ./segmenter.yaml}
   * @param fallback the default, or null for none
   * @return the setting, or null when no level gives a value and there is no default
   */
  public static Setting resolve(
      String key,
      String explicit,
      String explicitOrigin,
      Map<String, String> file,
      String fileOrigin,
      String fallback) {
    if (explicit != null) {
      return new Setting(key, explicit, Level.EXPLICIT, explicitOrigin);
    }
    String prop = System.getProperty(property(key));
    if (prop != null && !prop.isBlank()) {
      return new Setting(key, prop, Level.PROPERTY, "system property " + property(key));
    }
    String env = System.getenv(environment(key));
    if (env != null && !env.isBlank()) {
      return new Setting(key, env, Level.ENVIRONMENT, "environment " + environment(key));
    }
    if (file.containsKey(key)) {
      return new Setting(key, file.get(key), Level.FILE, fileOrigin);
    }
    return fallback == null ? null : new Setting(key, fallback, Level.DEFAULT, "default");
  }
}
