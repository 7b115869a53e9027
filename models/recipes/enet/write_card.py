"""Write models/shipped/enet-streets/CARD.md from the training record and the evaluation.

    /usr/bin/python3 write_card.py --run runs/enet/run.json --eval runs/enet/eval.json \
        --checkpoint best.pth --out ../../shipped/enet-streets/CARD.md
"""
import argparse
import json
import os

import data


def on_gpu(r):
    return str(r.get("device", "cpu")).startswith("cuda")


def gpu_stage(where, start, r):
    """A train_gpu.py run: whole scenes held on the GPU, bfloat16 autocast, the schedule on elapsed time."""
    return (f"{where}{start}{r['steps_done']} steps in {r['seconds'] / 60:.1f} minutes of one {r['device'].split('(')[-1].rstrip(')')} "
            f"(`train_gpu.py`; the schedule runs on elapsed time: {r['warmup'] * 100:.0f}% warm-up, cosine decay to 2%) of Adam "
            f"(lr {r['lr']}, weight decay {r['weight_decay']}); batch {r['batch']} whole 512x256 scenes drawn from "
            f"{r['train_scenes']:,} ({r.get('data_note', '')}); horizontal flips, brightness/contrast/colour jitter on the GPU; "
            f"forward pass in {r['amp']} autocast, loss in float32: cross-entropy with ignore_index 255 and ENet class weights "
            f"`1/ln({r['weight_c']} + p)` plus {r['jaccard']} x soft Jaccard; seed {r['seed']}; PyTorch {r['torch']} "
            f"(best validation mIoU on {r.get('val_count', 40)} calibration scenes: {r['best_val_miou']:.3f})."
            + (f" {r['note']}" if r.get("note") else ""))


def stage(i, r, n):
    where = f"stage {i + 1} of {n}: " if n > 1 else ""
    start = f"from `{r['init']}`, " if r.get("init") else "from random weights, "
    if on_gpu(r):
        return gpu_stage(where, start, r)
    if r.get("minutes"):
        schedule = (f"{r['steps_done']} steps in a {r['minutes']:.0f}-minute budget (the schedule runs on elapsed time: "
                    f"{r['warmup'] * 100:.0f}% warm-up, cosine decay to 2%)")
    else:
        warm = f"{r['warmup'] * 100:.0f}% warm-up" if r['warmup'] < 1 else f"{r['warmup']} warm-up steps"
        schedule = f"{r['steps_done']} steps ({warm}, cosine decay to 2%)"
    crops = f"batch {r['batch']} {r['crop']}-pixel-wide full-height crops"
    if r.get("rare_crop"):
        crops += (f", {r['rare_crop'] * 100:.0f}% of them centred on a rare class "
                  f"({', '.join(r.get('rare_classes', []))})")
    loss = f"cross-entropy with ignore_index 255 and ENet class weights `1/ln({r['weight_c']} + p)`"
    if r.get("jaccard"):
        loss += f" plus {r['jaccard']} x soft Jaccard (1 - soft IoU, mean over the classes in the batch)"
    return (f"{where}{start}{schedule} of Adam (lr {r['lr']}, weight decay {r['weight_decay']}); {crops}; "
            f"horizontal flips, brightness/contrast/colour jitter; {loss}; seed {r['seed']}; {r['threads']} CPU thread; "
            f"PyTorch {r['torch']}; {r['seconds'] / 60:.0f} minutes on a 2-core AMD EPYC "
            f"(best validation mIoU on {r.get('val_count', 40)} scenes of `{r.get('val')}`: {r['best_val_miou']:.3f})." + (f" {r['note']}" if r.get("note") else ""))


def calibration(cal, uncalibrated):
    offsets = ", ".join(f"{c} {v:+.2f}" for c, v in cal["offsets"].items() if v != 0)
    before = ""
    if uncalibrated:
        before = f" Without them the evaluation below scores mean IoU {json.load(open(uncalibrated))['miou']:.3f}."
    return (f"* Calibration (`calibrate.py`): class weights trade precision for recall on the thin classes and "
            f"the balance they strike is not the one mean IoU wants, so one logit offset per class was searched to maximise mean IoU on "
            f"{cal['count']} generated scenes the network never saw, from training-range seeds (`{cal['scenes']}`: seeds "
            f"900,000 and up, never the evaluation seeds), raising their mean IoU from {cal['calibration_miou_before']:.3f} "
            f"to {cal['calibration_miou_after']:.3f}; the offsets are subtracted from the last layer's bias, so both "
            f"files compute the calibrated scores (offsets: {offsets}).{before}\n")


def limit_sentence(runs, ev, goal):
    cpu = sum(r["seconds"] for r in runs if not on_gpu(r)) / 60
    gpu = sum(r["seconds"] for r in runs if on_gpu(r)) / 60
    spent = f"about {cpu:.0f} minutes of one CPU core" + (f" and {gpu:.1f} minutes of one GPU" if gpu else "")
    if ev["miou"] >= goal:
        return f"The project's goal was a mean IoU of {goal:.2f} on these scenes; {spent} gave {ev['miou']:.3f}."
    return (f"The project's goal was a mean IoU of {goal:.2f} on these scenes; {spent} gave {ev['miou']:.2f}. "
            "The validation curve of the last stage was still rising when its learning rate ran out; longer training, "
            "at a higher input resolution for the thin classes, is the next step.")


