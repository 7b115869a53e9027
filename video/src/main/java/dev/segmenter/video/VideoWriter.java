package dev.segmenter.video;

import dev.segmenter.engine.image.BgrImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Writes {@link BgrImage} frames to a video file at a constant frame rate, in the {@link VideoFormat} its extension
 * names: {@code .mp4/.m4v/.mov/.mkv} H.264, {@code .webm} VP8, {@code .avi} Motion-JPEG. No audio.
 *
 * <pre>{@code
 * try (VideoWriter out = VideoWriter.open(Path.of("out.mp4"), 640, 360, 25)) {
 *   out.write(frame);
 * }
 * }</pre>
 *
 * <p>{@link #close()} flushes the encoder and writes the container's index, so the file is complete and playable
 * with the frames written so far, also after an error elsewhere. Idempotent; {@link #write} after it throws
 * {@link IllegalStateException}. Not thread-safe: one thread writes.
 */
public final class VideoWriter implements AutoCloseable {
  private final Path file;
  private final VideoFormat format;
  private final int width;
  private final int height;
  private final double fps;
  private final FFmpegFrameRecorder recorder;
  private final ByteBuffer staging;
  private long frames;
  private boolean closed;

  private VideoWriter(
      Path file,
      VideoFormat format,
      int width,
      int height,
      double fps,
      FFmpegFrameRecorder recorder) {
    this.file = file;
    this.format = format;
    this.width = width;
    this.height = height;
    this.fps = fps;
    this.recorder = recorder;
    this.staging = ByteBuffer.allocateDirect(width * height * 3);
  }

  /** Opens a writer in the format the file's extension names. */
  public static VideoWriter open(Path file, int width, int height, double fps) {
    return open(file, VideoFormat.of(file), width, height, fps);
  }

  /**
   * Opens a writer. H.264 and VP8 need even sizes (4:2:0 chroma): an odd width or height is refused, with the size
   * that would be accepted. The bitrate is 0.2 bits per pixel per frame (about 1.1 Mbit/s at 640x360, 25 fps).
   */
  public static VideoWriter open(Path file, VideoFormat format, int width, int height, double fps) {
    if (width <= 0
        || height <= 0
        || (format != VideoFormat.AVI && (width % 2 != 0 || height % 2 != 0))) {
      throw new VideoException(String.format(
          Locale.ROOT,
          "%s: cannot write %dx%d frames as %s; accepted: " + "positive sizes%s",
          file,
          width,
          height,
          format.encoder(),
          format == VideoFormat.AVI
              ? ""
              : ", even for " + format.encoder() + " (e.g. " + (width + width % 2) + "x"
                  + (height + height % 2) + ")"));
    }
    if (!(fps > 0 && fps <= 1000)) {
      throw new VideoException(file + ": frame rate " + fps + " is not in (0, 1000]");
    }
    FFmpeg.load();
    FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
    r.setFormat(format.container());
    r.setVideoCodecName(format.encoder());
    r.setFrameRate(fps);
    r.setGopSize((int) Math.max(1, Math.round(fps * 2)));
    switch (format) {
      case AVI -> {
        r.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
        r.setVideoQuality(3);
      }
      case WEBM -> {
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setVideoBitrate(bitrate(width, height, fps));
        r.setVideoOption("deadline", "realtime");
        r.setVideoOption("cpu-used", "8");
      }
      default -> {
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setVideoBitrate(bitrate(width, height, fps));
        if (format == VideoFormat.MP4 || format == VideoFormat.MOV) {
          r.setOption("movflags", "+faststart");
        }
      }
    }
    try {
      r.start();
    } catch (FrameRecorder.Exception | RuntimeException e) {
      try {
        r.release();
      } catch (FrameRecorder.Exception | RuntimeException ignored) {
        // already failing: the first error is the one to report
      }
      throw new VideoException(
          file + ": cannot write " + format.extension().toUpperCase(Locale.ROOT) + " ("
              + format.encoder() + "): " + FFmpeg.reason(e),
          e);
    }
    return new VideoWriter(file, format, width, height, fps, r);
  }

  private static int bitrate(int width, int height, double fps) {
    return (int) Math.min(50_000_000, Math.max(200_000, 0.2 * width * height * fps));
  }

  /** Appends a frame; it must have the writer's size. */
  public void write(BgrImage frame) {
    if (closed) {
      throw new IllegalStateException(file + ": the video writer is closed");
    }
    if (frame.width() != width || frame.height() != height) {
      throw new VideoException(String.format(
          Locale.ROOT,
          "%s: frame %d is %dx%d but the video is %dx%d",
          file,
          frames,
          frame.width(),
          frame.height(),
          width,
          height));
    }
    staging.clear();
    staging.put(frame.data());
    staging.flip();
    try {
      recorder.recordImage(
          width, height, Frame.DEPTH_UBYTE, 3, width * 3, avutil.AV_PIX_FMT_BGR24, staging);
    } catch (FrameRecorder.Exception | RuntimeException e) {
      throw new VideoException(
          file + ": encoding frame " + frames + " failed: " + FFmpeg.reason(e), e);
    }
    frames++;
  }

  public Path file() {
    return file;
  }

  public VideoFormat format() {
    return format;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public double fps() {
    return fps;
  }

  /** Frames written so far. */
  public long framesWritten() {
    return frames;
  }

  /**
   * Flushes the encoder and finishes the file. Throws a {@link VideoException} if that fails (a full disk); the
   * natives are released either way.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      recorder.stop();
    } catch (FrameRecorder.Exception | RuntimeException e) {
      throw new VideoException(file + ": finishing the video failed: " + FFmpeg.reason(e), e);
    } finally {
      try {
        recorder.release();
      } catch (FrameRecorder.Exception | RuntimeException ignored) {
        // stop reported the error, if any
      }
    }
  }
}
