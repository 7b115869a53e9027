"""The classic Python segmentation pipeline, timed per stage: the baseline our engine is compared with.

    /usr/bin/python3 benchmarks/python/classic_pipeline.py --model models/shipped/enet-streets \
        --images DIR [--frames 50] [--warmup 10] [--threads N] [--colors lut-bgr.txt] [--out DIR]

What it does per frame, as tutorials and most scripts do it (Debian's python3-opencv + numpy):
  blob = cv2.dnn.blobFromImage(image, scale, (W, H), mean, swapRB)   [then / std when the card has one]
  net.setInput(blob); scores = net.forward()                           [cv2.dnn.readNet(model.onnx)]
  class_map = np.argmax(scores[0], axis=0)
  colors = palette[class_map]
  colors = cv2.resize(colors, image size, interpolation=cv2.INTER_NEAREST)
  overlay = cv2.addWeighted(image, 0.5, colors, 0.5, 0)

The images (PNG files of --images, '*.labels.png' skipped) are decoded once before timing, as our driver does.
Prints one JSON object: frames/s (frames / sum of per-frame time) and per-stage medians in ms. With --out it
writes python-classes.png (class ids of the first image, at image size) and python-overlay.png there.
"""
import argparse
import json
import os
import sys
import time

import cv2
import numpy as np
import yaml


def load_card(model_dir):
    with open(os.path.join(model_dir, "model.yaml")) as f:
        card = yaml.safe_load(f)
    inp = card["input"]
    if inp.get("fit", "stretch") != "stretch":
        sys.exit(f"{model_dir}: input.fit {inp['fit']} is not what blobFromImage does; only stretch is supported here")
    if inp.get("layout", "NCHW") != "NCHW" or card.get("output", {}).get("kind", "scores") != "scores":
        sys.exit(f"{model_dir}: only NCHW inputs and 'scores' outputs are supported here")
    onnx = card["files"].get("onnx")
    if onnx is None:
        sys.exit(f"{model_dir}: the card names no onnx file")
    classes = card["classes"]
    return {
        "name": card["name"],
        "onnx": os.path.join(model_dir, onnx if isinstance(onnx, str) else onnx["model"]),
        "width": int(inp["width"]),
        "height": int(inp["height"]),
        "rgb": str(inp.get("color", "RGB")).upper() == "RGB",
        "scale": float(inp.get("scale", 1.0)),
        "mean": [float(v) for v in inp.get("mean", [0, 0, 0])],
        "std": [float(v) for v in inp.get("std", [1, 1, 1])],
        "classes": len(classes),
        "output": card.get("output", {}).get("name"),
    }


def load_images(folder):
    names = sorted(n for n in os.listdir(folder) if n.endswith(".png") and ".labels" not in n)
    if not names:
        sys.exit(f"{folder}: no .png images")
    return [cv2.imread(os.path.join(folder, n), cv2.IMREAD_COLOR) for n in names]


def read_net(onnx_path, scratch):
    """cv2.dnn.readNet, or, when OpenCV 4.6 refuses the graph, the same graph with each Identity of a weight
    replaced by a copy of that weight (torch.onnx writes those for shared weights; 4.6's importer cannot)."""
    try:
        return cv2.dnn.readNet(onnx_path), None
    except cv2.error as e:
        first = " ".join(str(e).split())[-160:]
    import onnx
    model = onnx.load(onnx_path)
    inits = {i.name: i for i in model.graph.initializer}
    keep = []
    folded = 0
    for node in model.graph.node:
        if node.op_type == "Identity" and node.input[0] in inits:
            copy = onnx.TensorProto()
            copy.CopyFrom(inits[node.input[0]])
            copy.name = node.output[0]
            model.graph.initializer.append(copy)
            folded += 1
        else:
            keep.append(node)
    if folded == 0:
        sys.exit(f"{onnx_path}: OpenCV {cv2.__version__} cannot read this model: {first}")
    del model.graph.node[:]
    model.graph.node.extend(keep)
    os.makedirs(scratch, exist_ok=True)
    fixed = os.path.join(scratch, "model.cv" + cv2.__version__.replace(".", "") + ".onnx")
    onnx.save(model, fixed)
    note = (f"OpenCV {cv2.__version__} refused the graph ({first}); ran it with {folded} Identity-of-weight nodes "
            f"folded into weight copies (same computation)")
    print("classic_pipeline: " + note, file=sys.stderr)
    return cv2.dnn.readNet(fixed), note


