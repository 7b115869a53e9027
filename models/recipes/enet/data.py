"""Scene loading and the network's input convention (shared by train.py and evaluate.py).

Images are the generator's BGR PNGs; the network takes BGR, NCHW, x = (pixel - 127.5) / 127.5,
which is model.yaml's  color: BGR, mean: [127.5, 127.5, 127.5], scale: 1/127.5, std: [1, 1, 1].
"""
import glob
import os

import cv2
import numpy as np
import torch

MEAN = 127.5
SCALE = 1.0 / 127.5
IGNORE = 255
CLASSES = ["road", "sidewalk", "building", "wall", "fence", "pole", "traffic light", "traffic sign",
           "vegetation", "terrain", "sky", "person", "rider", "car", "truck", "bus", "train",
           "motorcycle", "bicycle"]


def load_scenes(directory, width=None, height=None):
    """Returns (images uint8 N,H,W,3 BGR, labels uint8 N,H,W) for every NNNN.png / NNNN.labels.png pair."""
    names = sorted(p for p in glob.glob(os.path.join(directory, "*.png")) if not p.endswith(".labels.png"))
    if not names:
        raise SystemExit(f"no scenes in {directory}")
    images, labels = [], []
    for p in names:
        im = cv2.imread(p, cv2.IMREAD_COLOR)
        lb = cv2.imread(p[:-4] + ".labels.png", cv2.IMREAD_UNCHANGED)
        if lb is None:
            raise SystemExit(f"missing labels for {p}")
        if lb.ndim == 3:
            lb = lb[:, :, 0]
        if width and (im.shape[1], im.shape[0]) != (width, height):
            im = cv2.resize(im, (width, height), interpolation=cv2.INTER_AREA)
            lb = cv2.resize(lb, (width, height), interpolation=cv2.INTER_NEAREST)
        images.append(im)
        labels.append(lb)
    return np.stack(images), np.stack(labels)


def to_input(images_bgr_uint8):
    """N,H,W,3 uint8 BGR -> N,3,H,W float tensor as the network expects."""
    x = torch.from_numpy(images_bgr_uint8).permute(0, 3, 1, 2).float()
    return (x - MEAN) * SCALE
