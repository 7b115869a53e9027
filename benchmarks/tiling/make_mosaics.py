"""Stitches COLS x ROWS scenes (and their labels) of one folder into mosaics: images with COLS x ROWS times the
content of one scene at the scene's own scale, as a wide photo holds more than a network input does.

Usage: /usr/bin/python3 benchmarks/tiling/make_mosaics.py SCENES_DIR OUT_DIR COUNT [COLS ROWS]
"""
import os
import sys

import cv2
import numpy as np

src, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
cols, rows = (int(sys.argv[4]), int(sys.argv[5])) if len(sys.argv) > 5 else (4, 4)
os.makedirs(out, exist_ok=True)
k = 0
for m in range(count):
    img_rows, lab_rows = [], []
    for r in range(rows):
        imgs, labs = [], []
        for c in range(cols):
            imgs.append(cv2.imread(os.path.join(src, f"{k:04d}.png"), cv2.IMREAD_COLOR))
            labs.append(cv2.imread(os.path.join(src, f"{k:04d}.labels.png"), cv2.IMREAD_UNCHANGED))
            k += 1
        img_rows.append(np.hstack(imgs))
        lab_rows.append(np.hstack(labs))
    cv2.imwrite(os.path.join(out, f"{m:04d}.png"), np.vstack(img_rows))
    cv2.imwrite(os.path.join(out, f"{m:04d}.labels.png"), np.vstack(lab_rows))
print(f"{out}: {count} mosaics of {cols}x{rows} scenes")
