"""Writes a W x H PNG (default 12000 x 9000) by repeating a street scene and its labels, for the tiling memory figure.

Usage: /usr/bin/python3 benchmarks/tiling/make_big.py SCENE.png OUT.png [W H]
"""
import sys

import cv2
import numpy as np

src, out = sys.argv[1], sys.argv[2]
w, h = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (12000, 9000)
tile = cv2.imread(src, cv2.IMREAD_COLOR)
reps = (-(-h // tile.shape[0]), -(-w // tile.shape[1]), 1)
big = np.tile(tile, reps)[:h, :w]
cv2.imwrite(out, big, [cv2.IMWRITE_PNG_COMPRESSION, 1])
print(f"{out}: {w}x{h}")
