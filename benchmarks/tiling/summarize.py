"""Prints a Markdown table of the accuracy-COUNT-*.json files that benchmarks/tiling/accuracy.sh wrote.

Usage: /usr/bin/python3 benchmarks/tiling/summarize.py RESULTS_DIR COUNT
"""
import glob
import json
import os
import sys

folder, count = sys.argv[1], sys.argv[2]
thin = ["pole", "traffic light", "person", "rider"]
print(f"| images ({count}) | run | mean IoU | " + " | ".join(thin) + " |")
print("|---|---|---|" + "---|" * len(thin))
for path in sorted(glob.glob(os.path.join(folder, f"accuracy-{count}-*.json"))):
    name = os.path.basename(path)[len(f"accuracy-{count}-"):-len(".json")]
    images, run = name, ""
    for s in ("-whole-bilinear", "-whole-flip", "-tiled-flip", "-tiled-aligned", "-whole", "-tiled"):
        if name.endswith(s):
            images, run = name[: -len(s)], s[1:]
            break
    try:
        with open(path) as f:
            r = json.load(f)
    except ValueError:
        continue  # a run still in progress
    iou = {c["name"]: c["iou"] for c in r["per_class"]}
    print(f"| {images} | {run} | {r['miou']:.4f} | " + " | ".join(f"{iou.get(t, float('nan')):.4f}" for t in thin) + " |")
