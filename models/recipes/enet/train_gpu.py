"""Train ENet on a CUDA GPU with the scenes held in GPU memory (stage 5; see README.md).

    python3 train_gpu.py --train /tmp/train.bin --val /tmp/val.bin --out runs/enet5 \
        --init runs/enet4/last.pth --refine 16 --batch 32 --lr 1e-3 --seconds 420

train.py feeds the network from NumPy on the CPU, which is right for one CPU core and far too slow for a
GPU.  Here every scene is uploaded once as uint8 and each batch is flipped and colour-jittered on the GPU
(the same augmentation as train.py's with full-width crops, the setting of stages 3 and 4), the forward
pass runs in bfloat16 autocast (--amp), and the loss (weighted cross-entropy + soft Jaccard, as
train.py) in float32.  Validation runs in float32.  Checkpoints have train.py's format, so calibrate.py,
export.py and evaluate.py take them unchanged.

--train takes RawScenes files or folders, comma-separated, and --val one of either.  A RawScenes file
(gpu/RawScenes.java) holds records of W*H*3 BGR bytes + W*H label bytes; a folder, NNNN.png /
NNNN.labels.png pairs.  The schedule runs on elapsed time (--seconds,
or --stop-at, a Unix time) and ends exactly when time is up.  It also runs on the CPU (--device cpu),
slowly; that is how it is tested.

Stage 7 (scale augmentation): --scaled PATH:WxH:SHARE takes SHARE of each batch as crops of larger scenes at a
random magnification, resized to --width x --height (scaled_crops), and --frozen-bn keeps the batch norms in eval
mode, for a checkpoint rebuilt from the ONNX export by from_onnx.py; --val-large also validates tiled and whole
on larger scenes (tiles.py).
"""
import argparse
import json
import os
import platform
import time

import numpy as np
import torch
import torch.nn.functional as F

import data
import enet
import evaluate
import train


def open_scenes(path, width, height):
    """(images N,H,W,3 uint8 BGR, labels N,H,W uint8) from a RawScenes file (memory-mapped) or a folder."""
    if os.path.isdir(path):
        return data.load_scenes(path, width, height)
    record = width * height * 4
    size = os.path.getsize(path)
    if size == 0 or size % record:
        raise SystemExit(f"{path}: {size} bytes is not a whole number of {width}x{height} RawScenes records "
                         f"({record} bytes each); pass the --width/--height it was written with")
    m = np.memmap(path, np.uint8, "r").reshape(-1, record)
    return m[:, :width * height * 3].reshape(-1, height, width, 3), m[:, width * height * 3:].reshape(-1, height, width)


def upload(sources, device, chunk=512):
    """The scenes of all (images, labels) sources as uint8 tensors on the device, and the labelled
    pixels per class (void excluded)."""
    n = sum(len(im) for im, _ in sources)
    images, labels = sources[0]
    gi = torch.empty((n,) + images.shape[1:], dtype=torch.uint8, device=device)
    gl = torch.empty((n,) + labels.shape[1:], dtype=torch.uint8, device=device)
    counts = torch.zeros(256, dtype=torch.int64, device=device)
    at = 0
    for images, labels in sources:
        for i in range(0, len(images), chunk):
            j = at + min(chunk, len(images) - i)
            gi[at:j] = torch.from_numpy(np.ascontiguousarray(images[i:i + chunk])).to(device)
            gl[at:j] = torch.from_numpy(np.ascontiguousarray(labels[i:i + chunk])).to(device)
            counts += torch.bincount(gl[at:j].flatten().long(), minlength=256)
            at = j
    return gi, gl, counts[:19].cpu().numpy()


def uniform(gen, lo, hi, shape, device):
    return lo + (hi - lo) * torch.rand(shape, generator=gen, device=device)


def augment(gen, images, labels):
    """train.augment on the GPU, for a batch of full-width uint8 scenes: flip, contrast, brightness, gains."""
    return augment_float(gen, images.permute(0, 3, 1, 2).float(), labels.long())


