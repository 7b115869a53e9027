"""The tutorial's pipeline as the plain Python batch script a user would write: a folder in, three files out per image.

    /usr/bin/python3 benchmarks/python/batch_pipeline.py --model models/shipped/enet-streets \
        --images DIR --out DIR [--colors palette-bgr.txt] [--threads N]

Per image, in order (the seed tutorial's steps, Debian's python3-opencv + numpy, cv2.imwrite's default PNG settings):
  image = cv2.imread(path)
  blob = cv2.dnn.blobFromImage(image, scale, (W, H), mean, swapRB)   [then / std when the card has one]
  net.setInput(blob); scores = net.forward()                           [cv2.dnn.readNet(model.onnx), read once]
  class_map = np.argmax(scores[0], axis=0)
  ids = cv2.resize(class_map.astype(np.uint8), (w, h), INTER_NEAREST)  -> NAME.classes.png
  color = cv2.resize(colors[class_map], (w, h), INTER_NEAREST)          -> NAME.color.png
  overlay = cv2.addWeighted(image, 0.5, color, 0.5, 0)                  -> NAME.overlay.png
The same three files `segmenter segment` writes by default. Prints one JSON object: images, seconds of the loop
(decode to files written), images/s, per-stage medians in ms. Time the whole process from outside to include the
interpreter's start and the model load (benchmarks/run batch does).
"""
import argparse
import json
import os
import sys
import time

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from classic_pipeline import load_card, load_colors, make_blob, read_net, run_net  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="model directory with model.yaml and an onnx file")
    ap.add_argument("--images", required=True, help="folder of images ('*.labels.png' skipped)")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--colors", help="palette file, one 'B G R' a line (default: seeded random colors)")
    ap.add_argument("--threads", type=int, default=0, help="cv2.setNumThreads; 0 = every core")
    a = ap.parse_args()

    threads = a.threads if a.threads > 0 else os.cpu_count()
    cv2.setNumThreads(threads)
    card = load_card(a.model)
    colors = load_colors(a.colors, card["classes"])
    net, fixup = read_net(card["onnx"], os.path.join("/tmp", "batch-pipeline-" + card["name"]))
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
    names = sorted(n for n in os.listdir(a.images)
                   if n.lower().endswith((".png", ".jpg", ".jpeg")) and ".labels." not in n)
    if not names:
        sys.exit(f"{a.images}: no images")
    os.makedirs(a.out, exist_ok=True)

    stages = ["decode", "preprocess", "forward", "post", "write", "total"]
    t = {s: [] for s in stages}
    start = time.perf_counter()
    for n in names:
        t0 = time.perf_counter()
        image = cv2.imread(os.path.join(a.images, n), cv2.IMREAD_COLOR)
        h, w = image.shape[:2]
        t1 = time.perf_counter()
        blob = make_blob(image, card)
        t2 = time.perf_counter()
        scores = run_net(net, blob, card)
        t3 = time.perf_counter()
        class_map = np.argmax(scores[0], axis=0)
        ids = cv2.resize(class_map.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST)
        color = cv2.resize(colors[class_map], (w, h), interpolation=cv2.INTER_NEAREST)
        overlay = cv2.addWeighted(image, 0.5, color, 0.5, 0)
        t4 = time.perf_counter()
        base = os.path.join(a.out, os.path.splitext(n)[0])
        cv2.imwrite(base + ".classes.png", ids)
        cv2.imwrite(base + ".color.png", color)
        cv2.imwrite(base + ".overlay.png", overlay)
        t5 = time.perf_counter()
        for s, (x, y) in zip(stages, [(t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5), (t0, t5)]):
            t[s].append((y - x) * 1e3)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "pipeline": "python-batch", "opencv": cv2.__version__, "numpy": np.__version__,
        "python": sys.version.split()[0], "model": card["name"], "images": len(names), "threads": threads,
        "seconds": round(seconds, 3), "images_per_s": round(len(names) / seconds, 3),
        "median_ms": {s: round(float(np.median(t[s])), 3) for s in stages}, "onnx_fixup": fixup,
    }))


if __name__ == "__main__":
    main()
