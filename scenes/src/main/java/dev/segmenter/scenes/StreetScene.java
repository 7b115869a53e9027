package dev.segmenter.scenes;

import static dev.segmenter.scenes.CityscapesIds.*;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Procedural dash-cam street scenes with exact Cityscapes train-id labels.
 *
 * <p>A pinhole camera looks down a straight street; everything is placed in metres and projected,
 * so objects shrink towards the vanishing point and the layout scales with the image size. Each
 * shape is filled into the picture (antialiased) and into the label raster (aliased) with its
 * class id; details that keep their parent's class (windows, markings, lamps) go into the picture
 * only. Lighting, noise and blur touch the picture only. The output is a pure function of
 * {@code (seed, width, height)}.
 */
public final class StreetScene {
  /** Smallest and largest accepted side, in pixels. */
  public static final int MIN_SIZE = 16, MAX_SIZE = 8192;

  private static final double Z_NEAR = 1.0, Z_FAR = 3000;

  private final SplittableRandom rnd;
  private final long seed;
  private final int w, h;
  private final BufferedImage img, lab;
  private final Graphics2D gi, gl;
  private final Color[] ids = new Color[256];
  // camera: horizon row, vanishing column, focal length (px), camera height (m)
  private final double horizon, vx, f, camH;
  /** Pixels per "pixel at 512 wide": minimum sizes are given for 512x256 and scale with it. */
  private final double unit;
  // street geometry (m): road edges, sidewalk outer edges, lane count
  private double roadL, roadR, offL, offR, zEnd;
  private int lanes;

  private StreetScene(long seed, int w, int h) {
    this.seed = seed;
    this.rnd = new SplittableRandom(seed);
    this.w = w;
    this.h = h;
    img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    lab = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    gi = img.createGraphics();
    gl = lab.createGraphics();
    configure(gi, gl);
    for (int i = 0; i < 256; i++) {
      ids[i] = new Color(i, i, i);
    }
    unit = w / 512.0;
    horizon = h * u(0.36, 0.48);
    vx = w * u(0.42, 0.58);
    f = w * u(0.72, 0.95);
    camH = u(1.3, 1.7);
  }

  /**
   * Sets the picture to antialiased and the labels to aliased drawing, both with pure stroke
   * control. Java2D's default (normalize) snaps coordinates differently with and without
   * antialiasing, which moved label edges up to half a pixel against the picture's: a 64x64 test
   * of random shapes found 38% of the picture's partly covered pixels labelled against their
   * coverage, 1.6% with pure control (what remains is the pixel-centre rule on curves).
   */
  static void configure(Graphics2D picture, Graphics2D labels) {
    picture.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    picture.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    picture.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    labels.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    labels.setRenderingHint(RenderingHints.KEY_DITHERING, RenderingHints.VALUE_DITHER_DISABLE);
    labels.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
  }

  /**
   * Generates the scene for {@code seed} at {@code width x height}.
   *
   * @throws IllegalArgumentException if a side is below 16 or above 8192 pixels
   */
  public static Scene generate(long seed, int width, int height) {
    if (width < MIN_SIZE || height < MIN_SIZE || width > MAX_SIZE || height > MAX_SIZE) {
      throw new IllegalArgumentException(
          "scene size " + width + "x" + height + " is out of range; accepted: " + MIN_SIZE + "x"
              + MIN_SIZE + " to " + MAX_SIZE + "x" + MAX_SIZE);
    }
    return new StreetScene(seed, width, height).render();
  }

  private Scene render() {
    gl.setColor(ids[VOID]);
    gl.fillRect(0, 0, w, h);
    roadL = u(3.5, 9);
    roadR = u(3.5, 9);
    offL = roadL + u(2, 5);
    offR = roadR + u(2, 5);
    lanes = Math.max(1, (int) Math.round((roadL + roadR) / u(3.0, 3.8)));
    zEnd = u(180, 500);

    sky();
    ground();
    farEnd();
    side(-1);
    side(+1);
    street();
    gi.dispose();
    gl.dispose();

    finish();
    byte[] labels = ((DataBufferByte) lab.getRaster().getDataBuffer()).getData();
    return new Scene(img, labels, seed);
  }

  // ---------------------------------------------------------------- random and colour helpers

  private double u(double a, double b) {
    return a + (b - a) * rnd.nextDouble();
  }

  private int ri(int a, int bInclusive) {
    return rnd.nextInt(a, bInclusive + 1);
  }

  private boolean chance(double p) {
    return rnd.nextDouble() < p;
  }

  private Color jitter(Color c, int amount) {
    int d = ri(-amount, amount);
    return rgb(
        c.getRed() + d + ri(-amount / 3, amount / 3),
        c.getGreen() + d + ri(-amount / 3, amount / 3),
        c.getBlue() + d + ri(-amount / 3, amount / 3));
  }

  private static Color rgb(int r, int g, int b) {
    return new Color(clamp(r), clamp(g), clamp(b));
  }

  private static Color shade(Color c, double k) {
    return rgb((int) (c.getRed() * k), (int) (c.getGreen() * k), (int) (c.getBlue() * k));
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : Math.min(255, v);
  }

  private Color pick(int[][] palette, int amount) {
    int[] p = palette[rnd.nextInt(palette.length)];
    return jitter(new Color(p[0], p[1], p[2]), amount);
  }

  // ---------------------------------------------------------------- projection and drawing

  private double px(double x, double z) {
    return vx + f * x / z;
  }

  private double py(double y, double z) {
    return horizon + f * (camH - y) / z;
  }

  /** Pixels per metre at depth z. */
  private double scale(double z) {
    return f / z;
  }

  /** Polygon through 3-D points given as (x, y, z) triples. */
  private Path2D poly(double... xyz) {
    Path2D.Double p = new Path2D.Double();
    for (int i = 0; i < xyz.length; i += 3) {
      double sx = px(xyz[i], xyz[i + 2]), sy = py(xyz[i + 1], xyz[i + 2]);
      if (i == 0) {
        p.moveTo(sx, sy);
      } else {
        p.lineTo(sx, sy);
      }
    }
    p.closePath();
    return p;
  }

  /** Fills into the picture, and into the labels unless id is negative. */
  private void fill(Shape s, Color c, int id) {
    gi.setColor(c);
    gi.fill(s);
    if (id >= 0) {
      gl.setColor(ids[id]);
      gl.fill(s);
    }
  }

  /** Picture only: a detail that keeps the class of what it is drawn on. */
  private void paint(Shape s, Color c) {
    gi.setColor(c);
    gi.fill(s);
  }

