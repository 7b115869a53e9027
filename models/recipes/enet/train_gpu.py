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
    dev = images.device
    b = images.shape[0]
    x = images.permute(0, 3, 1, 2).float()
    y = labels.long()
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
    weights = train.weights_from_counts(counts, args.weight_c).to(device) if args.weight_c > 0 else None
    print(f"{n} training scenes on {device} in {time.time() - t_start:.1f}s", flush=True)

    config = dict(enet.SHIPPED, widths=tuple(int(v) for v in args.widths.split(",")),
                  stage1_repeats=args.stage1_repeats, refine=args.refine)
    model = enet.ENet(**config)
    init_step = train.load_init(model, args.init, config) if args.init else 0
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    amp = dict(device_type=device.type, dtype=torch.bfloat16, enabled=args.amp == "bf16")
    meta = dict(vars(args), config=config, torch=torch.__version__, python=platform.python_version(),
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
            model.train()
            val_rows.append((step, s["miou"]))
            vw.writerow([step, f"{s['miou']:.4f}", f"{s['pixel_accuracy']:.4f}", f"{time.time() - t0:.1f}"])
            vf.flush()
            print(f"val step {step}: mIoU {s['miou']:.4f} acc {s['pixel_accuracy']:.4f}", flush=True)
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
    model.train()
    while time.time() < stop_at:
        lr = train.lr_at((time.time() - t0) / span, args.lr, args.warmup)
        for g in opt.param_groups:
            g["lr"] = lr
        if pos + args.batch > n:
            perm, pos = torch.randperm(n, generator=gen, device=device), 0
        idx = perm[pos:pos + args.batch]
        pos += args.batch
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
