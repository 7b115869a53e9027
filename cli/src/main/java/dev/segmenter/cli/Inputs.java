package dev.segmenter.cli;

import dev.segmenter.engine.ErrorMessages;
import dev.segmenter.engine.image.ImageDecoder;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Expands the command's inputs: files, folders (recursively, by image extension), globs, videos.
 *
 * <p>Walking a folder or a glob never reads back what this tool writes: the output folder is skipped wherever it
 * lies, and so are files named like outputs ({@code NAME.overlay.png}, {@code NAME.mask-road.png}, ...). Symbolic
 * links are followed once: a link back to a folder being walked is skipped with a note. An entry that cannot be
 * read (permission denied) is reported as a failure of its own and the rest of the folder is still walked.
 */
final class Inputs {
  static final Set<String> VIDEO_EXTENSIONS =
      Set.of("mp4", "avi", "mov", "mkv", "webm", "m4v", "mpg", "mpeg");
  /** Names of the files {@code segment} writes (see {@link OutputWriter}): never taken as inputs from a folder or glob. */
  static final Pattern OUTPUT_NAME = Pattern.compile(
      ".+\\.(classes|color|overlay|indexed|report|legend|cutout|mask-[a-z0-9-]+)\\.png|.+\\.overlay\\.avi|.+\\.labels\\.png");

  /** One input and the folder-relative name its outputs get (without extension). */
  record Input(Path file, Path relativeBase, boolean video) {}

  /** An argument that matched nothing. */
  record Missing(String argument, String reason) {}

  final List<Input> inputs = new ArrayList<>();
  final List<Missing> missing = new ArrayList<>();
  /** Inputs whose output name was changed because another input had the same one: one line each, for the user. */
  final List<String> renamed = new ArrayList<>();
  /** Entries skipped while walking (links back into a walked folder, files named like outputs): one line each. */
  final List<String> skipped = new ArrayList<>();

  /** The lines to show the user before the run: renamed outputs, then skipped entries. */
  List<String> notes() {
    List<String> all = new ArrayList<>(renamed);
    all.addAll(skipped);
    return all;
  }

  /** What the run counts: every input, and every argument or folder entry that failed before it became one. */
  int count() {
    return inputs.size() + missing.size();
  }

  static Inputs expand(List<String> args) {
    return expand(args, null);
  }

  /**
   * Expands the arguments.
   *
   * @param outDir the output folder (null: none), skipped when walking folders and globs
   */
  static Inputs expand(List<String> args, Path outDir) {
    Inputs in = new Inputs();
    Set<Path> seen = new LinkedHashSet<>();
    Walk exclude = new Walk(outDir);
    for (String arg : args) {
      Path p = Path.of(arg);
      if (Files.isDirectory(p)) {
        int problems = in.missing.size();
        List<Path> found = exclude.walk(p, null, in);
        if (found.isEmpty() && in.missing.size() == problems) {
          in.missing.add(new Missing(
              arg,
              "folder holds no image (" + String.join(", ", ImageDecoder.IMAGE_EXTENSIONS) + ")"));
        }
        for (Path f : found) {
          if (seen.add(identity(f))) {
            in.inputs.add(new Input(f, stripExt(p.relativize(f)), isVideo(f)));
          }
        }
      } else if (Files.exists(p)) {
        if (seen.add(identity(p))) {
          in.inputs.add(new Input(p, stripExt(p.getFileName()), isVideo(p)));
        }
      } else if (arg.contains("*") || arg.contains("?") || arg.contains("[")) {
        int cut = firstGlobChar(arg);
        int slash = arg.lastIndexOf('/', cut);
        Path root = slash < 0 ? Path.of(".") : Path.of(arg.substring(0, slash + 1));
        PathMatcher m = FileSystems.getDefault()
            .getPathMatcher("glob:" + (slash < 0 ? arg : arg.substring(slash + 1)));
        int problems = in.missing.size();
        List<Path> found = Files.isDirectory(root) ? exclude.walk(root, m, in) : List.of();
        if (found.isEmpty() && in.missing.size() == problems) {
          in.missing.add(new Missing(arg, "no file matches this pattern"));
        }
        for (Path f : found) {
          if (seen.add(identity(f))) {
            in.inputs.add(new Input(f, stripExt(root.relativize(f)), isVideo(f)));
          }
        }
      } else {
        in.missing.add(new Missing(arg, whyNot(p)));
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
      renamed.add(
          i.file() + ": another input has the same name; its outputs are named " + base + ".*");
    }
  }

  private static String key(Path base) {
    return base.toString().toLowerCase(Locale.ROOT);
  }

  private static Path sibling(Path base, String name) {
    return base.getParent() == null ? Path.of(name) : base.getParent().resolve(name);
  }

  /** The file a path names, links resolved, so that a file reached twice (two links, a link and its target) is one input. */
  private static Path identity(Path f) {
    try {
      return f.toRealPath();
    } catch (IOException e) {
      return f.toAbsolutePath().normalize();
    }
  }

  /** Why a path that does not show as existing cannot be used: missing, or a folder on its way is not readable. */
  static String whyNot(Path p) {
    try {
      p.getFileSystem().provider().checkAccess(p);
      return "cannot be read";
    } catch (NoSuchFileException e) {
      return "no such file or folder";
    } catch (AccessDeniedException e) {
      return "permission denied";
    } catch (IOException e) {
      return problem(e);
    }
  }

  /** One line for an entry that could not be read while walking. */
  static String problem(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "vanished while the folder was read";
    }
    return "cannot be read: " + ErrorMessages.oneLine(e);
  }

