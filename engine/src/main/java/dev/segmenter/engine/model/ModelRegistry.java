package dev.segmenter.engine.model;

import dev.segmenter.engine.ModelException;
import dev.segmenter.engine.render.OutputFiles;
import dev.segmenter.engine.spi.ModelSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds models by directory or by name. A name is looked up in {@code $SEGMENTER_MODELS} (a path list) and
 * {@code ~/.cache/segmenter/user-models}, first as a folder name, then as the {@code name} of the card in any of
 * their folders; then in the embedded models on the class path (the {@code segmenter-models} jar holds them under
 * {@code segmenter/models/NAME/}; they are copied once to a cache folder because native runtimes read
 * files), then in the catalog ({@code segmenter/catalog/NAME/}, cards whose files the user fetches
 * into {@code $SEGMENTER_MODELS/NAME/} or a folder given by path).
 *
 * <p>The cache folder is the system property {@code segmenter.cache} when set; else {@code $XDG_CACHE_HOME/segmenter};
 * else {@code ~/.cache/segmenter}; else, when none of those can be created or written (no home, a read-only home),
 * {@code segmenter-cache-USER} in the temporary folder ({@code java.io.tmpdir}).
 */
public final class ModelRegistry {
  /** The model used when none is named. */
  public static final String DEFAULT_MODEL = "enet-streets";

  public static final String ENV = "SEGMENTER_MODELS";
  static final String SHIPPED = "segmenter/models/";
  static final String CATALOG = "segmenter/catalog/";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private ModelRegistry() {}

  /** One entry of {@link #list()}. */
  public record Entry(
      String name,
      String kind,
      Path directory,
      ModelCard card,
      boolean filesPresent,
      String problem) {}

  /** Loads a model given as a directory, a {@code model.yaml} path, or a name. */
  public static ModelCard resolve(String nameOrPath) {
    String s = nameOrPath == null || nameOrPath.isBlank() ? DEFAULT_MODEL : nameOrPath.trim();
    Path asPath = Path.of(s);
    if (Files.exists(asPath)) {
      return ModelCards.load(asPath);
    }
    if (!NAME.matcher(s).matches()) {
      throw new ModelException(
          s + ": no such model directory, and not a model name; known models: " + names());
    }
    for (Path root : searchPath()) {
      Path dir = root.resolve(s);
      if (Files.isRegularFile(dir.resolve(ModelCards.CARD_FILE))) {
        return ModelCards.load(dir);
      }
    }
    for (Entry e : userModels(searchPath(), java.util.Set.of())) {
      if (e.card() != null && e.card().name().equals(s)) {
        return e.card();
      }
    }
    if (resource(SHIPPED + s + "/" + ModelCards.CARD_FILE)) {
      return ModelCards.load(extract(s));
    }
    if (resource(CATALOG + s + "/" + ModelCards.CARD_FILE)) {
      Path cardDir = extractCard(s);
      ModelCard card = ModelCards.load(cardDir);
      List<String> missing = new ArrayList<>();
      for (ModelSource src : card.files().values()) {
        missing.add(cardDir.relativize(src.file()).toString());
        if (src.config() != null) {
          missing.add(cardDir.relativize(src.config()).toString());
        }
      }
      throw new ModelException(
          "model '" + s + "' is in the catalog but its files are not here: put "
              + String.join(", ", missing) + " into " + firstSearchDir().resolve(s)
              + " (get them from: "
              + (card.source() == null ? "see the card" : card.source()) + ")");
    }
    throw new ModelException("unknown model '" + s + "'; known models: " + names()
        + " (or give a model directory holding model.yaml)");
  }

