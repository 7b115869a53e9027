"""Export check: the exported files against the checkpoint they came from, before anything ships.

    /usr/bin/python3 parity.py --checkpoint runs/b/best.pth --model-dir ../../shipped/enet-streets --data data/eval

Runs the checkpoint (PyTorch, eager), enet.pt (TorchScript) and enet.onnx (OpenCV DNN from Python) on evaluation
scenes 0, 50, 100, 150, 199 and a uniform random input; prints the worst absolute logit difference and the argmax
agreement of each export against the checkpoint.  The Java side (OpenCV DNN 4.9, ONNX Runtime, PyTorch via DJL)
is checked by the build (BackendAgreementTest) and end to end by `segmenter eval` on each backend.
"""
import argparse
import os

import cv2
import numpy as np
import torch

import data
import evaluate


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--data", required=True)
    args = ap.parse_args()
    torch.set_num_threads(1)
    images, _ = data.load_scenes(args.data, 512, 256)
    picks = [i for i in (0, 50, 100, 150, 199) if i < len(images)]
    inputs = [data.to_input(images[i:i + 1]) for i in picks]
    rng = np.random.default_rng(0)
    inputs.append(data.to_input(rng.integers(0, 256, size=(1, 256, 512, 3), dtype=np.uint8)))
    ref = evaluate.load_model(args.checkpoint)
    ts = torch.jit.load(os.path.join(args.model_dir, "enet.pt"), map_location="cpu").eval()
    net = cv2.dnn.readNetFromONNX(os.path.join(args.model_dir, "enet.onnx"))
    worst = {"enet.pt (TorchScript)": [0.0, 1.0], f"enet.onnx (OpenCV {cv2.__version__} DNN)": [0.0, 1.0]}
    with torch.no_grad():
        for x in inputs:
            want = ref(x).numpy()
            got = {}
            got["enet.pt (TorchScript)"] = ts(x).numpy()
            net.setInput(x.numpy())
            got[f"enet.onnx (OpenCV {cv2.__version__} DNN)"] = net.forward()
            for name, out in got.items():
                diff = float(np.abs(out - want).max())
                agree = float((out.argmax(1) == want.argmax(1)).mean())
                worst[name][0] = max(worst[name][0], diff)
                worst[name][1] = min(worst[name][1], agree)
    for name, (diff, agree) in worst.items():
        print(f"{name}: max abs logit difference {diff:.1e}, argmax agreement {agree * 100:.3f}%")


if __name__ == "__main__":
    main()
