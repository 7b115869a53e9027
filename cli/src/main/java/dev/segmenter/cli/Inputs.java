package dev.segmenter.cli;

import dev.segmenter.engine.image.ImageDecoder;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Expands the command's inputs: files, folders (recursively, by image extension), globs, videos. */
final class Inputs {
  static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "avi", "mov", "mkv", "webm", "m4v", "mpg", "mpeg");

  /** One input and the folder-relative name its outputs get (without extension). */
  record Input(Path file, Path relativeBase, boolean video) {}

  /** An argument that matched nothing. */
  record Missing(String argument, String reason) {}

  final List<Input> inputs = new ArrayList<>();
  final List<Missing> missing = new ArrayList<>();
  /** Inputs whose output name was changed because another input had the same one: one line each, for the user. */
  final List<String> renamed = new ArrayList<>();

  static Inputs expand(List<String> args) {
    Inputs in = new Inputs();
    Set<Path> seen = new LinkedHashSet<>();
    for (String arg : args) {
      Path p = Path.of(arg);
      if (Files.isDirectory(p)) {
        List<Path> found = walk(p, null);
        if (found.isEmpty()) {
          in.missing.add(new Missing(arg, "folder holds no image (" + String.join(", ", ImageDecoder.IMAGE_EXTENSIONS) + ")"));
        }
        for (Path f : found) {
          if (seen.add(f.toAbsolutePath().normalize())) {
            in.inputs.add(new Input(f, stripExt(p.relativize(f)), isVideo(f)));
          }
        }
      } else if (Files.exists(p)) {
        if (seen.add(p.toAbsolutePath().normalize())) {
          in.inputs.add(new Input(p, stripExt(p.getFileName()), isVideo(p)));
        }
      } else if (arg.contains("*") || arg.contains("?") || arg.contains("[")) {
        int cut = firstGlobChar(arg);
        int slash = arg.lastIndexOf('/', cut);
        Path root = slash < 0 ? Path.of(".") : Path.of(arg.substring(0, slash + 1));
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + (slash < 0 ? arg : arg.substring(slash + 1)));
        List<Path> found = Files.isDirectory(root) ? walk(root, m) : List.of();
        if (found.isEmpty()) {
          in.missing.add(new Missing(arg, "no file matches this pattern"));
        }
        for (Path f : found) {
          if (seen.add(f.toAbsolutePath().normalize())) {
            in.inputs.add(new Input(f, stripExt(root.relativize(f)), isVideo(f)));
          }
        }
      } else {
        in.missing.add(new Missing(arg, "no such file or folder"));
      }
    }
    in.separateOutputNames();
    return in;
  }

  /**
   * Inputs whose output names would be the same ({@code x.png} and {@code x.jpg} in one folder; {@code a/x.png} and
   * {@code b/x.png} given as files) would overwrite each other's outputs. Names are compared ignoring case, as the
   * file systems of macOS and Windows do. Each such input keeps its extension in the name ({@code x.jpg.overlay.png}),
   * and where that is still not unique, the later ones get {@code -2}, {@code -3}, ... in input order.
   */
  private void separateOutputNames() {
    Map<String, Integer> uses = new HashMap<>();
    for (Input i : inputs) {
      uses.merge(key(i.relativeBase()), 1, Integer::sum);
    }
    Set<String> taken = new HashSet<>();
    for (Input i : inputs) {
      if (uses.get(key(i.relativeBase())) == 1) {
        taken.add(key(i.relativeBase()));
      }
    }
    for (int k = 0; k < inputs.size(); k++) {
      Input i = inputs.get(k);
      if (uses.get(key(i.relativeBase())) == 1) {
        continue;
      }
      Path named = sibling(i.relativeBase(), i.file().getFileName().toString());
      Path base = named;
      for (int n = 2; !taken.add(key(base)); n++) {
        base = sibling(named, named.getFileName() + "-" + n);
      }
      inputs.set(k, new Input(i.file(), base, i.video()));
      renamed.add(i.file() + ": another input has the same name; its outputs are named " + base + ".*");
    }
  }

  private static String key(Path base) {
    return base.toString().toLowerCase(Locale.ROOT);
  }

  private static Path sibling(Path base, String name) {
    return base.getParent() == null ? Path.of(name) : base.getParent().resolve(name);
  }

  private static List<Path> walk(Path root, PathMatcher matcher) {
    try (Stream<Path> s = Files.walk(root, 64, FileVisitOption.FOLLOW_LINKS)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> matcher == null ? (ImageDecoder.hasImageExtension(f) || isVideo(f))
              : matcher.matches(root.relativize(f)))
          .filter(f -> !f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".labels.png"))
          .sorted()
          .toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of();
    }
  }

  private static int firstGlobChar(String s) {
    int i = s.length();
    for (char c : new char[] {'*', '?', '['}) {
      int k = s.indexOf(c);
      if (k >= 0) {
        i = Math.min(i, k);
      }
    }
    return i;
  }

  static boolean isVideo(Path f) {
    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = n.lastIndexOf('.');
    return dot >= 0 && VIDEO_EXTENSIONS.contains(n.substring(dot + 1));
  }

  static Path stripExt(Path rel) {
    String n = rel.getFileName().toString();
    int dot = n.lastIndexOf('.');
    String base = dot > 0 ? n.substring(0, dot) : n;
    return rel.getParent() == null ? Path.of(base) : rel.getParent().resolve(base);
  }
}
