package dev.segmenter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenter.engine.image.BgrImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.VideoWriter;
import org.opencv.videoio.Videoio;

/** A video goes through the pipeline frame by frame and comes back as an overlay video at the same frame rate. */
class VideoTest {
  @TempDir
  Path tmp;

  @Test
  void videoInVideoOutSameFrameRateAndFrameCount() {
    nu.pattern.OpenCV.loadLocally();
    Path in = tmp.resolve("drive.avi");
    VideoWriter w = new VideoWriter(
        in.toString(), VideoWriter.fourcc('M', 'J', 'P', 'G'), 12.0, new Size(320, 160));
    assertTrue(w.isOpened());
    Mat m = new Mat(160, 320, CvType.CV_8UC3);
    for (int i = 0; i < 7; i++) {
      BgrImage frame = TestModels.scene(300 + i, 320, 160);
      m.put(0, 0, frame.data());
      w.write(m);
    }
    w.release();
    Path out = tmp.resolve("out");
    CliRunner.Result r = CliRunner.run(
        "segment",
        in.toString(),
        "--model",
        TestModels.ENET.toString(),
        "--out",
        out.toString(),
        "--json",
        "-q");
    assertEquals(0, r.code(), r.err());
    Path video = out.resolve("drive.overlay.avi");
    assertTrue(Files.isRegularFile(video), r.err());
    VideoCapture cap = new VideoCapture(video.toString());
    assertTrue(cap.isOpened());
    assertEquals(12.0, cap.get(Videoio.CAP_PROP_FPS), 1e-6);
    Mat f = new Mat();
    int frames = 0;
    while (cap.read(f) && !f.empty()) {
      assertEquals(320, f.cols());
      assertEquals(160, f.rows());
      frames++;
    }
    cap.release();
    assertEquals(7, frames);
    assertTrue(r.out().contains("\"frames\":7"), r.out());
  }

  @Test
  void anUnreadableVideoIsOneFailedInput() throws Exception {
    Path in = tmp.resolve("broken.mp4");
    Files.writeString(in, "not a video");
    CliRunner.Result r = CliRunner.run(
        "segment",
        in.toString(),
        "--model",
        TestModels.ENET.toString(),
        "--out",
        tmp.resolve("o").toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("broken.mp4: cannot open the video: "), r.err());
    assertEquals(
        1, r.errLines().stream().filter(l -> l.contains("broken.mp4: ")).count(), r.err());
  }
}
