package dev.segmenter.engine.render;

import dev.segmenter.engine.ErrorMessages;
import dev.segmenter.engine.SegmenterException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of one result, written all or none. Each {@link #add} writes a hidden temporary file beside its
 * target ({@code .NAME.RANDOM.segmenter.tmp}); {@link #commit()} renames them all into place; when a write or a
 * rename fails, or the set is closed without a commit, every temporary is deleted and every target already renamed
 * is removed again, so a reader never sees half a file nor half of an image's outputs.
 *
 * <p>Durable sets ({@code durable = true}) force each file's bytes to the disk before its rename and the folder
 * entries after, so a power cut cannot leave a renamed but empty file (the rename is only atomic for the name).
 *
 * <p>Not thread-safe: one set per result. Failures throw {@link OutputException}, which says whether the cause is
 * the output location itself (no space, read-only, permission denied: every later write would fail too).
 *
 * <pre>{@code
 * try (OutputFiles files = new OutputFiles(true)) {
 *   files.add(dir.resolve("x.classes.png"), out -> PngOutputs.encodeClassIds(map, out));
 *   files.add(dir.resolve("x.color.png"), out -> PngOutputs.encodeImage(colors, PngEncoder.flat(), out));
 *   files.commit();
 * }
 * }</pre>
 */
public final class OutputFiles implements AutoCloseable {
  /** The suffix of this engine's temporary files (stale ones are recognised by it). */
  public static final String TMP_SUFFIX = ".segmenter.tmp";
  /** Temporaries of this engine: the current suffix, and {@code .NAME.DIGITS.tmp} of earlier versions. */
  private static final Pattern STALE =
      Pattern.compile("^\\..+(\\.segmenter\\.tmp|\\.-?\\d+\\.tmp)$");

  private record Pending(Path tmp, Path target) {}

  private final boolean durable;
  private final List<Pending> pending = new ArrayList<>();
  private final List<Path> renamed = new ArrayList<>();
  private boolean committed;

  /** @param durable force bytes and folder entries to the disk before and after the renames */
  public OutputFiles(boolean durable) {
    this.durable = durable;
  }

  /** Writes one file now, atomically (temporary file, then rename); returns {@code target}. */
  public static Path writeOne(Path target, PngEncoder.PngWriteBody body, boolean durable) {
    try (OutputFiles files = new OutputFiles(durable)) {
      files.add(target, body);
      files.commit();
      return target;
    }
  }

  /**
   * Writes {@code body} to a temporary file beside {@code target} (its folder is created if missing).
   *
   * @throws OutputException when the file cannot be written; the set's earlier temporaries are kept until close
   */
  public Path add(Path target, PngEncoder.PngWriteBody body) {
    if (committed) {
      throw new IllegalStateException("output files already committed");
    }
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", TMP_SUFFIX);
      pending.add(new Pending(tmp, absolute));
      keepPermissions(tmp, absolute);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        body.write(out);
        out.flush();
        if (durable) {
          ch.force(true);
        }
      }
      return target;
    } catch (IOException | RuntimeException e) {
      throw failure("write", target, e);
    }
  }

  /**
   * Renames every temporary into place. When a rename fails, the targets already renamed are deleted and the
   * remaining temporaries too, so none of the set's files is left.
   */
  public List<Path> commit() {
    if (committed) {
      throw new IllegalStateException("output files already committed");
    }
    committed = true;
    Set<Path> dirs = new LinkedHashSet<>();
    Pending current = null;
    try {
      for (Pending p : pending) {
        current = p;
        try {
          Files.move(p.tmp, p.target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(p.tmp, p.target, StandardCopyOption.REPLACE_EXISTING);
        }
        renamed.add(p.target);
        dirs.add(p.target.getParent());
      }
      current = null;
      if (durable) {
        for (Path d : dirs) {
          forceFolder(d);
        }
      }
      List<Path> out = List.copyOf(renamed);
      pending.clear();
      return out;
    } catch (IOException | RuntimeException e) {
      Path at = current != null
          ? current.target
          : renamed.isEmpty() ? null : renamed.get(renamed.size() - 1);
      rollback();
      throw failure("rename", at, e);
    }
  }

  /** Deletes the temporaries (and, after a failed commit, the targets renamed); a no-op after a commit. Idempotent. */
  @Override
  public void close() {
    if (!committed || !pending.isEmpty()) {
      rollback();
    }
    committed = true;
  }

  private void rollback() {
    for (Path p : renamed) {
      deleteQuietly(p);
    }
    renamed.clear();
    for (Pending p : pending) {
      deleteQuietly(p.tmp);
    }
    pending.clear();
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // the first failure is the one to report; a leftover temporary is removed by the next run's
      // cleanup
    }
  }

  private static void forceFolder(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some file systems cannot open or sync a folder; the files themselves are on disk already
    }
  }

  /**
   * Deletes this engine's stale temporary files (left by a killed run) under {@code folder}, recursively;
   * returns how many. A missing folder has none.
   */
  public static int deleteStaleTemporaries(Path folder) {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    int[] n = {0};
    try (Stream<Path> files = Files.walk(folder)) {
      files
          .filter(
              p -> STALE.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p))
          .forEach(p -> {
            try {
              Files.delete(p);
              n[0]++;
            } catch (IOException ignored) {
              // not ours to worry about: it will be tried again next run
            }
          });
    } catch (IOException | java.io.UncheckedIOException e) {
      // an unreadable sub-folder: clean what could be walked
    }
    return n[0];
  }

  /** Temporary files are created private (rw-------): give the new file the permissions of the file it replaces. */
  private static void keepPermissions(Path tmp, Path target) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    Set<PosixFilePermission> perms = Files.exists(target)
        ? Files.getPosixFilePermissions(target)
        : PosixFilePermissions.fromString("rw-r--r--");
    view.setPermissions(perms);
  }

  private static OutputException failure(String what, Path target, Throwable e) {
    if (e instanceof OutputException oe) {
      return oe;
    }
    String reason = reason(e);
    boolean runWide = isRunWide(e);
    return new OutputException(
        "cannot " + what + " " + (target == null ? "the outputs" : target.toString()) + ": "
            + reason,
        runWide,
        e);
  }

  private static String reason(Throwable e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such folder";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return ErrorMessages.oneLine(e);
  }

  /** True when the cause is the output location (every later write there would fail the same way). */
  static boolean isRunWide(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AccessDeniedException) {
        return true;
      }
      String m = t instanceof FileSystemException fse && fse.getReason() != null
          ? fse.getReason()
          : t.getMessage();
      if (m != null) {
        String l = m.toLowerCase(Locale.ROOT);
        if (l.contains("no space left")
            || l.contains("read-only file system")
            || l.contains("disk quota")
            || l.contains("permission denied")) {
          return true;
        }
      }
    }
    return false;
  }

  /** An output could not be written. */
  public static final class OutputException extends SegmenterException {
    private static final long serialVersionUID = 1L;
    private final boolean runWide;

    public OutputException(String message, boolean runWide, Throwable cause) {
      super(message, cause);
      this.runWide = runWide;
    }

    /** True when the output location itself failed (no space, read-only, permission): stop the run. */
    public boolean isRunWide() {
      return runWide;
    }
  }
}
