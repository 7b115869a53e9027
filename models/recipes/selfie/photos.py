#!/usr/bin/python3
"""Copies four public-domain photographs from Debian's python3-skimage (scikit-image's sample data) into
models/photos/, downscaled so the repository stays small. Run with Debian's /usr/bin/python3 after
`apt-get install -y python3-skimage python3-opencv`.

Licences, from skimage/data/_fetchers.py (the docstrings of each loader):
  astronaut: NASA (Eileen Collins), "No known copyright restrictions, released into the public domain."
  camera:    "No copyright restrictions. CC0 by the photographer (Lav Varshney)."
  coffee:    "No copyright restrictions. CC0 by the photographer (Rachel Michetti)."
  chelsea:   "No copyright restrictions. CC0 by the photographer (Stefan van der Walt)."
"""
import os
import sys

import cv2

SRC = "/usr/lib/python3/dist-packages/skimage/data"
DEST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "photos")

# name -> (source file, output file, longest side, imread flag)
PHOTOS = {
    "astronaut": ("astronaut.png", "astronaut.jpg", 384, cv2.IMREAD_COLOR),
    "camera": ("camera.png", "camera.png", 384, cv2.IMREAD_GRAYSCALE),
    "coffee": ("coffee.png", "coffee.jpg", 450, cv2.IMREAD_COLOR),
    "chelsea": ("chelsea.png", "chelsea.jpg", 451, cv2.IMREAD_COLOR),
}


def main():
    os.makedirs(DEST, exist_ok=True)
    for name, (src, out, side, flag) in PHOTOS.items():
        img = cv2.imread(os.path.join(SRC, src), flag)
        if img is None:
            sys.exit(f"cannot read {SRC}/{src}: install python3-skimage")
        h, w = img.shape[:2]
        s = side / max(h, w)
        if s < 1:
            img = cv2.resize(img, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
        path = os.path.join(DEST, out)
        params = [cv2.IMWRITE_JPEG_QUALITY, 90] if out.endswith(".jpg") else [cv2.IMWRITE_PNG_COMPRESSION, 9]
        cv2.imwrite(path, img, params)
        print(f"{path}: {img.shape[1]}x{img.shape[0]}, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