def parse_scaled(spec):
    """--scaled PATH:WxH:SHARE -> (path, width, height, share)."""
    try:
        path, size, share = spec.rsplit(":", 2)
        w, h = map(int, size.split("x"))
        return path, w, h, float(share)
    except ValueError:
        raise SystemExit(f"--scaled {spec}: expected PATH:WxH:SHARE, e.g. /tmp/s2048.bin:2048x1024:0.35")


def scaled_crops(rng, images, labels, k, out_w, out_h, native_share, area_share):
    """k crops of larger scenes (uint8 N,H,W,3 and N,H,W tensors on the device) resized to out_w x out_h, as
    float N,3,H,W (0..255) and long N,H,W: magnification m (crop = scene / m) is the largest, W / out_w (a crop at
    the scene's own pixels, as a tile of a large image), with probability native_share, else log-uniform in
    [1, W / out_w] (m = 1: the whole scene squeezed); positions uniform; images resized by area with probability
    area_share, else bilinearly (OpenCV's INTER_LINEAR, what the engine squeezes with), labels by nearest."""
    n, h, w = labels.shape
    top = min(w / out_w, h / out_h)
    xs, ys = [], []
    for _ in range(k):
        m = top if rng.random() < native_share else top ** rng.random()
        cw, ch = min(w, max(out_w, int(round(w / m)))), min(h, max(out_h, int(round(h / m))))
        i, x0, y0 = int(rng.integers(n)), int(rng.integers(w - cw + 1)), int(rng.integers(h - ch + 1))
        im = images[i, y0:y0 + ch, x0:x0 + cw].permute(2, 0, 1)[None].float()
        lb = labels[i, y0:y0 + ch, x0:x0 + cw][None, None]
        if (cw, ch) != (out_w, out_h):
            if rng.random() < area_share:
                im = F.interpolate(im, size=(out_h, out_w), mode="area")
            else:
                im = F.interpolate(im, size=(out_h, out_w), mode="bilinear", align_corners=False)
            lb = F.interpolate(lb.float(), size=(out_h, out_w), mode="nearest").to(torch.uint8)
        xs.append(im)
        ys.append(lb[:, 0])
    return torch.cat(xs), torch.cat(ys).long()


