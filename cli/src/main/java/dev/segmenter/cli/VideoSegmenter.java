package dev.segmenter.cli;

import dev.segmenter.engine.ImageException;
import dev.segmenter.engine.Segmentation;
import dev.segmenter.engine.Segmenter;
import dev.segmenter.engine.Timings;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.kernels.Kernels;
import dev.segmenter.engine.render.ColorMap;
import dev.segmenter.engine.render.Overlay;
import dev.segmenter.palettes.Palette;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.VideoWriter;
import org.opencv.videoio.Videoio;

/**
 * Runs every frame of a video through the pipeline and writes the overlay as a video with the same
 * frame rate. Video I/O uses OpenCV's built-in Motion-JPEG AVI reader and writer (the org.openpnp build
 * has no FFmpeg), so inputs must be MJPEG .avi files; other containers give a clear error.
 */
final class VideoSegmenter {
  private VideoSegmenter() {}

  /** Totals over all frames. */
  record Result(long frames, double fps, int width, int height, Path output, Timings timings) {}

  static Result run(Segmenter seg, Path file, Path base, Palette palette, float alpha, PrintStream err, boolean quiet)
      throws IOException {
    nu.pattern.OpenCV.loadLocally();
    VideoCapture cap = new VideoCapture(file.toString(), Videoio.CAP_ANY);
    Path out = OutputWriter.sibling(base, "overlay.avi");
    Path tmp = out.resolveSibling("." + out.getFileName() + ".part.avi");
    VideoWriter writer = null;
    Mat frame = new Mat();
    Mat outMat = null;
    long frames = 0;
    double[] t = new double[4];
    Kernels k = Kernels.adaptive();
    ColorMap colorMap = new ColorMap(k.palette());
    Overlay overlay = new Overlay(k.blend(), k.palette());
    try {
      if (!cap.isOpened()) {
        throw new ImageException(file + ": cannot open the video; this build reads Motion-JPEG .avi files "
            + "(convert with: ffmpeg -i " + file.getFileName() + " -c:v mjpeg -q:v 3 out.avi)");
      }
      double fps = cap.get(Videoio.CAP_PROP_FPS);
      if (!(fps > 0 && fps < 1000)) {
        fps = 25;
      }
      long declared = (long) cap.get(Videoio.CAP_PROP_FRAME_COUNT);
      int w = 0;
      int h = 0;
      byte[] buf = null;
      while (true) {
        long d0 = System.nanoTime();
        if (!cap.read(frame) || frame.empty()) {
          break;
        }
        if (frame.type() != CvType.CV_8UC3) {
          throw new ImageException(file + ": frame " + frames + " is not 8-bit BGR");
        }
        if (writer == null) {
          w = frame.cols();
          h = frame.rows();
          buf = new byte[w * h * 3];
          writer = new VideoWriter(tmp.toString(), VideoWriter.fourcc('M', 'J', 'P', 'G'), fps, new Size(w, h));
          if (!writer.isOpened()) {
            throw new IOException("cannot write video " + tmp);
          }
          outMat = new Mat(h, w, CvType.CV_8UC3);
        }
        if (frame.cols() != w || frame.rows() != h) {
          throw new ImageException(file + ": frame " + frames + " changes size");
        }
        frame.get(0, 0, buf);
        double decode = (System.nanoTime() - d0) / 1e6;
        Segmentation r = seg.segment(new BgrImage(w, h, buf.clone()));
        long p0 = System.nanoTime();
        BgrImage blended = overlay.render(r.image(), colorMap.bgr(r.classMap(), palette), alpha);
        outMat.put(0, 0, blended.data());
        writer.write(outMat);
        double post = (System.nanoTime() - p0) / 1e6;
        t[0] += decode;
        t[1] += r.timings().preprocess();
        t[2] += r.timings().forward();
        t[3] += r.timings().postprocess() + post;
        frames++;
        if (!quiet && frames % 25 == 0) {
          err.printf(Locale.ROOT, "segmenter: %s frame %d%s%n", file.getFileName(), frames,
              declared > 0 ? "/" + declared : "");
        }
      }
      if (frames == 0) {
        throw new ImageException(file + ": the video has no frame that could be decoded");
      }
      writer.release();
      writer = null;
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Result(frames, fps, w, h, out, new Timings(t[0], t[1], t[2], t[3]));
    } finally {
      if (writer != null) {
        writer.release();
      }
      cap.release();
      frame.release();
      if (outMat != null) {
        outMat.release();
      }
      Files.deleteIfExists(tmp);
    }
  }
}