def java_table(paths):
    """Rows of `segmenter eval --json` results, one per backend (NAME=PATH)."""
    rows = ["| backend (Java, `segmenter eval`) | mean IoU | pixel accuracy |", "|---|---:|---:|"]
    for spec in paths:
        name, path = spec.split("=", 1)
        j = json.load(open(path))
        rows.append(f"| {name} | {j['miou']:.3f} | {j['pixel_accuracy']:.3f} |")
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True, action="append",
                    help="run.json of each training stage, in order (repeat for a second stage)")
    ap.add_argument("--eval", required=True)
    ap.add_argument("--checkpoint", required=True, help="which checkpoint was exported (for the record)")
    ap.add_argument("--step", type=int, required=True, help="training step of that checkpoint")
    ap.add_argument("--out", required=True)
    ap.add_argument("--parity", default="", help="one paragraph on the cross-runtime check")
    ap.add_argument("--java-eval", action="append", default=[],
                    help="BACKEND=eval.json from `segmenter eval --json` on the same scenes (repeat per backend)")
    ap.add_argument("--goal", type=float, default=0.90)
    ap.add_argument("--data-note", default="", help="a sentence on the data, printed under the data line")
    ap.add_argument("--uncalibrated-eval", help="evaluate.py JSON of the same checkpoint before calibrate.py")
    args = ap.parse_args()
    cal = None
    if args.checkpoint.endswith(".pth") and os.path.exists(args.checkpoint):
        import torch
        cal = torch.load(args.checkpoint, map_location="cpu").get("calibration")
    runs = [json.load(open(p)) for p in args.run]
    onnx = os.path.join(os.path.dirname(os.path.abspath(args.out)), "enet.onnx")
    onnx_mb = os.path.getsize(onnx) / 1e6 if os.path.exists(onnx) else 0.5
    run = runs[0]
    ev = json.load(open(args.eval))
    present = sorted((v, c) for c, v in ev["iou"].items() if v is not None)
    weak = ", ".join(f"{c} {v:.2f}" for v, c in present if v < 0.7)
    weak = f"{weak}: IoU below 0.7" if weak else ", ".join(f"{c} {v:.2f}" for v, c in present[:4]) + ": the lowest four"
    cfg = runs[-1]["config"]
    refine = ""
    if cfg.get("refine"):
        refine = (f"\n* Added to the paper's network: a full-resolution refinement head (width {cfg['refine']}; 1x1 conv of the "
                  f"image and the scores, two 3x3 convs, 1x1 conv to a per-class correction added to the scores), because "
                  f"the paper's last layer makes each 2x2 block of scores from one half-resolution feature vector; "
                  f"{runs[-1]['parameters']:,} parameters in all.")
    rows = []
    for c in data.CLASSES:
        v = ev["iou"][c]
        rows.append(f"| {c} | {'absent' if v is None else f'{v:.3f}'} | {ev['pixels'][c]:,} |")
    text = f"""# enet-streets

ENet (Paszke et al. 2016, arXiv:1606.02147) for the 19 Cityscapes train-id classes, trained from
scratch on {"one CPU core (stages 1 to " + str(sum(not on_gpu(r) for r in runs)) + ") and one GPU (the rest)" if any(on_gpu(r) for r in runs) else "CPU"} on street scenes drawn by this project's procedural generator
(`dev.segmenter.scenes.SceneWriter`). Files: `enet.onnx` (ONNX opset 11, static
`1x3x256x512`, input `input`, output `logits`) and `enet.pt` (TorchScript, `torch.jit.trace`),
the same weights. Output: NCHW class scores (logits) at the full input resolution.

## What it was trained on, and how

* Data: {run['train_scenes']} generated scenes, 512x256, generator seeds 1..{run['train_scenes']}
  (`--seed 1 --count {run['train_scenes']}`); labels are Cityscapes train ids, 255 void.{(chr(10) + '  ' + args.data_note) if args.data_note else ''}
* Network: ENet with widths {tuple(cfg['widths'])} (the paper: 16, 64, 128), {cfg['stage1_repeats']} stage-1
  bottlenecks (paper: 4), stages 2 and 3 as in the paper, {run['parameters']:,} parameters;
  max-unpooling rebuilt from portable operators (see `models/recipes/enet/enet.py`).{refine}
* Input: BGR, `x = (pixel - 127.5) / 127.5`, NCHW, 512x256 (stretch).
* Training: """ + "\n* ".join(stage(i, r, len(runs)) for i, r in enumerate(runs)) + f"""
  Exported checkpoint: `{args.checkpoint}`, step {args.step} of the last stage.
""" + (calibration(cal, args.uncalibrated_eval) if cal else "") + f"""* Recipe and training record: `models/recipes/enet/` (README.md; one folder per training stage under `results/`: loss.csv, val.csv, loss.png, run.json;
  `results/`: the evaluations and the export check).

## Accuracy

{ev['scenes']} held-out generated scenes (seeds 1,000,000..1,000,{ev['scenes'] - 1:03d}), 512x256, PyTorch on `enet.pt`:
**mean IoU {ev['miou']:.3f}** over the {ev['classes_present']} classes present (in labels or predictions),
**pixel accuracy {ev['pixel_accuracy']:.3f}**.

| class | IoU | labelled pixels |
|---|---:|---:|
""" + "\n".join(rows) + f"""

{("The same 200 scenes through the Java pipeline (`./segmenter eval --backend B --images DIR --labels DIR --json`), "
   "on each backend:" + chr(10) + chr(10) + java_table(args.java_eval)) if args.java_eval else ""}

{args.parity}

## Limits

* It has never seen a photograph. It knows the generator's flat-shaded boxes, trees and poles,
  its camera height and its palette; on real street photos expect mostly wrong maps.
  It is the project's default model because it is small (about {onnx_mb:.1f} MB per file), free of
  licence questions and reproducible, not because it is useful on real images.
* `train` (class 16) never occurs in the training data; thin, small and rare things are the weakest
  classes ({weak}), as the table shows.
  {limit_sentence(runs, ev, args.goal)}
* Fixed input size 512x256; other image sizes are stretched to it.
"""
    open(args.out, "w").write(text)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