  private void stroke(Shape s, float width, Color c, int id) {
    Stroke st = new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    gi.setStroke(st);
    gi.setColor(c);
    gi.draw(s);
    if (id >= 0) {
      gl.setStroke(st);
      gl.setColor(ids[id]);
      gl.draw(s);
    }
  }

  /**
   * An axis-aligned box x0..x1, y0..y1 (height), z0..z1 (depth); draws the faces the camera sees
   * (side facing the centre line, top when below the camera, back). Returns nothing: details go
   * on top via {@link #poly}.
   */
  private void box(
      double x0, double x1, double y0, double y1, double z0, double z1, Color c, int id) {
    z0 = Math.max(z0, 0.2);
    if (x0 > 0) {
      fill(poly(x0, y0, z0, x0, y1, z0, x0, y1, z1, x0, y0, z1), shade(c, 0.78), id);
    } else if (x1 < 0) {
      fill(poly(x1, y0, z0, x1, y1, z0, x1, y1, z1, x1, y0, z1), shade(c, 0.78), id);
    }
    if (y1 < camH) {
      fill(poly(x0, y1, z0, x1, y1, z0, x1, y1, z1, x0, y1, z1), shade(c, 1.12), id);
    } else if (y0 > camH) {
      fill(poly(x0, y0, z0, x1, y0, z0, x1, y0, z1, x0, y0, z1), shade(c, 0.6), id);
    }
    fill(poly(x0, y0, z0, x1, y0, z0, x1, y1, z0, x0, y1, z0), c, id);
  }

  // ---------------------------------------------------------------- sky, ground, road

  private static final int[][] SKY_TOP = {
    {70, 130, 215}, {110, 160, 225}, {150, 165, 185}, {185, 190, 200}, {90, 120, 170}
  };

  private void sky() {
    Color top = pick(SKY_TOP, 18);
    Color low = jitter(rgb(top.getRed() + 60, top.getGreen() + 50, top.getBlue() + 25), 10);
    int hz = (int) Math.ceil(horizon);
    Rectangle2D r = new Rectangle2D.Double(0, 0, w, hz + 1);
    gi.setPaint(new GradientPaint(0, 0, top, 0, hz, low));
    gi.fill(r);
    gl.setColor(ids[SKY]);
    gl.fill(r);
    int clouds = ri(0, 6);
    for (int i = 0; i < clouds; i++) {
      double cx = u(0, w),
          cy = u(0, horizon * 0.7),
          cw = u(0.05, 0.25) * w,
          ch = cw * u(0.15, 0.35);
      Color cc = new Color(235, 238, 242, ri(60, 170));
      for (int k = 0; k < 4; k++) {
        paint(
            new Ellipse2D.Double(
                cx + u(-0.3, 0.3) * cw, cy + u(-0.3, 0.3) * ch, cw * u(0.5, 1), ch * u(0.6, 1.2)),
            cc);
      }
    }
  }

  private static final int[][] GRASS = {{80, 120, 50}, {95, 130, 60}, {110, 125, 70}, {70, 100, 45}
  };
  private static final int[][] DIRT = {{135, 115, 85}, {120, 100, 75}, {150, 130, 100}};
  private static final int[][] ASPHALT = {
    {85, 85, 90}, {100, 100, 102}, {70, 72, 78}, {115, 112, 110}
  };
  private static final int[][] PAVING = {
    {160, 155, 150}, {175, 170, 160}, {140, 135, 130}, {165, 140, 130}, {185, 180, 170}
  };

  private void ground() {
    int hz = (int) Math.floor(horizon);
    Color grass = pick(GRASS, 12);
    Rectangle2D r = new Rectangle2D.Double(0, hz, w, h - hz);
    fill(r, grass, TERRAIN);
    int patches = ri(2, 8);
    for (int i = 0; i < patches; i++) {
      double side = chance(0.5) ? -1 : 1;
      double x = side * u(4, 40), z = u(5, 200), rx = u(2, 12), rz = u(3, 30);
      Color c = chance(0.5) ? pick(DIRT, 12) : pick(GRASS, 15);
      fill(
          poly(x - rx, 0, z, x + rx, 0, z, x + rx * 0.8, 0, z + rz, x - rx * 0.8, 0, z + rz),
          c,
          TERRAIN);
    }

    // road
    Color asphalt = pick(ASPHALT, 10);
    fill(
        poly(-roadL, 0, Z_NEAR, roadR, 0, Z_NEAR, roadR, 0, Z_FAR, -roadL, 0, Z_FAR),
        asphalt,
        ROAD);
    int repairs = ri(0, 4);
    for (int i = 0; i < repairs; i++) {
      double x = u(-roadL, roadR - 1), z = u(4, 60), lw = u(0.5, 3), ll = u(1, 8);
      paint(
          poly(x, 0, z, x + lw, 0, z, x + lw, 0, z + ll, x, 0, z + ll),
          jitter(shade(asphalt, u(0.8, 1.15)), 4));
    }
    markings();

    // sidewalks with curbs
    Color paving = pick(PAVING, 12);
    Color pavingR = chance(0.7) ? paving : pick(PAVING, 12);
    sidewalk(-offL, -roadL, paving);
    sidewalk(roadR, offR, pavingR);
    Color verge = pick(GRASS, 12);
    if (chance(0.4)) {
      double vw = u(0.8, 2.2);
      fill(
          poly(
              -roadL - 0.25 - vw,
              0,
              Z_NEAR,
              -roadL - 0.25,
              0,
              Z_NEAR,
              -roadL - 0.25,
              0,
              Z_FAR,
              -roadL - 0.25 - vw,
              0,
              Z_FAR),
          verge,
          TERRAIN);
    }
    if (chance(0.4)) {
      double vw = u(0.8, 2.2);
      fill(
          poly(
              roadR + 0.25,
              0,
              Z_NEAR,
              roadR + 0.25 + vw,
              0,
              Z_NEAR,
              roadR + 0.25 + vw,
              0,
              Z_FAR,
              roadR + 0.25,
              0,
              Z_FAR),
          verge,
          TERRAIN);
    }
  }

