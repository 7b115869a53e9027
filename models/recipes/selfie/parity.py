#!/usr/bin/env python3
"""Cross-checks segmenter's selfie masks against Python's cv2 path on the committed photographs.

  ./segmenter segment models/photos --model selfie --outputs classes --out /tmp/selfie-ours
  PY/bin/python models/recipes/selfie/parity.py /tmp/selfie-ours [--landscape PATH]

PY: a Python with OpenCV >= 4.8 (cv2.dnn.readNetFromTFLite; Debian 12's python3-opencv is 4.6 and lacks it).
The cv2 path decodes with cv2.imread (libjpeg-turbo; segmenter decodes JPEG with ImageIO, so a few pixel values
differ), then blobFromImage(1/255, 256x256, mean 0, swapRB=True, crop=False), forward, threshold 0.5 at 256x256,
resize INTER_NEAREST_EXACT: the same steps as segmenter's default (--resize nearest).
With --landscape it also tries to load the package's 144x256 landscape model and says what happens.
"""
import argparse
import os
import sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
MODEL = os.path.join(ROOT, "models", "shipped", "selfie", "selfie_segmentation.tflite")
PHOTOS = os.path.join(ROOT, "models", "photos")


def mask(net, img, size=(256, 256)):
    blob = cv2.dnn.blobFromImage(img, 1 / 255.0, size, (0, 0, 0), swapRB=True, crop=False)
    net.setInput(blob)
    prob = net.forward().reshape(size[1], size[0])
    small = (prob > 0.5).astype(np.uint8)
    return cv2.resize(small, (img.shape[1], img.shape[0]), interpolation=cv2.INTER_NEAREST_EXACT), prob


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ours", help="folder with segmenter's NAME.classes.png for the photos")
    ap.add_argument("--landscape", help="path of selfie_segmentation_landscape.tflite from the npm package")
    a = ap.parse_args()
    print(f"cv2 {cv2.__version__}")
    net = cv2.dnn.readNetFromTFLite(MODEL)
    worst = 1.0
    for name in sorted(os.listdir(PHOTOS)):
        if not name.endswith((".jpg", ".png")):
            continue
        img = cv2.imread(os.path.join(PHOTOS, name), cv2.IMREAD_COLOR)
        theirs, prob = mask(net, img)
        ours_file = os.path.join(a.ours, os.path.splitext(name)[0] + ".classes.png")
        ours = cv2.imread(ours_file, cv2.IMREAD_UNCHANGED)
        if ours is None:
            sys.exit(f"missing {ours_file}: run segmenter first (see the docstring)")
        o = ours == 1
        t = theirs == 1
        union = np.logical_or(o, t).sum()
        iou = 1.0 if union == 0 else np.logical_and(o, t).sum() / union
        worst = min(worst, iou)
        print(f"{name}: {img.shape[1]}x{img.shape[0]}, IoU {iou:.5f}, person ours {o.mean():.4f} cv2 {t.mean():.4f}, "
              f"prob range {prob.min():.4f}..{prob.max():.4f}")
    print(f"worst IoU {worst:.5f}")
    if a.landscape:
        try:
            ln = cv2.dnn.readNetFromTFLite(a.landscape)
            img = cv2.imread(os.path.join(PHOTOS, "astronaut.jpg"))
            _, p = mask(ln, img, (256, 144))
            _, g = mask(net, img)
            gl = cv2.resize(g, (256, 144), interpolation=cv2.INTER_LINEAR)
            agree = ((p > 0.5) == (gl > 0.5)).mean()
            print(f"landscape model loads in cv2 {cv2.__version__}; mask agreement with the general model "
                  f"(at 256x144) on astronaut.jpg: {agree:.4f}")
        except cv2.error as e:
            print(f"landscape model does not load in cv2 {cv2.__version__}: {str(e).strip().splitlines()[-1]}")
    return 0 if worst >= 0.99 else 1


if __name__ == "__main__":
    sys.exit(main())
