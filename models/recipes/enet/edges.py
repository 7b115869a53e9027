"""Where a model's errors are: mean IoU with the pixels next to a label edge left out, and wrong
pixels per label edge, split by whether the edge falls between or inside the 2x2 blocks that
ENet's last layer paints from one half-resolution feature vector.

    /usr/bin/python3 edges.py --model ../../shipped/enet-streets/enet.pt --data data/eval --limit 100
"""
import argparse
import json

import cv2
import numpy as np
import torch

import data
import evaluate


def edge_distance(labels):
    """Per pixel, the distance to the nearest pixel that has a differently labelled 4-neighbour."""
    out = []
    for lb in labels:
        edge = np.zeros(lb.shape, np.uint8)
        dx, dy = lb[:, 1:] != lb[:, :-1], lb[1:, :] != lb[:-1, :]
        edge[:, 1:] |= dx
        edge[:, :-1] |= dx
        edge[1:, :] |= dy
        edge[:-1, :] |= dy
        out.append(cv2.distanceTransform(1 - edge, cv2.DIST_L2, 3))
    return np.stack(out)


def block_errors(pred, labels):
    """Wrong pixels per label edge (the two pixels beside it), for edges between and inside 2x2 blocks."""
    res = {}
    lab = labels.astype(np.int32)
    for axis, name in ((2, "vertical edges"), (1, "horizontal edges")):
        a, b = (lab[:, :, :-1], lab[:, :, 1:]) if axis == 2 else (lab[:, :-1, :], lab[:, 1:, :])
        pa, pb = (pred[:, :, :-1], pred[:, :, 1:]) if axis == 2 else (pred[:, :-1, :], pred[:, 1:, :])
        edge = (a != b) & (a != data.IGNORE) & (b != data.IGNORE)
        inside = (np.nonzero(edge)[axis] % 2) == 0  # edge between pixel 2k and 2k+1
        wrong = (pa[edge] != a[edge]).astype(np.int64) + (pb[edge] != b[edge])
        res[name] = {"between blocks": round(float(wrong[~inside].mean()), 3),
                     "inside blocks": round(float(wrong[inside].mean()), 3), "edges": int(edge.sum())}
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--json")
    args = ap.parse_args()
    torch.set_num_threads(1)
    images, labels = data.load_scenes(args.data, 512, 256)
    images, labels = images[:args.limit], labels[:args.limit]
    pred = evaluate.predict(evaluate.load_model(args.model), images)
    dist = edge_distance(labels)
    out = {"model": args.model, "scenes": len(images), "miou": {}}
    for k, what in ((0, "all pixels"), (1, "without the pixels beside a label edge"),
                    (2, "without those and their neighbours")):
        s = evaluate.scores(evaluate.count(pred, labels, (dist >= k) & (labels != data.IGNORE)))
        out["miou"][what] = round(s["miou"], 4)
        print(f"mIoU, {what}: {s['miou']:.4f} (pixel accuracy {s['pixel_accuracy']:.4f})")
    out["wrong_pixels_per_edge"] = block_errors(pred, labels)
    for name, v in out["wrong_pixels_per_edge"].items():
        print(f"{name}: wrong pixels per edge {v['between blocks']} between 2x2 blocks, {v['inside blocks']} inside")
    if args.json:
        json.dump(out, open(args.json, "w"), indent=2)


if __name__ == "__main__":
    main()