def augment_float(gen, x, y):
    """augment's work on float N,3,H,W (0..255) images and long N,H,W labels."""
    dev = x.device
    b = x.shape[0]
    flip = torch.rand(b, generator=gen, device=dev) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(3), x)
    y = torch.where(flip[:, None, None], y.flip(2), y)
    gain = uniform(gen, 0.75, 1.25, (b, 1, 1, 1), dev) * uniform(gen, 0.9, 1.1, (b, 3, 1, 1), dev)
    x = (x - 127.5) * uniform(gen, 0.8, 1.2, (b, 1, 1, 1), dev) + 127.5 + uniform(gen, -25, 25, (b, 1, 1, 1), dev)
    x = (x * gain).clamp(0, 255)
    return (x - data.MEAN) * data.SCALE, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True, help="RawScenes files or folders of scenes, comma-separated")
    ap.add_argument("--val", help="RawScenes file or folder; the first --val-count scenes are used")
    ap.add_argument("--val-count", type=int, default=40)
    ap.add_argument("--out", required=True)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--height", type=int, default=256)
    ap.add_argument("--seconds", type=float, default=0, help="train for this long (the schedule runs on time)")
    ap.add_argument("--stop-at", type=float, default=0, help="or until this Unix time")
    ap.add_argument("--widths", default=",".join(map(str, enet.SHIPPED["widths"])))
    ap.add_argument("--stage1-repeats", type=int, default=enet.SHIPPED["stage1_repeats"])
    ap.add_argument("--refine", type=int, default=enet.SHIPPED["refine"])
    ap.add_argument("--jaccard", type=float, default=1.0)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=float, default=0.03)
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    ap.add_argument("--weight-c", type=float, default=1.1)
    ap.add_argument("--eval-seconds", type=float, default=60, help="validate and save a checkpoint this often")
    ap.add_argument("--log-every", type=int, default=50, help="steps per loss.csv row (mean loss)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--init", help="start from this checkpoint's weights")
    ap.add_argument("--amp", choices=["bf16", "off"], default="bf16", help="autocast dtype of the forward pass")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--scaled", action="append", default=[],
                    help="PATH:WxH:SHARE (repeatable): larger scenes (RawScenes file or folder of WxH scenes) from "
                         "which SHARE of each batch is cropped at a random scale and resized to --width x --height "
                         "(scale augmentation, stage 7); the rest of the batch are --train scenes")
    ap.add_argument("--native-share", type=float, default=0.5,
                    help="of the --scaled crops, the share taken at the scene's own pixels (no resize)")
    ap.add_argument("--area-share", type=float, default=0.5,
                    help="of the resized --scaled crops, the share resized by area (the rest bilinearly)")
    ap.add_argument("--frozen-bn", action="store_true",
                    help="batch norms in eval mode while training (for a checkpoint rebuilt by from_onnx.py, whose "
                         "batch norms were folded into the convolutions)")
    ap.add_argument("--val-large", help="PATH:WxH: also validate tiled and whole on these larger scenes (tiles.py)")
    ap.add_argument("--val-large-count", type=int, default=16)
    ap.add_argument("--data-note", default="", help="where the scenes came from (seeds), for run.json")
    args = ap.parse_args()

    t_start = time.time()
    stop_at = args.stop_at or (t_start + args.seconds)
    if stop_at <= t_start:
        raise SystemExit("give --seconds N or a future --stop-at")
    device = torch.device(args.device)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise SystemExit(f"--device {args.device}: this torch ({torch.__version__}) sees no CUDA device")
        torch.backends.cudnn.benchmark = True
    torch.manual_seed(args.seed)
    gen = torch.Generator(device=device)
    gen.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)

    gi, gl, counts = upload([open_scenes(p, args.width, args.height) for p in args.train.split(",")], device)
    n = len(gi)
    val = None
    if args.val:
        vi, vl = open_scenes(args.val, args.width, args.height)
        val = (np.ascontiguousarray(vi[:args.val_count]), np.ascontiguousarray(vl[:args.val_count]))
    scaled = []
    for spec in args.scaled:
        path, w, h, share = parse_scaled(spec)
        si, sl, sc = upload([open_scenes(q, w, h) for q in path.split(",")], device)
        counts = counts + sc
        scaled.append((si, sl, int(round(share * args.batch)), path, w, h))
    n_whole = args.batch - sum(k for _, _, k, _, _, _ in scaled)
    if n_whole < 0:
        raise SystemExit("--scaled shares add up to more than one batch")
    large = None
    if args.val_large:
        path, size = args.val_large.rsplit(":", 1)
        lw_, lh_ = map(int, size.split("x"))
        li, ll = open_scenes(path, lw_, lh_)
        large = (li[:args.val_large_count], ll[:args.val_large_count])
    crop_rng = np.random.default_rng(args.seed)
    weights = train.weights_from_counts(counts, args.weight_c).to(device) if args.weight_c > 0 else None
    print(f"{n} training scenes on {device} in {time.time() - t_start:.1f}s; per batch: {n_whole} of them"
          + "".join(f", {k} crops of {w}x{h} scenes ({len(si)})" for si, _, k, _, w, h in scaled), flush=True)

    config = dict(enet.SHIPPED, widths=tuple(int(v) for v in args.widths.split(",")),
                  stage1_repeats=args.stage1_repeats, refine=args.refine)
    model = enet.ENet(**config)
    init_step = train.load_init(model, args.init, config) if args.init else 0
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    amp = dict(device_type=device.type, dtype=torch.bfloat16, enabled=args.amp == "bf16")
    meta = dict(vars(args), config=config, batch_whole=n_whole,
                scaled_scenes={p: len(si) for si, _, _, p, _, _ in scaled}, torch=torch.__version__, python=platform.python_version(),
                device=str(device) + (f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else ""),
                train_scenes=n, init_step=init_step, parameters=sum(p.numel() for p in model.parameters()),
                class_weights=None if weights is None else [round(float(w), 4) for w in weights.cpu()])
    lf, lw, vf, vw = train.open_logs(args.out)
    loss_rows, val_rows, best = [], [], -1.0

    def checkpoint(step, t0):
        nonlocal best
        ck = {"config": config, "model": {k: v.detach().cpu() for k, v in model.state_dict().items()},
              "step": init_step + step}
        torch.save(ck, os.path.join(args.out, "last.pth"))
        if val is not None:
            model.eval()
            s = evaluate.scores(evaluate.confusion(model, *val, batch=8))
            extra = ""
            if large is not None:
                import tiles
                for mode in ("whole", "tiled"):
                    t = tiles.evaluate_large(model, *large, args.width, args.height, mode, False, device)
                    extra += f" {mode} {t['miou']:.4f}"
                    meta.setdefault("val_large_miou", []).append((step, mode, round(t["miou"], 4)))
            train_mode()
            val_rows.append((step, s["miou"]))
            vw.writerow([step, f"{s['miou']:.4f}", f"{s['pixel_accuracy']:.4f}", f"{time.time() - t0:.1f}"])
            vf.flush()
            print(f"val step {step}: mIoU {s['miou']:.4f} acc {s['pixel_accuracy']:.4f}"
                  + (f"; {len(large[0])} large scenes:{extra}" if extra else ""), flush=True)
            if s["miou"] > best:
                best = s["miou"]
                torch.save(ck, os.path.join(args.out, "best.pth"))
        train.plot(loss_rows, val_rows, os.path.join(args.out, "loss.png"))
        meta.update(steps_done=step, seconds=round(time.time() - t0, 1), best_val_miou=best,
                    samples_per_second=round(step * args.batch / max(time.time() - t0, 1e-9), 1))
        json.dump(meta, open(os.path.join(args.out, "run.json"), "w"), indent=2)

    t0 = time.time()
    span = stop_at - t0
    next_eval = t0 + args.eval_seconds
    perm, pos, step = torch.randperm(n, generator=gen, device=device), 0, 0
    running = torch.zeros((), device=device)

    def train_mode():
        model.train()
        if args.frozen_bn:
            for mod in model.modules():
                if isinstance(mod, torch.nn.BatchNorm2d):
                    mod.eval()

    train_mode()
    while time.time() < stop_at:
        lr = train.lr_at((time.time() - t0) / span, args.lr, args.warmup)
        for g in opt.param_groups:
            g["lr"] = lr
        if pos + n_whole > n:
            perm, pos = torch.randperm(n, generator=gen, device=device), 0
        idx = perm[pos:pos + n_whole]
        pos += n_whole
        if scaled:
            parts = [(gi[idx].permute(0, 3, 1, 2).float(), gl[idx].long())] if n_whole else []
            parts += [scaled_crops(crop_rng, si, sl, k, args.width, args.height, args.native_share, args.area_share)
                      for si, sl, k, _, _, _ in scaled if k]
            x, y = augment_float(gen, torch.cat([p[0] for p in parts]), torch.cat([p[1] for p in parts]))
        else:
            x, y = augment(gen, gi[idx], gl[idx])
        with torch.autocast(**amp):
            logits = model(x)
        logits = logits.float()
        loss = F.cross_entropy(logits, y, weight=weights, ignore_index=data.IGNORE)
        if args.jaccard > 0:
            loss = loss + args.jaccard * train.soft_jaccard(logits, y, 19)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        running += loss.detach()
        step += 1
        if step % args.log_every == 0:
            mean = float(running) / args.log_every
            running.zero_()
            el = time.time() - t0
            loss_rows.append((step, mean))
            lw.writerow([step, f"{mean:.5f}", f"{lr:.6g}", f"{el:.1f}"])
            lf.flush()
            print(f"step {step} loss {mean:.4f} lr {lr:.2e} {1000 * el / step:.1f}ms/step", flush=True)
        if time.time() >= next_eval:
            checkpoint(step, t0)
            next_eval = time.time() + args.eval_seconds
    checkpoint(step, t0)
    lf.close()
    vf.close()
    print(f"done: {step} steps of {args.batch} in {time.time() - t0:.0f}s, best val mIoU {best:.4f}", flush=True)


if __name__ == "__main__":
    main()
