"""Train ENet on procedural street scenes (CPU).  See README.md for the exact commands.

    /usr/bin/python3 train.py --train data/train --val data/eval --out runs/enet

Writes runs/enet/{last,best}.pth, loss.csv, val.csv, loss.png and run.json (hyper-parameters,
seeds, versions, time).  Everything random is seeded by --seed.
"""
import argparse
import csv
import json
import math
import os
import platform
import time

import cv2
import numpy as np
import torch
import torch.nn.functional as F

import data
import enet
import evaluate


def class_weights(labels, num_classes, c):
    """ENet's weighting w = 1 / ln(c + p_class); c = 1.02 in the paper, larger c is milder."""
    return weights_from_counts(np.bincount(labels[labels != data.IGNORE].ravel(), minlength=num_classes)[:num_classes], c)


def weights_from_counts(counts, c):
    """class_weights from per-class labelled pixel counts (a class never labelled gets weight 0)."""
    counts = np.asarray(counts, np.float64)
    p = counts / max(counts.sum(), 1)
    w = 1.0 / np.log(c + p)
    w[counts == 0] = 0.0
    return torch.tensor(w, dtype=torch.float32)


def augment(rng, images, labels, crop_w, starts):
    """Horizontal crop of width crop_w at the given origins, horizontal flip, brightness/contrast/colour jitter."""
    n, h, w, _ = images.shape
    xs, ys = [], []
    for i in range(n):
        x0 = starts[i]
        im = images[i, :, x0:x0 + crop_w]
        lb = labels[i, :, x0:x0 + crop_w]
        if rng.random() < 0.5:
            im, lb = im[:, ::-1], lb[:, ::-1]
        im = im.astype(np.float32)
        gain = rng.uniform(0.75, 1.25) * rng.uniform(0.9, 1.1, size=3)
        im = (im - 127.5) * rng.uniform(0.8, 1.2) + 127.5 + rng.uniform(-25, 25)
        im = np.clip(im * gain, 0, 255).astype(np.float32)
        xs.append(im)
        ys.append(np.ascontiguousarray(lb))
    x = torch.from_numpy(np.stack(xs)).permute(0, 3, 1, 2).contiguous()
    return (x - data.MEAN) * data.SCALE, torch.from_numpy(np.stack(ys).astype(np.int64))


def rare_columns(labels, weights, rare):
    """Per scene and column, the summed weight of its rare-class pixels: where rare-class crops centre."""
    lut = np.zeros(256, np.float32)
    lut[rare] = weights[rare]
    cols = np.zeros((labels.shape[0], labels.shape[2]), np.float32)
    for i in range(0, len(labels), 256):
        cols[i:i + 256] = lut[labels[i:i + 256]].sum(1)
    return cols


def crop_starts(rng, cols, idx, w, crop_w, p_rare):
    """Crop origins: with probability p_rare centred on a column drawn by rare-class weight, else uniform."""
    xs = []
    for i in idx:
        c = cols[i] if cols is not None else None
        if c is not None and rng.random() < p_rare and c.sum() > 0:
            centre = int(rng.choice(len(c), p=c / c.sum()))
            x0 = min(max(centre - crop_w // 2 + int(rng.integers(-crop_w // 4, crop_w // 4 + 1)), 0), w - crop_w)
        else:
            x0 = int(rng.integers(0, w - crop_w + 1))
        xs.append(x0 // 8 * 8)
    return xs


def soft_jaccard(logits, target, num_classes):
    """1 - soft IoU, averaged over the classes labelled in the batch (void ignored): an IoU surrogate
    that lifts small classes which cross-entropy alone under-segments."""
    keep = (target != data.IGNORE)
    prob = logits.softmax(1) * keep.unsqueeze(1)
    onehot = F.one_hot(torch.where(keep, target, torch.zeros_like(target)), num_classes).permute(0, 3, 1, 2)
    onehot = onehot.float() * keep.unsqueeze(1)
    inter = (prob * onehot).sum((0, 2, 3))
    union = prob.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) - inter
    present = onehot.sum((0, 2, 3)) > 0
    return (1 - inter[present] / union[present].clamp_min(1e-6)).mean()


def lr_at(t, base, warmup):
    """t: progress through the schedule, 0..1 (by step, or by time with --minutes)."""
    if t < warmup:
        return base * max(t, 1e-3) / warmup
    t = (t - warmup) / max(1 - warmup, 1e-9)
    return base * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(t, 1.0))))


