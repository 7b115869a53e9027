"""Mean IoU of a model on large scenes (e.g. drawn at 2048x1024) as `segmenter eval` computes it, on a GPU or CPU:
the whole image squeezed to the input size (bilinear, as OpenCV's INTER_LINEAR) with its class map enlarged by
nearest neighbour (`whole`, the CLI's default), and tiled at the input size with overlap (`tiled`: tiles placed
as TilePlan does, the last one pulled back to the edge; logits summed with TiledInference's window weights,
min(1, (d + 0.5) / overlap) towards a side another tile overlaps), each also with a horizontal flip averaged in
(`whole-flip`: scores enlarged bilinearly; `tiled-flip`). An approximation of the Java pipeline for choosing
between models; the figures that count come from benchmarks/tiling/accuracy.sh.

    python3 tiles.py --model runs/enet7/last.pth --scenes /tmp/eval2048.bin --size 2048x1024 --count 100 \
        --json runs/enet7/tiles.json [--device cuda]

--model: .pth checkpoints or TorchScript files, comma-separated; --scenes: a RawScenes file or a folder.
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn.functional as F

import data
import enet
import evaluate
import train_gpu


def positions(length, tile, overlap):
    if length <= tile:
        return [0]
    stride = max(1, tile - overlap)
    n = (length - tile + stride - 1) // stride + 1
    return [min(i * stride, length - tile) for i in range(n)]


def window(n, overlap, ramp_start, ramp_end):
    w = np.ones(n, np.float32)
    if overlap > 0:
        i = np.arange(n, dtype=np.float32)
        if ramp_start:
            w = np.minimum(w, (i + 0.5) / overlap)
        if ramp_end:
            w = np.minimum(w, (n - i - 0.5) / overlap)
    return w


def load_model(path):
    """evaluate.load_model, also on torch >= 2.6 (whose torch.load defaults to weights_only)."""
    if not path.endswith(".pth"):
        return evaluate.load_model(path)
    try:
        ck = torch.load(path, map_location="cpu", weights_only=False)
    except TypeError:  # torch < 1.13 has no weights_only
        ck = torch.load(path, map_location="cpu")
    model = enet.ENet(**ck["config"])
    model.load_state_dict(ck["model"])
    return model.eval()


def run(model, x, flip):
    s = model(x)
    if flip:
        s = s + model(x.flip(3)).flip(3)
    return s


def predict(model, image, iw, ih, mode, flip, overlap=0.25):
    """Class map (H,W) of one uint8 BGR image tensor (H,W,3) on the model's device."""
    h, w = image.shape[:2]
    x = (image.permute(2, 0, 1)[None].float() - data.MEAN) * data.SCALE
    if mode == "whole":
        small = F.interpolate(image.permute(2, 0, 1)[None].float(), size=(ih, iw), mode="bilinear",
                              align_corners=False).round().clamp(0, 255)
        s = run(model, (small - data.MEAN) * data.SCALE, flip)
        if flip:  # augmented runs enlarge scores bilinearly
            return F.interpolate(s, size=(h, w), mode="bilinear", align_corners=False)[0].argmax(0)
        return F.interpolate(s.argmax(1, keepdim=True).float(), size=(h, w), mode="nearest")[0, 0].long()
    ox, oy = int(round(overlap * iw)), int(round(overlap * ih))
    xs, ys = positions(w, iw, ox), positions(h, ih, oy)
    total = torch.zeros((1, 19, h, w), device=image.device)
    for y in ys:
        crops = torch.cat([x[:, :, y:y + ih, x0:x0 + iw] for x0 in xs])
        s = run(model, crops, flip)
        wy = window(ih, oy, y > 0, y + ih < h)
        for k, x0 in enumerate(xs):
            wx = window(iw, ox, x0 > 0, x0 + iw < w)
            wt = torch.from_numpy(np.outer(wy, wx)).to(image.device)
            total[:, :, y:y + ih, x0:x0 + iw] += s[k:k + 1] * wt
    return total[0].argmax(0)


def evaluate_large(model, images, labels, iw, ih, mode, flip, device):
    cm = torch.zeros(19 * 19, dtype=torch.int64, device=device)
    with torch.no_grad():
        for im, lb in zip(images, labels):
            p = predict(model, torch.from_numpy(np.array(im)).to(device), iw, ih, mode, flip)
            y = torch.from_numpy(np.array(lb)).to(device).long()
            keep = y != data.IGNORE
            cm += torch.bincount(y[keep] * 19 + p[keep], minlength=19 * 19)
    return evaluate.scores(cm.view(19, 19).cpu().numpy())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="checkpoints (.pth) or TorchScript files, comma-separated")
    ap.add_argument("--scenes", required=True)
    ap.add_argument("--size", default="2048x1024", help="the scenes' size")
    ap.add_argument("--input", default="512x256", help="the network's input size (the tile)")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--runs", default="whole,tiled,whole-flip,tiled-flip")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--json")
    args = ap.parse_args()
    w, h = map(int, args.size.split("x"))
    iw, ih = map(int, args.input.split("x"))
    device = torch.device(args.device)
    images, labels = train_gpu.open_scenes(args.scenes, w, h)
    images, labels = images[:args.count], labels[:args.count]
    out = {}
    thin = ["pole", "traffic light", "person", "rider"]
    for path in args.model.split(","):
        model = load_model(path).to(device).eval()
        out[path] = {}
        for r in args.runs.split(","):
            t = time.time()
            s = evaluate_large(model, images, labels, iw, ih, r.split("-")[0], r.endswith("-flip"), device)
            s["seconds"] = round(time.time() - t, 1)
            s["scenes"] = len(images)
            out[path][r] = s
            print(f"{path} {r}: mIoU {s['miou']:.4f} " + " ".join(f"{c} {s['iou'][c]:.4f}" for c in thin)
                  + f" ({s['seconds']}s)", flush=True)
    if args.json:
        json.dump(out, open(args.json, "w"), indent=2)


if __name__ == "__main__":
    main()