  private void sidewalk(double x0, double x1, Color c) {
    fill(poly(x0, 0, Z_NEAR, x1, 0, Z_NEAR, x1, 0, Z_FAR, x0, 0, Z_FAR), c, SIDEWALK);
    // tile joints across the walk
    Color joint = shade(c, 0.85);
    double step = u(1.5, 3);
    for (double z = 2; z < 80; z += step) {
      paint(poly(x0, 0, z, x1, 0, z, x1, 0, z + 0.06, x0, 0, z + 0.06), joint);
    }
    // curb: a lighter strip at the road edge, still sidewalk
    double cx = x0 < 0 ? x1 - 0.25 : x0, cw = 0.25;
    fill(
        poly(cx, 0, Z_NEAR, cx + cw, 0, Z_NEAR, cx + cw, 0, Z_FAR, cx, 0, Z_FAR),
        shade(c, 1.12),
        SIDEWALK);
  }

  private void markings() {
    Color white = rgb(ri(200, 240), ri(200, 240), ri(195, 235));
    double lw = (roadL + roadR) / lanes;
    double dash = u(2, 4), gap = u(4, 9), mw = u(0.1, 0.18);
    for (int k = 1; k < lanes; k++) {
      double xb = -roadL + k * lw;
      for (double z = u(1, 1 + dash + gap); z < 250; z += dash + gap) {
        paint(
            poly(xb - mw, 0, z, xb + mw, 0, z, xb + mw, 0, z + dash, xb - mw, 0, z + dash), white);
      }
    }
    if (chance(0.7)) { // solid edge lines
      for (double xb : new double[] {-roadL + 0.35, roadR - 0.35}) {
        paint(
            poly(xb - mw, 0, Z_NEAR, xb + mw, 0, Z_NEAR, xb + mw, 0, 400, xb - mw, 0, 400), white);
      }
    }
    if (chance(0.35)) { // zebra crossing
      double z0 = u(8, 25), depth = u(3, 5), sw = 0.5;
      for (double x = -roadL + 0.4; x < roadR - 0.4; x += 2 * sw) {
        paint(poly(x, 0, z0, x + sw, 0, z0, x + sw, 0, z0 + depth, x, 0, z0 + depth), white);
      }
    }
  }

  // ---------------------------------------------------------------- buildings and the far end

  private static final int[][] FACADE = {
    {190, 175, 150},
    {160, 150, 140},
    {150, 90, 70},
    {200, 195, 185},
    {120, 110, 100},
    {175, 160, 120},
    {140, 140, 145},
    {210, 200, 170},
    {110, 80, 65},
    {170, 180, 190}
  };
  private static final int[][] GLASS = {
    {50, 60, 75}, {70, 85, 100}, {35, 40, 50}, {90, 110, 130}, {60, 55, 50}
  };
  private static final int[][] LEAF = {
    {50, 95, 40}, {65, 110, 45}, {40, 80, 35}, {80, 120, 50}, {55, 90, 55}
  };

  private void farEnd() {
    double choice = rnd.nextDouble();
    double z = zEnd + u(10, 80);
    if (choice < 0.55) {
      for (double x = -80; x < 80; ) {
        double bw = u(8, 30), bh = u(8, 45);
        box(x, x + bw, 0, bh, z + u(0, 60), z + 80, pick(FACADE, 20), BUILDING);
        x += bw;
      }
    } else if (choice < 0.85) {
      for (double x = -120; x < 120; x += u(3, 9)) {
        canopy(x, u(5, 14), z + u(0, 40), u(3, 7), pick(LEAF, 12));
      }
    }
  }

  /** The row of buildings and gaps on one side (side = -1 left, +1 right), far to near. */
  private void side(int side) {
    double off = side < 0 ? offL : offR;
    List<Runnable> parts = new ArrayList<>();
    double z = u(1, 10);
    Color fence =
        pick(new int[][] {{90, 95, 90}, {120, 110, 90}, {60, 70, 65}, {150, 150, 150}}, 15);
    while (z < zEnd) {
      if (chance(0.62)) {
        double len = u(10, 45), hb = u(5, 26), depth = u(10, 25);
        double setback = chance(0.3) ? u(1.5, 6) : 0;
        final double z0 = z;
        Color c = pick(FACADE, 18);
        Color glass = pick(GLASS, 10);
        double floorH = u(2.8, 3.6), colW = u(2.2, 4), winW = colW * u(0.35, 0.65);
        boolean shop = chance(0.4);
        parts.add(() ->
            building(side, off + setback, z0, len, hb, depth, c, glass, floorH, colW, winW, shop));
        z += len + (chance(0.25) ? u(0.5, 4) : 0);
      } else {
        double len = u(6, 25);
        final double z0 = z;
        double r = rnd.nextDouble();
        int trees = ri(0, 4);
        double[] tx = new double[trees],
            tz = new double[trees],
            th = new double[trees],
            tr = new double[trees];
        Color[] tc = new Color[trees];
        for (int i = 0; i < trees; i++) {
          tx[i] = side * (off + u(2, 12));
          tz[i] = z0 + u(0, len);
          th[i] = u(3, 8);
          tr[i] = u(1.5, 4);
          tc[i] = pick(LEAF, 12);
        }
        double wallH = u(0.8, 2.5);
        Color wallC = pick(
            new int[][] {{160, 155, 145}, {130, 125, 120}, {180, 170, 150}, {140, 100, 80}}, 15);
        parts.add(() -> {
          for (int i = trees - 1; i >= 0; i--) {
            tree(tx[i], tz[i], th[i], tr[i], tc[i]);
          }
          double x = side * off;
          if (r < 0.35) { // hedge
            box(
                Math.min(x, x + side * 1.2),
                Math.max(x, x + side * 1.2),
                0,
                wallH * 0.8,
                z0,
                z0 + len,
                pick(LEAF, 10),
                VEGETATION);
          } else if (r < 0.6) {
            box(
                Math.min(x, x + side * 0.3),
                Math.max(x, x + side * 0.3),
                0,
                wallH,
                z0,
                z0 + len,
                wallC,
                WALL);
          } else if (r < 0.85) {
            fence(x, z0, z0 + len, wallH * 0.9 + 0.4, fence);
          }
        });
        z += len;
      }
    }
    for (int i = parts.size() - 1; i >= 0; i--) {
      parts.get(i).run();
    }
  }