  /** Shipped, catalog and user models with whether their files are present. */
  public static List<Entry> list() {
    List<Entry> out = new ArrayList<>();
    for (String n : index(SHIPPED)) {
      try {
        ModelCard c = ModelCards.load(extract(n));
        out.add(new Entry(n, "shipped", c.directory(), c, !c.presentFormats().isEmpty(), null));
      } catch (RuntimeException e) {
        out.add(new Entry(n, "shipped", null, null, false, e.getMessage()));
      }
    }
    for (String n : index(CATALOG)) {
      Path userDir = null;
      for (Path root : searchPath()) {
        if (Files.isRegularFile(root.resolve(n).resolve(ModelCards.CARD_FILE))) {
          userDir = root.resolve(n);
          break;
        }
      }
      try {
        ModelCard c = ModelCards.load(userDir != null ? userDir : extractCard(n));
        boolean present =
            userDir != null && c.presentFormats().size() == c.files().size();
        out.add(new Entry(
            n,
            "catalog",
            userDir,
            c,
            present,
            present
                ? null
                : "files not present; put them into " + firstSearchDir().resolve(n) + " ("
                    + c.source() + ")"));
      } catch (RuntimeException e) {
        out.add(new Entry(n, "catalog", userDir, null, false, e.getMessage()));
      }
    }
    java.util.Set<String> known = new java.util.HashSet<>(names());
    out.addAll(userModels(searchPath(), known));
    return out;
  }

