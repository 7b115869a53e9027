"""Evaluate a trained ENet on held-out scenes: per-class IoU, mIoU over the classes present
(in the labels or the predictions; void 255 ignored) and pixel accuracy.

    /usr/bin/python3 evaluate.py --model ../../shipped/enet-streets/enet.pt --data data/eval \
        --markdown runs/enet/eval.md

--model takes a TorchScript file (.pt) or a training checkpoint (.pth).
"""
import argparse
import json
import time

import numpy as np
import torch

import data
import enet


def load_model(path):
    if path.endswith(".pth"):
        ck = torch.load(path, map_location="cpu")
        model = enet.ENet(**ck["config"])
        model.load_state_dict(ck["model"])
        return model.eval()
    return torch.jit.load(path, map_location="cpu").eval()


def predict(model, images, batch=4):
    """Class maps (N,H,W int64) of the model for N,H,W,3 BGR uint8 images, on the model's device."""
    params = list(model.parameters()) if isinstance(model, torch.nn.Module) else []
    device = params[0].device if params else torch.device("cpu")
    with torch.no_grad():
        return np.concatenate([model(data.to_input(images[i:i + batch]).to(device)).argmax(1).cpu().numpy()
                               for i in range(0, len(images), batch)])


def count(pred, labels, keep, num_classes=19):
    """Confusion matrix (rows: label, columns: prediction) over the pixels where keep is true."""
    return np.bincount(labels[keep].astype(np.int64) * num_classes + pred[keep],
                       minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def confusion(model, images, labels, num_classes=19, batch=4):
    return count(predict(model, images, batch), labels, labels != data.IGNORE, num_classes)


def scores(cm):
    tp = np.diag(cm).astype(np.float64)
    gt = cm.sum(1)
    pr = cm.sum(0)
    union = gt + pr - tp
    present = union > 0
    iou = np.where(present, tp / np.maximum(union, 1), np.nan)
    return {
        "miou": float(np.nanmean(iou)),
        "pixel_accuracy": float(tp.sum() / max(cm.sum(), 1)),
        "iou": {data.CLASSES[c]: (None if np.isnan(iou[c]) else float(iou[c])) for c in range(len(iou))},
        "pixels": {data.CLASSES[c]: int(gt[c]) for c in range(len(gt))},
        "classes_present": int(present.sum()),
    }


def markdown(s, title):
    lines = [f"**{title}**", "", "| class | IoU | labelled pixels |", "|---|---:|---:|"]
    for c in data.CLASSES:
        v = s["iou"][c]
        lines.append(f"| {c} | {'n/a (absent)' if v is None else f'{v:.4f}'} | {s['pixels'][c]} |")
    lines += ["", f"mean IoU over the {s['classes_present']} classes present: **{s['miou']:.4f}**; "
                  f"pixel accuracy: **{s['pixel_accuracy']:.4f}**", ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--height", type=int, default=256)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N scenes (0 = all)")
    ap.add_argument("--markdown")
    ap.add_argument("--json")
    args = ap.parse_args()
    torch.set_num_threads(1)
    images, labels = data.load_scenes(args.data, args.width, args.height)
    if args.limit:
        images, labels = images[:args.limit], labels[:args.limit]
    t = time.time()
    s = scores(confusion(load_model(args.model), images, labels))
    s["scenes"] = len(images)
    s["seconds"] = round(time.time() - t, 1)
    md = markdown(s, f"{args.model} on {len(images)} scenes from {args.data}")
    print(md)
    if args.markdown:
        open(args.markdown, "w").write(md)
    if args.json:
        json.dump(s, open(args.json, "w"), indent=2)


if __name__ == "__main__":
    main()