  private void building(
      int side,
      double off,
      double z0,
      double len,
      double hb,
      double depth,
      Color c,
      Color glass,
      double floorH,
      double colW,
      double winW,
      boolean shop) {
    double xa = side < 0 ? -off - depth : off, xb = side < 0 ? -off : off + depth;
    double x = side * off;
    box(xa, xb, 0, hb, z0, z0 + len, c, BUILDING);
    Color face = shade(c, 0.78);
    // floor bands and windows on the facade facing the street
    double s = scale(Math.max(z0, 1));
    if (colW * s * 0.3 < 0.7) {
      return; // windows would be sub-pixel
    }
    for (double fy = shop ? floorH * 1.2 : 0.3; fy + floorH * 0.8 < hb; fy += floorH) {
      double wy0 = fy + floorH * 0.3, wy1 = fy + floorH * 0.8;
      for (double wz = z0 + (colW - winW) / 2; wz + winW < z0 + len; wz += colW) {
        if (wz < 0.5) {
          continue;
        }
        paint(poly(x, wy0, wz, x, wy1, wz, x, wy1, wz + winW, x, wy0, wz + winW), jitter(glass, 8));
      }
    }
    if (shop) {
      paint(
          poly(
              x,
              0.2,
              Math.max(z0, 0.5) + 0.5,
              x,
              floorH,
              Math.max(z0, 0.5) + 0.5,
              x,
              floorH,
              z0 + len - 0.5,
              x,
              0.2,
              z0 + len - 0.5),
          jitter(glass, 12));
      paint(
          poly(x, floorH, z0, x, floorH + 0.5, z0, x, floorH + 0.5, z0 + len, x, floorH, z0 + len),
          shade(face, 0.8));
    }
    // windows on the front face (towards the camera)
    if (z0 > 2) {
      for (double fy = 0.3; fy + floorH * 0.8 < hb; fy += floorH) {
        for (double wx = xa + (colW - winW) / 2; wx + winW < xb; wx += colW) {
          paint(
              poly(
                  wx,
                  fy + floorH * 0.3,
                  z0,
                  wx + winW,
                  fy + floorH * 0.3,
                  z0,
                  wx + winW,
                  fy + floorH * 0.8,
                  z0,
                  wx,
                  fy + floorH * 0.8,
                  z0),
              jitter(glass, 8));
        }
      }
    }
  }

