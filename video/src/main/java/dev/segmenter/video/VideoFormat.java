package dev.segmenter.video;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The containers and codecs {@link VideoWriter} writes, chosen by the output file's extension. The bytedeco FFmpeg
 * build is the LGPL one: H.264 is encoded by Cisco's OpenH264 ({@code libopenh264}; there is no libx264), WebM by
 * libvpx (VP8: its realtime mode is several times faster than VP9's at equal size here), AVI by FFmpeg's own
 * Motion-JPEG encoder (intra-only, large files, read by every player and by OpenCV without FFmpeg).
 */
public enum VideoFormat {
  /** H.264 (OpenH264) in MP4, the moov atom first so a cut-off download still plays. */
  MP4("mp4", "mp4", "libopenh264"),
  /** H.264 (OpenH264) in QuickTime. */
  MOV("mov", "mov", "libopenh264"),
  /** H.264 (OpenH264) in Matroska. */
  MKV("mkv", "matroska", "libopenh264"),
  /** VP8 (libvpx, realtime) in WebM. */
  WEBM("webm", "webm", "libvpx"),
  /** Motion-JPEG in AVI. */
  AVI("avi", "avi", "mjpeg");

  private final String extension;
  private final String container;
  private final String encoder;

  VideoFormat(String extension, String container, String encoder) {
    this.extension = extension;
    this.container = container;
    this.encoder = encoder;
  }

  /** The file extension, without the dot. */
  public String extension() {
    return extension;
  }

  /** FFmpeg's name of the container (muxer). */
  public String container() {
    return container;
  }

  /** FFmpeg's name of the video encoder. */
  public String encoder() {
    return encoder;
  }

  /** The format for a file's extension ({@code .m4v} is MP4). */
  public static VideoFormat of(Path file) {
    String name =
        file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1);
    if (ext.equals("m4v")) {
      return MP4;
    }
    for (VideoFormat f : values()) {
      if (f.extension.equals(ext)) {
        return f;
      }
    }
    throw new VideoException(
        file + ": cannot write a video with extension '" + ext + "'; accepted: "
            + Arrays.stream(values()).map(f -> "." + f.extension).collect(Collectors.joining(", "))
            + ", .m4v");
  }
}
