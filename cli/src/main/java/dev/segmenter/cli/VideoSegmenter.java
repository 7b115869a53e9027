package dev.segmenter.cli;

import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.Timings;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.render.ColorMap;
import dev.segmenter.engine.render.Overlay;
import dev.segmenter.palettes.Palette;
import dev.segmenter.video.FrameRenderer;
import dev.segmenter.video.VideoException;
import dev.segmenter.video.VideoFormat;
import dev.segmenter.video.VideoPipeline;
import dev.segmenter.video.VideoReader;
import dev.segmenter.video.VideoWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Runs every frame of a video through the pipeline and writes what a {@link FrameRenderer} makes of it (the overlay)
 * as a video with the same frame rate and frame count, through FFmpeg (the segmenter-video module). Decoding,
 * segmenting and encoding overlap ({@link VideoPipeline}).
 *
 * <p>The output container: {@code .webm} in gives {@code NAME.overlay.webm} (VP8), {@code .avi} in gives
 * {@code NAME.overlay.avi} (Motion-JPEG), every other input ({@code .mp4 .m4v .mov .mkv .mpg .mpeg}) gives
 * {@code NAME.overlay.mp4} (H.264), and so does any input whose frames have an odd width or height, except that
 * those go to {@code .avi} (H.264 and VP8 need even sizes).
 */
final class VideoSegmenter {
  /** Threads segmenting frames (the Segmenter is thread-safe): one forwards while the other post-processes. */
  static final int WORKERS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
  /** Frames between decoder and encoder at most: bounds memory to a few frames whatever the video's length. */
  static final int DEPTH = WORKERS + 4;

  private VideoSegmenter() {}

  /**
   * Totals over all frames: {@code timings} sums decode (decoder thread) and the segmenter's own stages;
   * {@code renderMs} the renderer's time, {@code encodeMs} the encoder's; {@code seconds} is the wall time.
   */
  record Result(
      long frames,
      double fps,
      int width,
      int height,
      Path output,
      Timings timings,
      double renderMs,
      double encodeMs,
      double seconds) {}

  /** The overlay video: NAME.overlay.EXT. */
  static Result run(
      Segmenter seg,
      Path file,
      Path base,
      Palette palette,
      float alpha,
      PrintStream err,
      boolean quiet)
      throws IOException {
    return run(seg, file, base, "overlay", overlay(seg.kernels(), palette, alpha), err, quiet);
  }

  /**
   * The overlay of the frame's classes in palette colors, as NAME.overlay.png draws it, with the segmenter's kernels
   * (asked for each frame: adaptive kernels move from scalar to vector code once it is compiled).
   */
  static FrameRenderer overlay(Kernels k, Palette palette, float alpha) {
    return f -> new Overlay(k.blend(), k.palette())
        .render(
            f.segmentation().image(),
            new ColorMap(k.palette()).bgr(f.segmentation().classMap(), palette),
            alpha);
  }

  /** The container the output of a video gets; see the class comment. */
  static VideoFormat outputFormat(Path input, int width, int height) {
    String n = input.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".avi") || width % 2 != 0 || height % 2 != 0) {
      return VideoFormat.AVI;
    }
    return n.endsWith(".webm") ? VideoFormat.WEBM : VideoFormat.MP4;
  }

  /**
   * Writes NAME.{@code suffix}.EXT from what {@code renderer} makes of each frame. A stream that breaks keeps the
   * frames before the break in a finished, playable output and then throws a one-line {@link VideoException}.
   */
  static Result run(
      Segmenter seg,
      Path file,
      Path base,
      String suffix,
      FrameRenderer renderer,
      PrintStream err,
      boolean quiet)
      throws IOException {
    DoubleAdder pre = new DoubleAdder();
    DoubleAdder forward = new DoubleAdder();
    DoubleAdder post = new DoubleAdder();
    try (VideoReader in = VideoReader.open(file)) {
      VideoFormat format = outputFormat(file, in.width(), in.height());
      Path out = OutputWriter.sibling(base, suffix + "." + format.extension());
      Path tmp = out.resolveSibling("." + out.getFileName() + ".part." + format.extension());
      long declared = in.frameCount().orElse(-1);
      VideoPipeline.Result r = null;
      VideoException broken = null;
      long written;
      try {
        try (VideoWriter w = VideoWriter.open(tmp, format, in.width(), in.height(), in.fps())) {
          VideoPipeline.Stage stage = VideoPipeline.segmenting(
              image -> {
                Segmentation s = seg.segment(image);
                pre.add(s.timings().preprocess());
                forward.add(s.timings().forward());
                post.add(s.timings().postprocess());
                return s;
              },
              renderer);
          try {
            r = new VideoPipeline(WORKERS, DEPTH).run(in, w, stage, n -> {
              if (!quiet && n % 25 == 0) {
                err.printf(
                    Locale.ROOT,
                    "segmenter: %s frame %d%s%n",
                    file.getFileName(),
                    n,
                    declared > 0 ? "/" + declared : "");
              }
            });
          } catch (VideoException e) {
            if (!e.getMessage().startsWith(file.toString())) {
              throw e;
            }
            broken = e;
          }
          written = w.framesWritten();
        }
        if (written > 0) {
          Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      if (broken != null) {
        throw new VideoException(
            broken.getMessage()
                + (written > 0
                    ? "; the " + written + " frames before it are in " + out
                    : "; no frame could be decoded"),
            broken);
      }
      if (written == 0) {
        throw new VideoException(file + ": the video has no frame");
      }
      double segMs = pre.sum() + forward.sum() + post.sum();
      return new Result(
          r.frames(),
          in.fps(),
          in.width(),
          in.height(),
          out,
          new Timings(r.decodeNanos() / 1e6, pre.sum(), forward.sum(), post.sum()),
          Math.max(0, r.stageNanos() / 1e6 - segMs),
          r.encodeNanos() / 1e6,
          r.wallNanos() / 1e9);
    }
  }
}
