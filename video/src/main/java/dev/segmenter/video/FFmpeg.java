package dev.segmenter.video;

import dev.segmenter.engine.ErrorMessages;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;

/**
 * Loads FFmpeg's natives once (JavaCPP extracts them from the platform jar into its cache, by default
 * {@code ~/.javacpp/cache}, else {@code java.io.tmpdir/.javacpp-USER/cache}; nothing is downloaded), silences FFmpeg's own log lines (errors come back as one-line
 * {@link VideoException}s instead), and turns FFmpeg's error codes into words.
 */
final class FFmpeg {
  private static final Pattern ERROR_CODE = Pattern.compile("error (-\\d+)");
  private static volatile boolean loaded;
  private static String failure;

  private FFmpeg() {}

  /** Loads the natives, or throws a one-line {@link VideoException} naming the cache folder and the platform. */
  static void load() {
    if (loaded) {
      return;
    }
    synchronized (FFmpeg.class) {
      if (loaded) {
        return;
      }
      if (failure == null) {
        try {
          // what files need; not avdevice (JavaCV's tryLoad loads it for cameras, and it links to
          // PulseAudio)
          Loader.load(avutil.class);
          Loader.load(swresample.class);
          Loader.load(avcodec.class);
          Loader.load(avformat.class);
          Loader.load(swscale.class);
          if (!Boolean.getBoolean("segmenter.video.ffmpegLog")) {
            avutil.av_log_set_level(avutil.AV_LOG_QUIET);
          }
          loaded = true;
          return;
        } catch (RuntimeException | LinkageError e) {
          Throwable root = e;
          while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
          }
          failure = "cannot load FFmpeg's natives for " + Loader.getPlatform() + " ("
              + ErrorMessages.oneLine(root)
              + "); they come from the ffmpeg and javacpp jars with classifier "
              + Loader.getPlatform()
              + " and are extracted to " + cacheDir() + " (else under java.io.tmpdir)"
              + ": make that folder writable or choose another with -Dorg.bytedeco.javacpp.cachedir=DIR";
        }
      }
      throw new VideoException(failure);
    }
  }

  private static String cacheDir() {
    String dir = System.getProperty("org.bytedeco.javacpp.cachedir");
    return dir != null ? dir : System.getProperty("user.home") + "/.javacpp/cache";
  }

  /** FFmpeg's words for the error code in a JavaCV message ("avformat_open_input() error -1094995529: ..."). */
  static String reason(Exception e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    Matcher code = ERROR_CODE.matcher(m);
    if (code.find()) {
      try (BytePointer buf = new BytePointer(256)) {
        if (avutil.av_strerror(Integer.parseInt(code.group(1)), buf, 256) == 0) {
          byte[] text = new byte[256];
          buf.get(text);
          int n = 0;
          while (n < text.length && text[n] != 0) {
            n++;
          }
          return new String(text, 0, n, StandardCharsets.UTF_8);
        }
      } catch (NumberFormatException ignored) {
        // fall through to JavaCV's message
      }
    }
    return ErrorMessages.oneLine(e);
  }
}