  private void fence(double x, double z0, double z1, double fh, Color c) {
    z0 = Math.max(z0, 0.5);
    Path2D panel = poly(x, 0, z0, x, fh, z0, x, fh, z1, x, 0, z1);
    gi.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 110));
    gi.fill(panel);
    gl.setColor(ids[FENCE]);
    gl.fill(panel);
    float lw = (float) Math.max(1, 0.05 * scale(z0));
    for (double y : new double[] {0.1, fh * 0.5, fh}) {
      stroke(new Line2D.Double(px(x, z0), py(y, z0), px(x, z1), py(y, z1)), lw, c, -1);
    }
    for (double z = z0; z < z1; z += 0.4) {
      stroke(
          new Line2D.Double(px(x, z), py(0, z), px(x, z), py(fh, z)),
          (float) Math.max(0.6, 0.04 * scale(z)),
          c,
          -1);
    }
  }

  /** A cluster of leafy ellipses centred at (x, y, z) with radius r metres. */
  private void canopy(double x, double y, double z, double r, Color c) {
    double s = scale(z), cx = px(x, z), cy = py(y, z), rp = Math.max(r * s, 2 * unit);
    int blobs = ri(5, 9);
    for (int i = 0; i < blobs; i++) {
      double bx = cx + u(-0.6, 0.6) * rp, by = cy + u(-0.5, 0.5) * rp, br = rp * u(0.45, 0.75);
      fill(
          new Ellipse2D.Double(bx - br, by - br, 2 * br, 2 * br * u(0.8, 1.1)),
          jitter(c, 12),
          VEGETATION);
    }
    for (int i = 0; i < blobs * 2; i++) { // leaf texture
      double bx = cx + u(-0.8, 0.8) * rp, by = cy + u(-0.6, 0.6) * rp, br = rp * u(0.06, 0.15);
      if (Math.hypot(bx - cx, by - cy) < rp * 0.7) {
        paint(new Ellipse2D.Double(bx - br, by - br, 2 * br, 2 * br), shade(c, u(0.7, 1.25)));
      }
    }
  }

  private void tree(double x, double z, double trunkH, double r, Color leaf) {
    double s = scale(z);
    double tw = Math.max(0.3 * s, 2 * unit);
    double x0 = px(x, z), yb = py(0, z), yt = py(trunkH + r * 0.3, z);
    fill(
        new Rectangle2D.Double(x0 - tw / 2, yt, tw, yb - yt),
        jitter(new Color(90, 70, 50), 15),
        VEGETATION);
    canopy(x, trunkH + r * 0.6, z, r, leaf);
  }

  // ---------------------------------------------------------------- street objects

  private record Item(double z, Runnable draw) {}

  private void street() {
    List<Item> items = new ArrayList<>();
    double lw = (roadL + roadR) / lanes;
    // vehicles
    int vehicles = ri(1, 6);
    for (int i = 0; i < vehicles; i++) {
      int lane = rnd.nextInt(lanes + 2) - 1; // -1 and lanes: parked at the curb
      double cx = lane < 0
          ? -roadL + 1.2
          : lane >= lanes ? roadR - 1.2 : -roadL + (lane + 0.5) * lw + u(-0.3, 0.3);
      boolean ownLane = Math.abs(cx) < lw / 2 + 1;
      double z = u(ownLane ? 9 : 6, 70);
      double kind = rnd.nextDouble();
      if (kind < 0.7 || lane < 0 || lane >= lanes) {
        Color c = pick(CAR_COLORS, 15);
        double cw = u(1.65, 1.9), cl = u(3.8, 4.8), ch = u(1.35, 1.6);
        items.add(new Item(z, () -> car(cx, z, cw, cl, ch, c)));
      } else if (kind < 0.85) {
        Color c = pick(TRUCK_COLORS, 15), cab = pick(CAR_COLORS, 15);
        double tl = u(6, 10), th = u(3, 3.8);
        items.add(new Item(z, () -> truck(cx, z, tl, th, c, cab)));
      } else {
        Color c = pick(BUS_COLORS, 12);
        items.add(new Item(z, () -> bus(cx, z, u(10, 13), c)));
      }
    }
    // poles with signs, lights and lamps; the first two are a sign and a light
    int poleNo = 0;
    for (int side : new int[] {-1, 1}) {
      double curb = side < 0 ? -roadL - 0.45 : roadR + 0.45;
      for (double z = poleNo < 2 ? u(9, 20) : u(5, 14); z < 70; z += u(10, 28)) {
        int kind = poleNo == 0 ? 0 : poleNo == 1 ? 1 : ri(0, 2);
        poleNo++;
        final double zz = z;
        final int k = kind;
        long sub = rnd.nextLong();
        items.add(new Item(z, () -> pole(curb, zz, side, k, new SplittableRandom(sub))));
      }
    }
    // trees along the sidewalks
    for (int side : new int[] {-1, 1}) {
      if (chance(0.55)) {
        double x = side < 0 ? -offL + 0.9 : offR - 0.9;
        for (double z = u(4, 15); z < 150; z += u(8, 20)) {
          double zz = z, th = u(2.5, 4.5), r = u(1.5, 3);
          Color c = pick(LEAF, 12);
          items.add(new Item(z, () -> tree(x, zz, th, r, c)));
        }
      }
    }
    // people on the sidewalks, a few crossing
    double zMaxPerson = f * 1.7 / (12 * unit);
    int people = ri(2, 9);
    for (int i = 0; i < people; i++) {
      boolean left = chance(0.5);
      boolean crossing = chance(0.12);
      double x = crossing
          ? u(-roadL + 0.5, roadR - 0.5)
          : left ? u(-offL + 0.4, -roadL - 0.4) : u(roadR + 0.4, offR - 0.4);
      double z = u(crossing ? 8 : 3.5, Math.min(60, zMaxPerson));
      double ph = u(1.5, 1.9);
      Color[] cl = clothes();
      items.add(new Item(z, () -> person(px(x, z), py(0, z), ph * scale(z), cl, PERSON)));
    }
    // bicycles: parked, or ridden along the road edge
    double zMaxBike = f * 1.75 / (14 * unit);
    int bikes = ri(0, 3);
    for (int i = 0; i < bikes; i++) {
      boolean ridden = chance(0.5);
      boolean left = chance(0.5);
      double x = ridden
          ? (left ? -roadL + u(0.6, 1.5) : roadR - u(0.6, 1.5))
          : left ? u(-offL + 0.5, -roadL - 0.6) : u(roadR + 0.6, offR - 0.5);
      double z = u(4, Math.min(50, zMaxBike));
      Color frame = pick(BIKE_COLORS, 20);
      Color[] cl = clothes();
      boolean facingRight = chance(0.5);
      boolean moto = chance(0.2);
      items.add(new Item(
          z, () -> cycle(x, z, frame, ridden || moto && chance(0.5), cl, facingRight, moto)));
    }
    items.sort(Comparator.comparingDouble(Item::z).reversed());
    for (Item it : items) {
      it.draw().run();
    }
  }

  private static final int[][] CAR_COLORS = {
    {30, 30, 35},
    {200, 200, 205},
    {140, 140, 145},
    {160, 30, 30},
    {30, 50, 120},
    {235, 235, 235},
    {80, 90, 100},
    {20, 80, 60},
    {180, 150, 110},
    {90, 20, 25}
  };
  private static final int[][] TRUCK_COLORS = {
    {220, 220, 215}, {200, 200, 190}, {60, 90, 140}, {170, 40, 30}, {230, 200, 60}, {120, 120, 115}
  };
  private static final int[][] BUS_COLORS = {
    {200, 40, 35}, {230, 190, 40}, {40, 90, 160}, {225, 225, 220}, {50, 130, 70}
  };
  private static final int[][] BIKE_COLORS = {
    {20, 20, 20}, {180, 30, 30}, {30, 60, 170}, {200, 200, 200}, {30, 140, 60}, {220, 150, 30}
  };
  private static final int[][] SHIRTS = {
    {30, 30, 35},
    {200, 200, 200},
    {150, 30, 35},
    {40, 60, 130},
    {90, 110, 70},
    {180, 140, 60},
    {120, 70, 130},
    {70, 70, 75}
  };
  private static final int[][] PANTS = {
    {30, 35, 55}, {40, 40, 45}, {90, 80, 70}, {60, 75, 110}, {150, 140, 120}
  };
  private static final int[][] SKIN = {{225, 185, 160}, {190, 140, 110}, {140, 95, 70}, {95, 65, 45}
  };

  private Color[] clothes() {
    return new Color[] {
      pick(SHIRTS, 20),
      pick(PANTS, 15),
      pick(SKIN, 10),
      pick(new int[][] {{40, 30, 20}, {90, 60, 30}, {20, 20, 20}, {160, 140, 100}}, 10)
    };
  }

  private void car(double cx, double z0, double cw, double cl, double ch, Color c) {
    double x0 = cx - cw / 2, x1 = cx + cw / 2, z1 = z0 + cl;
    paint(
        poly(x0 - 0.15, 0, z0 - 0.2, x1 + 0.15, 0, z0 - 0.2, x1 + 0.15, 0, z1, x0 - 0.15, 0, z1),
        new Color(0, 0, 0, 90));
    box(x0 + 0.05, x0 + 0.3, 0, 0.6, z0 + 0.35, z1 - 0.35, new Color(25, 25, 28), CAR);
    box(x1 - 0.3, x1 - 0.05, 0, 0.6, z0 + 0.35, z1 - 0.35, new Color(25, 25, 28), CAR);
    box(x0, x1, 0.28, 0.95, z0, z1, c, CAR);
    double cz0 = z0 + cl * u(0.12, 0.25), cz1 = z1 - cl * u(0.2, 0.3);
    Color glass = jitter(new Color(45, 55, 65), 10);
    box(x0 + 0.1, x1 - 0.1, 0.95, ch, cz0, cz1, glass, CAR);
    // roof in body colour, pillars
    if (ch < camH) {
      fill(
          poly(
              x0 + 0.12, ch, cz0 + 0.1, x1 - 0.12, ch, cz0 + 0.1, x1 - 0.12, ch, cz1, x0 + 0.12, ch,
              cz1),
          shade(c, 1.08),
          CAR);
    }
    fill(
        poly(
            x0 + 0.1, ch - 0.06, cz0, x1 - 0.1, ch - 0.06, cz0, x1 - 0.1, ch, cz0, x0 + 0.1, ch,
            cz0),
        c,
        CAR);
    // tail lights and plate
    Color red = rgb(ri(170, 230), 20, 25);
    paint(
        poly(x0 + 0.05, 0.7, z0, x0 + 0.35, 0.7, z0, x0 + 0.35, 0.85, z0, x0 + 0.05, 0.85, z0),
        red);
    paint(
        poly(x1 - 0.35, 0.7, z0, x1 - 0.05, 0.7, z0, x1 - 0.05, 0.85, z0, x1 - 0.35, 0.85, z0),
        red);
    paint(
        poly(cx - 0.25, 0.4, z0, cx + 0.25, 0.4, z0, cx + 0.25, 0.52, z0, cx - 0.25, 0.52, z0),
        new Color(225, 225, 215));
    paint(poly(x0, 0.28, z0, x1, 0.28, z0, x1, 0.4, z0, x0, 0.4, z0), new Color(35, 35, 38));
  }

  private void truck(double cx, double z0, double tl, double th, Color c, Color cab) {
    double tw = 2.45, x0 = cx - tw / 2, x1 = cx + tw / 2, z1 = z0 + tl;
    paint(
        poly(x0 - 0.2, 0, z0 - 0.2, x1 + 0.2, 0, z0 - 0.2, x1 + 0.2, 0, z1, x0 - 0.2, 0, z1),
        new Color(0, 0, 0, 90));
    box(x0 + 0.1, x0 + 0.45, 0, 1.0, z0 + 0.5, z1 - 0.5, new Color(25, 25, 28), TRUCK);
    box(x1 - 0.45, x1 - 0.1, 0, 1.0, z0 + 0.5, z1 - 0.5, new Color(25, 25, 28), TRUCK);
    box(x0 + 0.1, x1 - 0.1, 0.7, 2.9, z1 - 2.2, z1, cab, TRUCK);
    box(x0 + 0.3, x1 - 0.3, 0.5, 1.1, z0, z1, new Color(40, 40, 42), TRUCK);
    box(x0, x1, 1.1, th, z0, z1 - 2.4, c, TRUCK);
    // rear doors
    paint(
        poly(
            cx - 0.02, 1.2, z0, cx + 0.02, 1.2, z0, cx + 0.02, th - 0.1, z0, cx - 0.02, th - 0.1,
            z0),
        shade(c, 0.6));
    Color red = rgb(ri(170, 230), 20, 25);
    paint(poly(x0 + 0.1, 0.8, z0, x0 + 0.4, 0.8, z0, x0 + 0.4, 1.0, z0, x0 + 0.1, 1.0, z0), red);
    paint(poly(x1 - 0.4, 0.8, z0, x1 - 0.1, 0.8, z0, x1 - 0.1, 1.0, z0, x1 - 0.4, 1.0, z0), red);
  }

  private void bus(double cx, double z0, double bl, Color c) {
    double bw = 2.55, bh = u(3.0, 3.3), x0 = cx - bw / 2, x1 = cx + bw / 2, z1 = z0 + bl;
    paint(
        poly(x0 - 0.2, 0, z0 - 0.2, x1 + 0.2, 0, z0 - 0.2, x1 + 0.2, 0, z1, x0 - 0.2, 0, z1),
        new Color(0, 0, 0, 90));
    box(x0 + 0.1, x0 + 0.45, 0, 1.0, z0 + 1, z1 - 1, new Color(25, 25, 28), BUS);
    box(x1 - 0.45, x1 - 0.1, 0, 1.0, z0 + 1, z1 - 1, new Color(25, 25, 28), BUS);
    box(x0, x1, 0.35, bh, z0, z1, c, BUS);
    Color glass = jitter(new Color(40, 50, 60), 10);
    double xs = cx > 0 ? x0 : x1;
    // side window band and rear window
    for (double z = z0 + 0.6; z + 1.2 < z1 - 0.4; z += 1.5) {
      paint(poly(xs, 1.3, z, xs, 2.5, z, xs, 2.5, z + 1.3, xs, 1.3, z + 1.3), glass);
    }
    paint(
        poly(
            x0 + 0.25, 1.6, z0, x1 - 0.25, 1.6, z0, x1 - 0.25, bh - 0.3, z0, x0 + 0.25, bh - 0.3,
            z0),
        glass);
    Color red = rgb(ri(170, 230), 20, 25);
    paint(poly(x0 + 0.1, 0.6, z0, x0 + 0.35, 0.6, z0, x0 + 0.35, 1.0, z0, x0 + 0.1, 1.0, z0), red);
    paint(poly(x1 - 0.35, 0.6, z0, x1 - 0.1, 0.6, z0, x1 - 0.1, 1.0, z0, x1 - 0.35, 1.0, z0), red);
  }

  /** kind 0 sign, 1 traffic light, 2 street lamp. */
  private void pole(double x, double z, int side, int kind, SplittableRandom r) {
    double s = scale(z);
    double ph = kind == 0
        ? 2.6 + r.nextDouble() * 1.2
        : kind == 1 ? 3.2 + r.nextDouble() * 1.5 : 6.5 + r.nextDouble() * 2.5;
    double pw = Math.max(3 * unit, 0.14 * s);
    double cx = px(x, z), yb = py(0, z), yt = py(ph, z);
    Color metal = rgb(95 + r.nextInt(70), 95 + r.nextInt(70), 100 + r.nextInt(70));
    fill(new Rectangle2D.Double(cx - pw / 2, yt, pw, yb - yt), metal, POLE);
    paint(new Rectangle2D.Double(cx - pw / 2, yt, pw * 0.35, yb - yt), shade(metal, 1.2));
    if (kind == 0) {
      double sz = Math.max(7 * unit, (0.55 + r.nextDouble() * 0.3) * s);
      double sy = yt - sz * 0.2;
      sign(cx, sy, sz, r);
      if (r.nextDouble() < 0.35) {
        sign(cx, sy + sz * 1.15, sz * 0.9, r);
      }
    } else if (kind == 1) {
      light(cx, yt + Math.max(6 * unit, 0.3 * s), s, r);
      if (r.nextDouble() < 0.5) { // overhead arm with a second light over the road
        double reach = 2.5 + r.nextDouble() * 3;
        double ay = py(ph - 0.3, z), ax = px(x - side * reach, z);
        double aw = Math.max(2.5 * unit, 0.1 * s);
        fill(
            new Rectangle2D.Double(Math.min(cx, ax), ay - aw / 2, Math.abs(ax - cx), aw),
            metal,
            POLE);
        light(ax, ay + aw / 2 + Math.max(6 * unit, 0.45 * s), s, r);
      }
    } else {
      double reach = 1.2 + r.nextDouble() * 1.5;
      double ax = px(x - side * reach, z), ay = yt;
      double aw = Math.max(2.5 * unit, 0.1 * s);
      fill(
          new Rectangle2D.Double(Math.min(cx, ax) - pw / 2, ay, Math.abs(ax - cx) + pw, aw),
          metal,
          POLE);
      double lw = Math.max(5 * unit, 0.5 * s), lh = Math.max(2.5 * unit, 0.18 * s);
      fill(new Rectangle2D.Double(ax - lw / 2, ay, lw, lh), shade(metal, 0.7), POLE);
      paint(
          new Rectangle2D.Double(ax - lw * 0.35, ay + lh * 0.6, lw * 0.7, lh * 0.4),
          new Color(240, 235, 200));
    }
  }

  /** A sign centred at (cx, cy) of size sz px. */
  private void sign(double cx, double cy, double sz, SplittableRandom r) {
    int shape = r.nextInt(5);
    double x0 = cx - sz / 2, y0 = cy - sz / 2;
    Color red = rgb(190 + r.nextInt(40), 25, 30),
        white = rgb(230, 230, 225),
        blue = rgb(30, 70, 170 + r.nextInt(40));
    switch (shape) {
      case 0 -> { // prohibitory: red ring, white inside
        fill(new Ellipse2D.Double(x0, y0, sz, sz), red, TRAFFIC_SIGN);
        paint(new Ellipse2D.Double(x0 + sz * 0.17, y0 + sz * 0.17, sz * 0.66, sz * 0.66), white);
      }
      case 1 -> { // mandatory: blue disc, white arrow
        fill(new Ellipse2D.Double(x0, y0, sz, sz), blue, TRAFFIC_SIGN);
        paint(new Rectangle2D.Double(cx - sz * 0.08, y0 + sz * 0.2, sz * 0.16, sz * 0.6), white);
      }
      case 2 -> { // warning triangle
        Path2D t = new Path2D.Double();
        t.moveTo(cx, y0);
        t.lineTo(x0 + sz, y0 + sz * 0.9);
        t.lineTo(x0, y0 + sz * 0.9);
        t.closePath();
        fill(t, red, TRAFFIC_SIGN);
        Path2D in = new Path2D.Double();
        in.moveTo(cx, y0 + sz * 0.28);
        in.lineTo(x0 + sz * 0.78, y0 + sz * 0.76);
        in.lineTo(x0 + sz * 0.22, y0 + sz * 0.76);
        in.closePath();
        paint(in, white);
      }
      case 3 -> { // information rectangle
        Color bg = r.nextBoolean() ? blue : rgb(20, 110, 60);
        fill(new Rectangle2D.Double(x0, y0 + sz * 0.15, sz, sz * 0.7), bg, TRAFFIC_SIGN);
        paint(new Rectangle2D.Double(x0 + sz * 0.2, y0 + sz * 0.35, sz * 0.6, sz * 0.3), white);
      }
      default -> { // priority diamond / stop octagon
        Path2D d = new Path2D.Double();
        boolean stop = r.nextBoolean();
        int n = stop ? 8 : 4;
        for (int i = 0; i < n; i++) {
          double a = Math.PI * 2 * i / n + (stop ? Math.PI / 8 : 0);
          double qx = cx + Math.cos(a) * sz / 2, qy = cy + Math.sin(a) * sz / 2;
          if (i == 0) {
            d.moveTo(qx, qy);
          } else {
            d.lineTo(qx, qy);
          }
        }
        d.closePath();
        fill(d, stop ? red : white, TRAFFIC_SIGN);
        paint(
            new Ellipse2D.Double(cx - sz * 0.2, cy - sz * 0.2, sz * 0.4, sz * 0.4),
            stop ? white : rgb(240, 190, 30));
      }
    }
  }

  /** A traffic light hanging with its top at y (px), s px per metre. */
  private void light(double cx, double top, double s, SplittableRandom r) {
    double lw = Math.max(6 * unit, 0.35 * s), lh = Math.max(lw * 2.6, 0.95 * s);
    top -= lh * 0.15;
    Color housing = r.nextDouble() < 0.75
        ? rgb(30 + r.nextInt(25), 30 + r.nextInt(25), 32 + r.nextInt(25))
        : rgb(200, 170, 40);
    fill(
        new RoundRectangle2D.Double(cx - lw / 2, top, lw, lh, lw * 0.3, lw * 0.3),
        housing,
        TRAFFIC_LIGHT);
    int lit = r.nextInt(3);
    Color[] on = {new Color(255, 40, 30), new Color(255, 170, 20), new Color(40, 230, 110)};
    for (int i = 0; i < 3; i++) {
      double d = lw * 0.62, ly = top + lh * (i + 0.5) / 3 - d / 2;
      paint(new Ellipse2D.Double(cx - d / 2, ly, d, d), i == lit ? on[i] : shade(on[i], 0.25));
    }
  }

  /** A standing person: feet at (x, yb) px, height hp px. */
  private void person(double x, double yb, double hp, Color[] cl, int id) {
    double leg = hp * 0.47, lw = hp * 0.11, gap = hp * 0.03 + hp * 0.04 * rnd.nextDouble();
    Color pants = cl[1], shirt = cl[0], skin = cl[2], hair = cl[3];
    double stride = hp * 0.06 * rnd.nextDouble();
    fill(new Rectangle2D.Double(x - gap / 2 - lw - stride, yb - leg, lw, leg), pants, id);
    fill(new Rectangle2D.Double(x + gap / 2 + stride, yb - leg, lw, leg), shade(pants, 0.85), id);
    double tw = hp * 0.3, ty = yb - hp * 0.82, th = hp * 0.38;
    fill(new RoundRectangle2D.Double(x - tw / 2, ty, tw, th, tw * 0.4, tw * 0.4), shirt, id);
    double aw = hp * 0.075;
    fill(
        new RoundRectangle2D.Double(x - tw / 2 - aw * 0.8, ty + hp * 0.02, aw, hp * 0.34, aw, aw),
        shade(shirt, 0.9),
        id);
    fill(
        new RoundRectangle2D.Double(x + tw / 2 - aw * 0.2, ty + hp * 0.02, aw, hp * 0.34, aw, aw),
        shade(shirt, 0.9),
        id);
    double hd = hp * 0.14;
    fill(new Ellipse2D.Double(x - hd / 2, yb - hp, hd, hd * 1.15), skin, id);
    paint(new Ellipse2D.Double(x - hd / 2, yb - hp, hd, hd * 0.5), hair);
    if (rnd.nextDouble() < 0.25) { // bag
      fill(
          new Rectangle2D.Double(x + tw / 2, ty + th * 0.5, hp * 0.1, hp * 0.14),
          pick(PANTS, 20),
          id);
    }
  }

  /** A bicycle (or motorcycle) in side view at (x, z), optionally with its rider. */
  private void cycle(
      double x, double z, Color frame, boolean rider, Color[] cl, boolean right, boolean moto) {
    double s = scale(z), d = right ? 1 : -1;
    double r = (moto ? 0.32 : 0.34) * s, base = (moto ? 1.4 : 1.05) * s;
    double cx = px(x, z), yb = py(0, z);
    double rx = cx - d * base / 2, fx = cx + d * base / 2, hy = yb - r;
    int id = moto ? MOTORCYCLE : BICYCLE;
    float tyre = (float) Math.max(1.6 * unit, 0.07 * s);
    float bar = (float) Math.max(1.4 * unit, 0.045 * s);
    for (double wx : new double[] {rx, fx}) {
      fill(new Ellipse2D.Double(wx - r, hy - r, 2 * r, 2 * r), new Color(25, 25, 25), id);
      paint(
          new Ellipse2D.Double(wx - r + tyre, hy - r + tyre, 2 * r - 2 * tyre, 2 * r - 2 * tyre),
          new Color(120, 120, 125, 150));
      paint(new Ellipse2D.Double(wx - r * 0.15, hy - r * 0.15, r * 0.3, r * 0.3), frame);
    }
    double bbx = cx - d * 0.05 * s, bby = hy + 0.02 * s;
    double seatX = cx - d * 0.25 * s, seatY = yb - 0.95 * s;
    double headX = fx - d * 0.2 * s, headY = yb - 1.0 * s;
    if (moto) {
      Path2D body = new Path2D.Double();
      body.moveTo(rx, hy);
      body.lineTo(cx - d * 0.3 * s, yb - 0.85 * s);
      body.lineTo(cx + d * 0.35 * s, yb - 0.95 * s);
      body.lineTo(fx - d * 0.1 * s, hy - 0.2 * s);
      body.lineTo(cx + d * 0.1 * s, hy + 0.1 * s);
      body.closePath();
      fill(body, frame, id);
      stroke(
          new Line2D.Double(fx, hy, headX, headY - 0.1 * s), bar * 1.5f, new Color(60, 60, 60), id);
    } else {
      Color fc = frame;
      stroke(new Line2D.Double(rx, hy, bbx, bby), bar, fc, id);
      stroke(new Line2D.Double(rx, hy, seatX, seatY), bar, fc, id);
      stroke(new Line2D.Double(seatX, seatY, bbx, bby), bar, fc, id);
      stroke(new Line2D.Double(bbx, bby, headX, headY + 0.1 * s), bar, fc, id);
      stroke(new Line2D.Double(seatX, seatY + 0.05 * s, headX, headY + 0.1 * s), bar, fc, id);
      stroke(new Line2D.Double(fx, hy, headX, headY), bar, fc, id);
      stroke(
          new Line2D.Double(headX, headY, headX - d * 0.12 * s, headY - 0.05 * s),
          bar * 1.3f,
          new Color(30, 30, 30),
          id);
      stroke(
          new Line2D.Double(
              seatX - d * 0.1 * s, seatY - 0.03 * s, seatX + d * 0.08 * s, seatY - 0.03 * s),
          bar * 1.6f,
          new Color(30, 30, 30),
          id);
    }
    if (rider) {
      float limb = (float) Math.max(2.2 * unit, 0.13 * s);
      double hipX = seatX, hipY = seatY - 0.08 * s;
      double shX = cx + d * 0.15 * s, shY = yb - 1.55 * s;
      stroke(new Line2D.Double(hipX, hipY, bbx + d * 0.05 * s, bby - 0.05 * s), limb, cl[1], RIDER);
      stroke(
          new Line2D.Double(hipX, hipY, bbx - d * 0.08 * s, bby + 0.1 * s),
          limb,
          shade(cl[1], 0.85),
          RIDER);
      stroke(
          new Line2D.Double(hipX, hipY, shX, shY),
          (float) Math.max(3.5 * unit, 0.3 * s),
          cl[0],
          RIDER);
      stroke(
          new Line2D.Double(shX, shY + 0.05 * s, headX - d * 0.1 * s, headY),
          limb * 0.8f,
          shade(cl[0], 0.9),
          RIDER);
      double hd = Math.max(3 * unit, 0.24 * s);
      double hx = shX + d * 0.08 * s, hy2 = shY - hd * 0.9;
      fill(new Ellipse2D.Double(hx - hd / 2, hy2 - hd / 2, hd, hd * 1.1), cl[2], RIDER);
      paint(
          new Ellipse2D.Double(hx - hd / 2, hy2 - hd / 2, hd, hd * 0.5),
          moto ? new Color(20, 20, 20) : cl[3]);
    }
  }

  // ---------------------------------------------------------------- lighting, noise, blur

  private void finish() {
    byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    if (chance(0.7)) {
      blur(px);
    }
    double bright = u(0.7, 1.2);
    double[] gain = {bright * u(0.92, 1.08), bright * u(0.92, 1.08), bright * u(0.92, 1.08)
    }; // B, G, R
    int amp = ri(2, 8);
    int[] lut = new int[3 * 256];
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        lut[c * 256 + v] = (int) Math.round(v * gain[c]);
      }
    }
    for (int i = 0; i < px.length; i += 3) {
      int common = rnd.nextInt(2 * amp + 1) - amp;
      for (int c = 0; c < 3; c++) {
        int v = lut[c * 256 + (px[i + c] & 0xFF)] + common + (rnd.nextInt(amp + 1) - amp / 2);
        px[i + c] = (byte) clamp(v);
      }
    }
  }

  /** Separable [1 2 1] / 4 blur, in place. */
  private void blur(byte[] px) {
    int stride = w * 3;
    int[] row = new int[stride];
    for (int y = 0; y < h; y++) {
      int o = y * stride;
      for (int i = 0; i < stride; i++) {
        row[i] = px[o + i] & 0xFF;
      }
      for (int x = 0; x < w; x++) {
        int l = Math.max(0, x - 1) * 3, m = x * 3, r = Math.min(w - 1, x + 1) * 3;
        for (int c = 0; c < 3; c++) {
          px[o + m + c] = (byte) ((row[l + c] + 2 * row[m + c] + row[r + c] + 2) >> 2);
        }
      }
    }
    int[] col = new int[h];
    for (int x = 0; x < stride; x++) {
      for (int y = 0; y < h; y++) {
        col[y] = px[y * stride + x] & 0xFF;
      }
      for (int y = 0; y < h; y++) {
        int a = col[Math.max(0, y - 1)], b = col[y], c = col[Math.min(h - 1, y + 1)];
        px[y * stride + x] = (byte) ((a + 2 * b + c + 2) >> 2);
      }
    }
  }
}