def plot(loss_rows, val_rows, path):
    """Loss curve (training loss, smoothed) and validation mIoU as a PNG, drawn with OpenCV."""
    W, H, m = 900, 420, 50
    img = np.full((H, W, 3), 255, np.uint8)
    if not loss_rows:
        return
    steps = np.array([r[0] for r in loss_rows], np.float64)
    loss = np.array([r[1] for r in loss_rows], np.float64)
    k = max(1, len(loss) // 100)
    smooth = np.convolve(loss, np.ones(k) / k, mode="valid")
    sx = lambda s: int(m + (W - 2 * m) * s / max(steps[-1], 1))
    lmax = float(np.percentile(loss, 99)) * 1.05
    sy = lambda v: int(H - m - (H - 2 * m) * min(v, lmax) / lmax)
    cv2.rectangle(img, (m, m), (W - m, H - m), (0, 0, 0), 1)
    pts = np.array([[sx(s), sy(v)] for s, v in zip(steps[k - 1:], smooth)], np.int32)
    cv2.polylines(img, [pts], False, (200, 80, 0), 2)
    if val_rows:
        vp = np.array([[sx(r[0]), int(H - m - (H - 2 * m) * r[1])] for r in val_rows], np.int32)
        cv2.polylines(img, [vp], False, (0, 140, 0), 2)
        for p in vp:
            cv2.circle(img, tuple(int(v) for v in p), 3, (0, 140, 0), -1)
    cv2.putText(img, f"training loss (blue, 0..{lmax:.2f}), validation mIoU (green, 0..1)  vs step (0..{int(steps[-1])})",
                (m, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    cv2.imwrite(path, img)


def open_logs(out):
    """loss.csv and val.csv in out, headers written: (loss file, its writer, val file, its writer)."""
    lf = open(os.path.join(out, "loss.csv"), "w", newline="")
    lw = csv.writer(lf)
    lw.writerow(["step", "loss", "lr", "seconds"])
    vf = open(os.path.join(out, "val.csv"), "w", newline="")
    vw = csv.writer(vf)
    vw.writerow(["step", "val_miou", "val_pixel_accuracy", "seconds"])
    return lf, lw, vf, vw


def load_init(model, path, config):
    """--init: the checkpoint's weights into model; returns its step.  The backbone configuration must match;
    a checkpoint without the refinement head starts one, as a zero correction."""
    try:
        ck = torch.load(path, map_location="cpu", weights_only=False)
    except TypeError:  # torch < 1.13 has no weights_only
        ck = torch.load(path, map_location="cpu")
    base = dict(ck["config"], refine=config["refine"])
    if base != config or ck["config"].get("refine", 0) not in (0, config["refine"]):
        raise SystemExit(f"--init {path}: config {ck['config']} is not this run's {config} "
                         "(--widths, --stage1-repeats and a non-zero --refine must match the checkpoint's)")
    missing, unexpected = model.load_state_dict(ck["model"], strict=False)
    if unexpected or any(not k.startswith("refine.") for k in missing):
        raise SystemExit(f"--init {path}: missing {missing}, unexpected {unexpected}")
    return int(ck.get("step", 0))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--val")
    ap.add_argument("--val-count", type=int, default=40)
    ap.add_argument("--out", default="runs/enet")
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--height", type=int, default=256)
    ap.add_argument("--crop", type=int, default=128, help="training crop width (full height)")
    ap.add_argument("--steps", type=int, default=4000)
    ap.add_argument("--minutes", type=float, default=0,
                    help="train for this long instead of --steps; the schedule then runs on elapsed time")
    ap.add_argument("--widths", default=",".join(map(str, enet.SHIPPED["widths"])),
                    help="initial, stage-1 and stage-2/3 channel widths")
    ap.add_argument("--stage1-repeats", type=int, default=enet.SHIPPED["stage1_repeats"])
    ap.add_argument("--refine", type=int, default=0,
                    help="width of the full-resolution refinement head (0: none, the paper's last layer; "
                         "the shipped model: 16, added in stage 4)")
    ap.add_argument("--rare-crop", type=float, default=0.5,
                    help="probability that a crop is centred on a rare class (< 1%% of labelled pixels)")
    ap.add_argument("--jaccard", type=float, default=1.0, help="weight of the soft-Jaccard (IoU) loss term")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--warmup", type=float, default=0.02, help="warm-up, as a fraction of the schedule")
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    ap.add_argument("--weight-c", type=float, default=1.02, help="class weighting constant; 0 disables weighting")
    ap.add_argument("--eval-every", type=int, default=250)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--init", help="start from this checkpoint's weights (a second stage of training)")
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads; 1 because on the shared 2-core machine 2 threads burnt 10x the CPU per step")
    ap.add_argument("--device", default="cpu",
                    help="cpu, cuda or cuda:N (a CUDA build of torch; Debian's python3-torch is CPU-only)")
    args = ap.parse_args()

    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit(f"--device {args.device}: this torch ({torch.__version__}) sees no CUDA device; use --device cpu")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.out, exist_ok=True)

    images, labels = data.load_scenes(args.train, args.width, args.height)
    print(f"{len(images)} training scenes", flush=True)
    val = None
    if args.val:
        vi, vl = data.load_scenes(args.val, args.width, args.height)
        val = (vi[:args.val_count], vl[:args.val_count])
    weights = class_weights(labels, 19, args.weight_c).to(device) if args.weight_c > 0 else None

    config = dict(enet.SHIPPED, widths=tuple(int(v) for v in args.widths.split(",")),
                  stage1_repeats=args.stage1_repeats, refine=args.refine)
    model = enet.ENet(**config)
    if args.init:
        load_init(model, args.init, config)
    model.to(device)
    counts = np.bincount(labels[labels != data.IGNORE].ravel(), minlength=19)[:19]
    rare = np.flatnonzero((counts > 0) & (counts < 0.01 * counts.sum()))
    cols = rare_columns(labels, 1.0 / np.maximum(counts, 1) * counts.sum(), rare) if args.rare_crop > 0 else None
    print("rare classes:", [data.CLASSES[c] for c in rare], flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    meta = dict(vars(args), config=config, rare_classes=[data.CLASSES[c] for c in rare], torch=torch.__version__, python=platform.python_version(),
                cpu=platform.processor() or platform.machine(), train_scenes=len(images),
                class_weights=None if weights is None else [round(float(w), 4) for w in weights.cpu()],
                device=str(device) + (f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else ""),
                parameters=sum(p.numel() for p in model.parameters()))
    loss_rows, val_rows, best = [], [], -1.0
    lf, lw, vf, vw = open_logs(args.out)
    t0 = time.time()
    budget = args.minutes * 60
    step = 0
    while (time.time() - t0 < budget) if budget else (step < args.steps):
        model.train()
        progress = (time.time() - t0) / budget if budget else step / args.steps
        lr = lr_at(progress, args.lr, args.warmup)
        for g in opt.param_groups:
            g["lr"] = lr
        idx = rng.choice(len(images), size=args.batch, replace=False)
        x, y = augment(rng, images[idx], labels[idx], args.crop,
                       crop_starts(rng, cols, idx, images.shape[2], args.crop, args.rare_crop))
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        logits = model(x)
        loss = F.cross_entropy(logits, y, weight=weights, ignore_index=data.IGNORE)
        if args.jaccard > 0:
            loss = loss + args.jaccard * soft_jaccard(logits, y, 19)
        opt.zero_grad()
        loss.backward()
        opt.step()
        el = time.time() - t0
        loss_rows.append((step + 1, float(loss)))
        lw.writerow([step + 1, f"{float(loss):.5f}", f"{lr:.6g}", f"{el:.1f}"])
        if (step + 1) % 10 == 0:
            lf.flush()
            print(f"step {step + 1} loss {float(loss):.4f} lr {lr:.2e} {el / (step + 1):.2f}s/step", flush=True)
        last = (time.time() - t0 >= budget) if budget else (step + 1 == args.steps)
        if (step + 1) % args.eval_every == 0 or last:
            ck = {"config": config, "model": {k: v.cpu() for k, v in model.state_dict().items()}, "step": step + 1}
            torch.save(ck, os.path.join(args.out, "last.pth"))
            if val is not None:
                model.eval()
                s = evaluate.scores(evaluate.confusion(model, *val))
                val_rows.append((step + 1, s["miou"]))
                vw.writerow([step + 1, f"{s['miou']:.4f}", f"{s['pixel_accuracy']:.4f}", f"{time.time() - t0:.1f}"])
                vf.flush()
                print(f"val step {step + 1}: mIoU {s['miou']:.4f} acc {s['pixel_accuracy']:.4f}", flush=True)
                if s["miou"] > best:
                    best = s["miou"]
                    torch.save(ck, os.path.join(args.out, "best.pth"))
            plot(loss_rows, val_rows, os.path.join(args.out, "loss.png"))
            meta.update(steps_done=step + 1, seconds=round(time.time() - t0, 1), best_val_miou=best)
            json.dump(meta, open(os.path.join(args.out, "run.json"), "w"), indent=2)
        step += 1
    lf.close()
    vf.close()
    print(f"done in {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
