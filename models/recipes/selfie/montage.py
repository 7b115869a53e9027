#!/usr/bin/python3
"""Makes docs/selfie-demo.png: photo | probability | soft cut-out | blurred background | color background.

  ./segmenter segment models/photos/astronaut.jpg --model selfie --outputs prob,cutout --background blur --out /tmp/s1
  ./segmenter segment models/photos/astronaut.jpg --model selfie --outputs classes --background '#1e88e5' --out /tmp/s2
  /usr/bin/python3 models/recipes/selfie/montage.py /tmp/s1 /tmp/s2 docs/selfie-demo.png
"""
import os
import sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PHOTO = os.path.join(HERE, "..", "..", "photos", "astronaut.jpg")
SIDE = 288
BAR = 30


def checker(h, w, cell=12):
    y, x = np.mgrid[0:h, 0:w]
    c = np.where(((y // cell) + (x // cell)) % 2 == 0, 205, 150).astype(np.uint8)
    return np.dstack([c, c, c])


def panel(img, title):
    img = cv2.resize(img, (SIDE, SIDE), interpolation=cv2.INTER_AREA)
    bar = np.full((BAR, SIDE, 3), 24, np.uint8)
    cv2.putText(bar, title, (8, 21), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (240, 240, 240), 1, cv2.LINE_AA)
    return np.vstack([bar, img])


def main():
    soft, color, target = sys.argv[1:4]
    photo = cv2.imread(PHOTO)
    prob = cv2.imread(os.path.join(soft, "astronaut.prob.png"), cv2.IMREAD_UNCHANGED)
    prob8 = cv2.cvtColor((prob / 257).round().astype(np.uint8), cv2.COLOR_GRAY2BGR)
    cut = cv2.imread(os.path.join(soft, "astronaut.cutout.png"), cv2.IMREAD_UNCHANGED)
    a = cut[:, :, 3:4].astype(np.float32) / 255
    over = (cut[:, :, :3] * a + checker(*cut.shape[:2]) * (1 - a)).round().astype(np.uint8)
    blur = cv2.imread(os.path.join(soft, "astronaut.background.png"))
    col = cv2.imread(os.path.join(color, "astronaut.background.png"))
    row = np.hstack([panel(photo, "photo (public domain)"), panel(prob8, "prob.png"),
                     panel(over, "cutout.png (soft alpha)"), panel(blur, "--background blur"),
                     panel(col, "--background '#1e88e5'")])
    cv2.imwrite(target, row, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    print(f"{target}: {row.shape[1]}x{row.shape[0]}, {os.path.getsize(target)} bytes")


if __name__ == "__main__":
    main()