  /** Folder walks that skip the output folder and go on past entries they cannot read. */
  private static final class Walk {
    private final Path outAbs;
    private final Path outReal;

    Walk(Path outDir) {
      Path real = null;
      if (outDir != null && Files.isDirectory(outDir)) {
        try {
          real = outDir.toRealPath();
        } catch (IOException e) {
          real = null;
        }
      }
      this.outAbs = outDir == null ? null : outDir.toAbsolutePath().normalize();
      this.outReal = real;
    }

    private boolean isOutput(Path dir) {
      if (outAbs == null) {
        return false;
      }
      if (dir.toAbsolutePath().normalize().equals(outAbs)) {
        return true;
      }
      try {
        return outReal != null && dir.toRealPath().equals(outReal);
      } catch (IOException e) {
        return false;
      }
    }

    List<Path> walk(Path root, PathMatcher matcher, Inputs in) {
      List<Path> found = new ArrayList<>();
      if (isOutput(root)) {
        in.missing.add(new Missing(
            root.toString(),
            "is the output folder (--out); outputs are never read back as inputs"));
        return found;
      }
      int[] outputsSkipped = new int[1];
      try {
        // FOLLOW_LINKS: each link is followed once; a link to a folder already on the way down is a
        // loop, reported
        Files.walkFileTree(
            root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), 64, new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return isOutput(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                if (!attrs.isRegularFile()) {
                  return FileVisitResult.CONTINUE;
                }
                boolean wanted = matcher == null
                    ? ImageDecoder.hasImageExtension(f) || isVideo(f)
                    : matcher.matches(root.relativize(f));
                if (!wanted) {
                  return FileVisitResult.CONTINUE;
                }
                String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
                if (OUTPUT_NAME.matcher(name).matches()) {
                  if (!name.endsWith(".labels.png")) {
                    outputsSkipped[0]++;
                  }
                } else {
                  found.add(f);
                }
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFileFailed(Path f, IOException e) {
                if (e instanceof FileSystemLoopException) {
                  in.skipped.add(
                      f + ": skipped: a link back to a folder already being walked (a loop)");
                } else {
                  in.missing.add(new Missing(f.toString(), problem(e)));
                }
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                if (e != null) {
                  in.missing.add(new Missing(dir.toString(), problem(e)));
                }
                return FileVisitResult.CONTINUE;
              }
            });
      } catch (IOException e) {
        in.missing.add(new Missing(root.toString(), problem(e)));
      }
      if (outputsSkipped[0] > 0) {
        in.skipped.add(
            root + ": skipped " + outputsSkipped[0] + " file(s) named like segmenter outputs "
                + "(NAME.overlay.png, NAME.classes.png, ...): outputs are never read back as inputs");
      }
      found.sort(null);
      return found;
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