def make_blob(image, card):
    """cv2.dnn.blobFromImage with the card's scale, size, mean and channel order, then / std when it has one."""
    blob = cv2.dnn.blobFromImage(image, card["scale"], (card["width"], card["height"]), tuple(card["mean"]),
                                 swapRB=card["rgb"], crop=False)
    std = np.array(card["std"], dtype=np.float32).reshape(1, 3, 1, 1)
    if np.any(std != 1):
        blob /= std
    return blob


def run_net(net, blob, card):
    """net.forward on the blob, reading the card's output by name when it names one."""
    net.setInput(blob)
    return net.forward(card["output"]) if card["output"] else net.forward()


def load_colors(path, classes):
    if path:
        colors = np.loadtxt(path, dtype=np.uint8).reshape(-1, 3)
    else:
        colors = np.random.default_rng(0).integers(0, 256, size=(classes, 3), dtype=np.uint8)
    if len(colors) < classes:
        sys.exit(f"{path}: {len(colors)} colors for {classes} classes")
    return colors


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="model directory with model.yaml and an onnx file")
    ap.add_argument("--images", required=True, help="folder of PNG images")
    ap.add_argument("--frames", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--threads", type=int, default=0, help="cv2.setNumThreads; 0 = every core")
    ap.add_argument("--colors", help="palette file, one 'B G R' a line (default: seeded random colors)")
    ap.add_argument("--out", help="folder for python-classes.png and python-overlay.png of the first image")
    a = ap.parse_args()

    threads = a.threads if a.threads > 0 else os.cpu_count()
    cv2.setNumThreads(threads)
    card = load_card(a.model)
    images = load_images(a.images)
    colors = load_colors(a.colors, card["classes"])
    net, fixup = read_net(card["onnx"], a.out or os.path.join("/tmp", "classic-pipeline-" + card["name"]))
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
    stages = ["preprocess", "forward", "argmax", "color", "resize", "blend", "total"]
    t = {s: [] for s in stages}
    for i in range(a.warmup + a.frames):
        image = images[i % len(images)]
        h, w = image.shape[:2]
        t0 = time.perf_counter()
        blob = make_blob(image, card)
        t1 = time.perf_counter()
        scores = run_net(net, blob, card)
        t2 = time.perf_counter()
        class_map = np.argmax(scores[0], axis=0)
        t3 = time.perf_counter()
        color = colors[class_map]
        t4 = time.perf_counter()
        color = cv2.resize(color, (w, h), interpolation=cv2.INTER_NEAREST)
        t5 = time.perf_counter()
        overlay = cv2.addWeighted(image, 0.5, color, 0.5, 0)
        t6 = time.perf_counter()
        if i == 0 and a.out:
            os.makedirs(a.out, exist_ok=True)
            ids = cv2.resize(class_map.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST)
            cv2.imwrite(os.path.join(a.out, "python-classes.png"), ids)
            cv2.imwrite(os.path.join(a.out, "python-overlay.png"), overlay)
        if i >= a.warmup:
            for s, (x, y) in zip(stages, [(t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t5, t6), (t0, t6)]):
                t[s].append((y - x) * 1e3)

    h, w = images[0].shape[:2]
    print(json.dumps({
        "pipeline": "python", "backend": "opencv-python", "version": cv2.__version__, "numpy": np.__version__,
        "python": sys.version.split()[0], "model": card["name"], "image": f"{w}x{h}", "frames": a.frames,
        "warmup": a.warmup, "threads": threads, "fps": round(a.frames / (sum(t["total"]) / 1e3), 3),
        "median_ms": {s: round(float(np.median(t[s])), 3) for s in stages}, "onnx_fixup": fixup,
    }))


if __name__ == "__main__":
    main()
