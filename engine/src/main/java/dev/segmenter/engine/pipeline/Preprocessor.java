package dev.segmenter.engine.pipeline;

import dev.segmenter.engine.Tensor;
import dev.segmenter.engine.image.BgrImage;
import dev.segmenter.engine.image.LinearResize8u;
import dev.segmenter.engine.model.InputSpec;
import dev.segmenter.engine.model.Layout;

/**
 * Turns an image into the network's input blob, with OpenCV's {@code blobFromImage} arithmetic
 * (bilinear resize as {@code INTER_LINEAR}, {@code (pixel - mean) * scale}, optional channel swap and
 * centre crop), plus per-channel std and letterboxing. Stateless and thread-safe.
 */
public final class Preprocessor {
  private final InputSpec spec;

  public Preprocessor(InputSpec spec) {
    this.spec = spec;
  }

  /** The blob and where the image landed in it. */
  public record Blob(Tensor tensor, Placement placement) {}

  public Blob apply(BgrImage image) {
    int iw = image.width();
    int ih = image.height();
    int w = spec.width();
    int h = spec.height();
    byte[] fitted;
    Placement placement;
    switch (spec.fit()) {
      case LETTERBOX -> {
        double r = Math.min((double) w / iw, (double) h / ih);
        int nw = Math.max(1, Math.min(w, (int) Math.round(iw * r)));
        int nh = Math.max(1, Math.min(h, (int) Math.round(ih * r)));
        int px = (w - nw) / 2;
        int py = (h - nh) / 2;
        byte[] resized = LinearResize8u.resize(image.data(), iw, ih, 3, nw, nh);
        fitted = new byte[w * h * 3];
        byte[] fill = padBytes();
        for (int i = 0; i < w * h; i++) {
          fitted[3 * i] = fill[0];
          fitted[3 * i + 1] = fill[1];
          fitted[3 * i + 2] = fill[2];
        }
        for (int y = 0; y < nh; y++) {
          System.arraycopy(resized, y * nw * 3, fitted, ((y + py) * w + px) * 3, nw * 3);
        }
        placement = new Placement((double) nw / iw, px, (double) nh / ih, py, w, h);
      }
      case CENTER_CROP -> {
        // as blobFromImage(crop=true): a float factor, dsize rounded, the crop origin truncated
        float f = Math.max(w / (float) iw, h / (float) ih);
        int rw = Math.max(w, (int) Math.rint(iw * (double) f));
        int rh = Math.max(h, (int) Math.rint(ih * (double) f));
        byte[] resized = (rw == iw && rh == ih)
            ? image.data()
            : LinearResize8u.resize(image.data(), iw, ih, 3, rw, rh, f, f);
        int cx = (int) (0.5 * (rw - w));
        int cy = (int) (0.5 * (rh - h));
        fitted = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
          System.arraycopy(resized, ((y + cy) * rw + cx) * 3, fitted, y * w * 3, w * 3);
        }
        placement = new Placement(f, -cx, f, -cy, w, h);
      }
      default -> {
        fitted = LinearResize8u.resize(image.data(), iw, ih, 3, w, h);
        placement = new Placement((double) w / iw, 0, (double) h / ih, 0, w, h);
      }
    }
    return new Blob(toTensor(fitted, w, h), placement);
  }

  private byte[] padBytes() {
    byte[] fill = new byte[3];
    double[] pad = spec.pad();
    for (int c = 0; c < 3; c++) {
      int imageChannel = spec.rgb() ? 2 - c : c;
      fill[imageChannel] = (byte) Math.max(0, Math.min(255, (int) Math.round(pad[c])));
    }
    return fill;
  }

  private Tensor toTensor(byte[] bgr, int w, int h) {
    int plane = w * h;
    float[] out = new float[plane * 3];
    float scale = (float) spec.scale();
    boolean nchw = spec.layout() != Layout.NHWC;
    for (int c = 0; c < 3; c++) {
      int src = spec.rgb() ? 2 - c : c;
      float mean = (float) spec.mean()[c];
      float std = (float) spec.std()[c];
      boolean divide = std != 1f;
      for (int p = 0; p < plane; p++) {
        float v = ((bgr[3 * p + src] & 0xFF) - mean) * scale;
        if (divide) {
          v /= std;
        }
        out[nchw ? c * plane + p : 3 * p + c] = v;
      }
    }
    return nchw ? Tensor.of(out, 1, 3, h, w) : Tensor.of(out, 1, h, w, 3);
  }
}