  /**
   * The models in the folders of {@code roots} (each subfolder holding a {@code model.yaml}), except those whose
   * folder name is in {@code skip} (shipped and catalog names, listed as such); kind {@code user}, named by their
   * card. A card that does not load is an entry named by its folder, with the card's error as its problem.
   */
  static List<Entry> userModels(List<Path> roots, java.util.Set<String> skip) {
    List<Entry> out = new ArrayList<>();
    java.util.Set<Path> seen = new java.util.HashSet<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      List<Path> dirs;
      try (java.util.stream.Stream<Path> st = Files.list(root)) {
        dirs = st.filter(d -> Files.isRegularFile(d.resolve(ModelCards.CARD_FILE)))
            .sorted()
            .toList();
      } catch (IOException | java.io.UncheckedIOException e) {
        continue; // an unreadable search folder holds nothing we can use
      }
      for (Path d : dirs) {
        String folder = d.getFileName().toString();
        if (skip.contains(folder) || !seen.add(d.toAbsolutePath().normalize())) {
          continue;
        }
        try {
          ModelCard c = ModelCards.load(d);
          boolean present = !c.presentFormats().isEmpty();
          out.add(new Entry(
              c.name(), "user", d, c, present, present ? null : "files not present in " + d));
        } catch (RuntimeException e) {
          out.add(new Entry(folder, "user", d, null, false, e.getMessage()));
        }
      }
    }
    return out;
  }

  /** Names of shipped and catalog models. */
  public static List<String> names() {
    List<String> n = new ArrayList<>(index(SHIPPED));
    n.addAll(index(CATALOG));
    return n;
  }

  /** Folders searched for models by name: {@code $SEGMENTER_MODELS} entries, then {@code ~/.cache/segmenter/user-models}. */
  public static List<Path> searchPath() {
    List<Path> roots = new ArrayList<>();
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      for (String p : env.split(java.io.File.pathSeparator)) {
        if (!p.isBlank()) {
          roots.add(Path.of(p));
        }
      }
    }
    roots.add(Path.of(System.getProperty("user.home"), ".cache", "segmenter", "user-models"));
    return roots;
  }

  private static Path firstSearchDir() {
    return searchPath().get(0);
  }

  private static boolean resource(String name) {
    return ModelRegistry.class.getClassLoader().getResource(name) != null;
  }

  private static List<String> index(String prefix) {
    List<String> names = new ArrayList<>();
    try (InputStream in =
        ModelRegistry.class.getClassLoader().getResourceAsStream(prefix + "INDEX")) {
      if (in == null) {
        return names;
      }
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          line = line.trim();
          if (!line.isEmpty() && !line.startsWith("#")) {
            names.add(line);
          }
        }
      }
    } catch (IOException e) {
      throw new ModelException(
          "cannot read the model index " + prefix + "INDEX: " + e.getMessage(), e);
    }
    return names;
  }

  /**
   * The cache folder: the system property {@code segmenter.cache}; else the first usable of
   * {@code $XDG_CACHE_HOME/segmenter}, {@code ~/.cache/segmenter} and a per-user temporary folder.
   */
  public static Path cacheRoot() {
    return cacheRoot(
        System.getProperty("segmenter.cache"),
        System.getenv("XDG_CACHE_HOME"),
        System.getProperty("user.home"),
        System.getProperty("java.io.tmpdir"),
        System.getProperty("user.name"));
  }

  /**
   * The first usable cache folder: {@code property} as given; else the first of {@code XDG/segmenter},
   * {@code HOME/.cache/segmenter} and {@code TMP/segmenter-cache-USER} that can be created and written.
   */
  static Path cacheRoot(String property, String xdg, String home, String tmp, String user) {
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    List<Path> candidates = new ArrayList<>();
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      candidates.add(Path.of(xdg, "segmenter"));
    }
    if (home != null && !home.isBlank() && !home.equals("?")) {
      candidates.add(Path.of(home, ".cache", "segmenter"));
    }
    Path temp = Path.of(
        tmp == null ? "/tmp" : tmp,
        "segmenter-cache-" + (user == null ? "user" : user.replaceAll("[^A-Za-z0-9._-]", "_")));
    for (Path c : candidates) {
      if (usable(c)) {
        return c;
      }
    }
    return temp;
  }

  private static boolean usable(Path dir) {
    try {
      Files.createDirectories(dir);
      return Files.isWritable(dir);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Copies an embedded model (card + the files it names) to the cache, once per content, and returns its folder. */
  private static synchronized Path extract(String name) {
    byte[] card = read(SHIPPED + name + "/" + ModelCards.CARD_FILE);
    // the cache folder is named by a digest of the card and every file it names, so new weights
    // under an unchanged card never reuse a stale copy
    Map<String, byte[]> files = new java.util.LinkedHashMap<>();
    java.security.MessageDigest sha;
    try {
      sha = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    sha.update(card);
    ModelCard parsed = ModelCards.parse(card, name);
    for (ModelSource src : parsed.files().values()) {
      for (Path p :
          src.config() == null ? List.of(src.file()) : List.of(src.file(), src.config())) {
        String rel = parsed.directory().relativize(p).toString().replace('\\', '/');
        byte[] data = read(SHIPPED + name + "/" + rel);
        files.put(rel, data);
        sha.update(rel.getBytes(StandardCharsets.UTF_8));
        sha.update(data);
      }
    }
    String digest = java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    Path dir = cacheRoot().resolve("models").resolve(name + "-" + digest);
    Path marker = dir.resolve(".complete");
    if (Files.isRegularFile(marker)) {
      return dir;
    }
    // all or none, the marker last: a folder without it is written again
    try (OutputFiles out = new OutputFiles(true)) {
      out.add(dir.resolve(ModelCards.CARD_FILE), o -> o.write(card));
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        out.add(dir.resolve(e.getKey()), o -> o.write(e.getValue()));
      }
      out.add(marker, o -> {});
      out.commit();
      return dir;
    } catch (OutputFiles.OutputException e) {
      throw new ModelException(
          "cannot copy the embedded model '" + name + "' to " + dir + ": " + e.getMessage(), e);
    }
  }

  private static synchronized Path extractCard(String name) {
    byte[] card = read(CATALOG + name + "/" + ModelCards.CARD_FILE);
    Path dir = cacheRoot().resolve("catalog").resolve(name);
    try {
      OutputFiles.writeOne(dir.resolve(ModelCards.CARD_FILE), o -> o.write(card), true);
      return dir;
    } catch (OutputFiles.OutputException e) {
      throw new ModelException(
          "cannot copy the catalog card '" + name + "' to " + dir + ": " + e.getMessage(), e);
    }
  }

  private static byte[] read(String resource) {
    try (InputStream in = ModelRegistry.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ModelException(
            "embedded resource " + resource + " is missing from the segmenter-models jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ModelException(
          "cannot read embedded resource " + resource + ": " + e.getMessage(), e);
    }
  }
}
