package dev.segmenter.video;

import dev.segmenter.engine.image.BgrImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Reads the frames of a video file as {@link BgrImage}s, through FFmpeg (any container and codec of the bytedeco
 * build: MP4, MOV, MKV, WebM, AVI, MPEG; H.264, HEVC, VP8, VP9, AV1, MJPEG, MPEG-4...). Audio is skipped.
 *
 * <pre>{@code
 * try (VideoReader in = VideoReader.open(Path.of("clip.mp4"))) {
 *   for (BgrImage frame; (frame = in.read()) != null; ) { ... }
 * }
 * }</pre>
 *
 * <p>A stream that ends before the frame count or duration its container declares (a cut-off download, a file still
 * being written) throws a {@link VideoException} once the frames before the break have been read. Not thread-safe:
 * one thread reads. {@link #close()} is idempotent; {@link #read()} after it throws {@link IllegalStateException}.
 */
public final class VideoReader implements AutoCloseable {
  private final Path file;
  private final FFmpegFrameGrabber grabber;
  private final int width;
  private final int height;
  private final double fps;
  private final long declaredFrames;
  private final long declaredMicros;
  private final String codec;
  private long frames;
  private long lastMicros = -1;
  private boolean closed;

  private VideoReader(Path file, FFmpegFrameGrabber grabber) {
    this.file = file;
    this.grabber = grabber;
    this.width = grabber.getImageWidth();
    this.height = grabber.getImageHeight();
    double rate = grabber.getVideoFrameRate();
    this.fps = rate > 0 && rate < 1000 ? rate : 25;
    this.codec = grabber.getVideoCodecName();
    AVFormatContext oc = grabber.getFormatContext();
    AVStream stream = null;
    for (int i = 0; i < oc.nb_streams(); i++) {
      if (oc.streams(i).codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
        stream = oc.streams(i);
        break;
      }
    }
    long n = stream == null ? 0 : stream.nb_frames();
    this.declaredFrames = n > 0 ? n : -1;
    long micros = -1;
    if (stream != null && stream.duration() != avutil.AV_NOPTS_VALUE && stream.duration() > 0) {
      micros = Math.round(stream.duration() * avutil.av_q2d(stream.time_base()) * 1e6);
    } else if (oc.nb_streams() == 1
        && oc.duration() != avutil.AV_NOPTS_VALUE
        && oc.duration() > 0) {
      micros = oc.duration();
    }
    this.declaredMicros = micros;
  }

  /**
   * Opens a video file. Throws a one-line {@link VideoException} if the file is missing, is no container FFmpeg
   * knows, has no video stream, or FFmpeg's natives cannot be loaded.
   */
  public static VideoReader open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new VideoException(file + ": no such video file");
    }
    FFmpeg.load();
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
    g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
    try {
      g.start();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      release(g);
      throw new VideoException(
          file + ": cannot open the video: " + FFmpeg.reason(e)
              + " (readable: the containers and codecs of FFmpeg 7.1, e.g. MP4/MOV/MKV with H.264, WebM with VP8/VP9, "
              + "AVI with MJPEG)",
          e);
    }
    if (!g.hasVideo() || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
      release(g);
      throw new VideoException(file + ": has no video stream FFmpeg can decode");
    }
    return new VideoReader(file, g);
  }

  private static void release(FFmpegFrameGrabber g) {
    try {
      g.release();
    } catch (FrameGrabber.Exception | RuntimeException ignored) {
      // already failing: the first error is the one to report
    }
  }

  /**
   * The next frame (a new array the caller owns), or null after the last one. Throws a one-line
   * {@link VideoException} when the stream breaks or ends before its declared length; frames read before stay valid.
   */
  public BgrImage read() {
    if (closed) {
      throw new IllegalStateException(file + ": the video reader is closed");
    }
    Frame f;
    try {
      f = grabber.grabImage();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      throw new VideoException(
          file + ": decoding frame " + frames + " failed: " + FFmpeg.reason(e), e);
    }
    if (f == null || f.image == null) {
      checkComplete();
      return null;
    }
    if (f.imageWidth != width || f.imageHeight != height) {
      throw new VideoException(String.format(
          Locale.ROOT,
          "%s: frame %d is %dx%d but the video is %dx%d; "
              + "accepted: videos whose frames keep one size",
          file,
          frames,
          f.imageWidth,
          f.imageHeight,
          width,
          height));
    }
    byte[] data = new byte[width * height * 3];
    ByteBuffer src = ((ByteBuffer) f.image[0]).duplicate();
    int row = width * 3;
    int stride = f.imageStride;
    if (stride == row) {
      src.position(0);
      src.get(data, 0, data.length);
    } else {
      for (int y = 0; y < height; y++) {
        src.position(y * stride);
        src.get(data, y * row, row);
      }
    }
    frames++;
    lastMicros = f.timestamp;
    return new BgrImage(width, height, data);
  }

  private void checkComplete() {
    if (declaredFrames > 0 && frames < declaredFrames) {
      throw new VideoException(String.format(
          Locale.ROOT,
          "%s: the stream ends after frame %d of the %d its container declares (the file is cut off or broken)",
          file,
          frames,
          declaredFrames));
    }
    if (declaredFrames <= 0
        && declaredMicros > 0
        && lastMicros >= 0
        && lastMicros + 2.5e6 / fps < declaredMicros) {
      throw new VideoException(String.format(
          Locale.ROOT,
          "%s: the stream ends at %.2f s of the %.2f s its container declares, after %d frames "
              + "(the file is cut off or broken)",
          file,
          lastMicros / 1e6,
          declaredMicros / 1e6,
          frames));
    }
  }

  public Path file() {
    return file;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Frames per second the stream declares (its average rate; 25 when it declares none). */
  public double fps() {
    return fps;
  }

  /** The frame count the container declares, when it does (MP4, MOV, AVI do; Matroska and WebM do not). */
  public OptionalLong frameCount() {
    return declaredFrames > 0 ? OptionalLong.of(declaredFrames) : OptionalLong.empty();
  }

  /** FFmpeg's name of the video codec, e.g. "h264". */
  public String codec() {
    return codec;
  }

  /** Frames read so far. */
  public long framesRead() {
    return frames;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    release(grabber);
  }
}
