#!/usr/bin/env python3
"""Export torchvision's pretrained VOC-label segmentation models for segmenter.

Run this where the weights can be downloaded (torchvision fetches them from
download.pytorch.org into the torch hub cache and checks the sha256 prefix in
the file name). For each model it writes into OUT/NAME/:

  model.onnx   ONNX, fixed input 1x3x520x520 named 'input', output 'out' (scores, NCHW)
  model.pt     TorchScript (torch.jit.trace), same input, returns the 'out' tensor
  model.yaml   a copy of models/catalog/NAME/model.yaml (the card that describes both files)
  SHA256SUMS   sha256 of the three files

then checks that the TorchScript module, ONNX Runtime (if installed) and OpenCV's
DNN module (if installed) reproduce the eager model's scores on a random input.

  python3 export_torchvision.py --out "$SEGMENTER_MODELS"                 # all three
  python3 export_torchvision.py --out ~/models --model lraspp-mnv3
  python3 export_torchvision.py --out /tmp/x --untrained                  # no download: random weights

--untrained builds the same networks with random weights (weights=None,
weights_backbone=None) and writes them as NAME-untrained with 'trained: false':
useful to test the export path and timings, useless for segmenting anything.

Tested with torch 1.13 / torchvision 0.14 (Debian bookworm's python3-torch);
torchvision >= 0.13 is needed for the weights API.
"""

import argparse
import hashlib
import os
import re
import sys

import torch
import torchvision
from torchvision.models import segmentation as seg

SIZE = 520  # torchvision's SemanticSegmentation preset: resize_size=520

# card name -> (builder, weights enum name, weights file name as published by torchvision)
MODELS = {
    "lraspp-mnv3": ("torchvision-lraspp-mnv3-voc", seg.lraspp_mobilenet_v3_large,
                    "LRASPP_MobileNet_V3_Large_Weights", "lraspp_mobilenet_v3_large-d234d4ea.pth"),
    "deeplabv3-mnv3": ("torchvision-deeplabv3-mnv3-voc", seg.deeplabv3_mobilenet_v3_large,
                       "DeepLabV3_MobileNet_V3_Large_Weights", "deeplabv3_mobilenet_v3_large-fc3c493d.pth"),
    "fcn-resnet50": ("torchvision-fcn-resnet50-voc", seg.fcn_resnet50,
                     "FCN_ResNet50_Weights", "fcn_resnet50_coco-1167a1af.pth"),
}

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG = os.path.normpath(os.path.join(HERE, "..", "..", "catalog"))


class OutOnly(torch.nn.Module):
    """torchvision's segmentation models return {'out': ..., 'aux': ...}; keep 'out' only."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x)["out"]


def build(key, untrained):
    card_name, builder, weights_enum, _ = MODELS[key]
    if untrained:
        net = builder(weights=None, weights_backbone=None, num_classes=21)
    else:
        weights = getattr(seg, weights_enum).COCO_WITH_VOC_LABELS_V1
        verify_weights(weights.url)
        net = builder(weights=weights)
        cats = list(weights.meta["categories"])
        if len(cats) != 21 or cats[1] != "aeroplane" or cats[-1] != "tvmonitor":
            sys.exit(f"{key}: unexpected categories {cats}; the card assumes the 21 VOC classes")
    return OutOnly(net.eval()).eval()


def verify_weights(url):
    """Downloads the weights into the torch hub cache (as torchvision would) and checks that the file's
    sha256 begins with the hex digits in its name; torchvision itself does not check."""
    name = url.rsplit("/", 1)[1]
    prefix = re.search(r"-([a-f0-9]{8,})\.pth$", name).group(1)
    path = os.path.join(torch.hub.get_dir(), "checkpoints", name)
    if not os.path.isfile(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        torch.hub.download_url_to_file(url, path, hash_prefix=prefix, progress=True)
    digest = sha256(path)
    if not digest.startswith(prefix):
        sys.exit(f"{path}: sha256 {digest} does not begin with {prefix}; delete the file and run again")
    print(f"  weights {name}: {os.path.getsize(path):,d} bytes, sha256 {digest}")


def card_text(card_name, untrained):
    path = os.path.join(CATALOG, card_name, "model.yaml")
    if not os.path.isfile(path):
        sys.exit(f"{path}: catalog card not found (run this script from a segmenter checkout)")
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines(keepends=True)
    while lines and lines[0].startswith("#"):  # the catalog's "files are not shipped" note
        lines.pop(0)
    text = f"# Written by models/recipes/torchvision/export_torchvision.py from models/catalog/{card_name}/model.yaml\n"
    text += "".join(lines)
    if untrained:
        text, n1 = re.subn(r"(?m)^name: .*$", f"name: {card_name}-untrained", text, count=1)
        text, n2 = re.subn(r"(?m)^trained: .*$", "trained: false", text, count=1)
        text, n3 = re.subn(r"(?m)^title: (.*)$", r"title: UNTRAINED (random weights) \1", text, count=1)
        if (n1, n2, n3) != (1, 1, 1):
            sys.exit(f"{path}: expected one 'name:', 'title:' and 'trained:' line each")
    return text


def drop_constant_identities(path):
    """Removes Identity nodes that only forward an initializer (torch.onnx emits them for weights that share
    values, e.g. the equal biases of a randomly initialised net); OpenCV's ONNX importer rejects them."""
    import onnx
    m = onnx.load(path)
    g = m.graph
    inits = {i.name for i in g.initializer}
    outputs = {o.name for o in g.output}
    alias = {}
    keep = []
    for n in g.node:
        if n.op_type == "Identity" and n.input[0] in inits and n.output[0] not in outputs:
            alias[n.output[0]] = n.input[0]
        else:
            keep.append(n)
    if not alias:
        return 0
    for n in keep:
        for i, name in enumerate(n.input):
            if name in alias:
                n.input[i] = alias[name]
    del g.node[:]
    g.node.extend(keep)
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return len(alias)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check(model, pt_path, onnx_path, tol):
    """Compares TorchScript, ONNX Runtime and OpenCV DNN scores with the eager model's; returns failures."""
    torch.manual_seed(0)
    x = torch.rand(1, 3, SIZE, SIZE) * 4 - 2  # roughly the range of normalised images
    with torch.no_grad():
        ref = model(x).numpy()
        got = {"torchscript": torch.jit.load(pt_path).eval()(x).numpy()}
    try:
        import onnxruntime as ort
        sess = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
        got["onnxruntime"] = sess.run(["out"], {"input": x.numpy()})[0]
    except ImportError:
        print("  onnxruntime not installed: ONNX Runtime check skipped")
    try:
        import cv2
        net = cv2.dnn.readNetFromONNX(onnx_path)
        net.setInput(x.numpy())
        got["opencv " + cv2.__version__] = net.forward()
    except ImportError:
        print("  cv2 not installed: OpenCV check skipped")
    except cv2.error as e:  # noqa: F821 (cv2 is bound when this is reached)
        lines = [ln.strip() for ln in str(e).splitlines() if "error:" in ln] or [str(e).strip()]
        print(f"  OpenCV {cv2.__version__} cannot run the ONNX file: {lines[-1]}")
    failures = []
    ref_ids = ref.argmax(1)
    scale = float(abs(ref).max())
    for name, out in got.items():
        if out.shape != ref.shape:
            failures.append(f"{name}: shape {out.shape}, expected {ref.shape}")
            continue
        diff = float(abs(out - ref).max())
        rel = diff / max(scale, 1e-30)
        agree = float((out.argmax(1) == ref_ids).mean())
        status = "ok" if rel <= tol else "MISMATCH"
        print(f"  {name:22s} max |diff| {diff:.2e} ({rel:.1e} of max |score| {scale:.2e}), "
              f"argmax agreement {agree:.5f}  {status}")
        if status != "ok":
            failures.append(f"{name}: max |diff| {diff:.3e} is {rel:.1e} of the largest score")
    return failures


def export(key, out_root, opset, untrained, tol):
    card_name = MODELS[key][0] + ("-untrained" if untrained else "")
    target = os.path.join(out_root, card_name)
    os.makedirs(target, exist_ok=True)
    print(f"{card_name}: building ({'random weights' if untrained else 'COCO_WITH_VOC_LABELS_V1'})")
    model = build(key, untrained)
    example = torch.zeros(1, 3, SIZE, SIZE)
    onnx_path = os.path.join(target, "model.onnx")
    pt_path = os.path.join(target, "model.pt")
    with torch.no_grad():
        torch.onnx.export(model, example, onnx_path, opset_version=opset, input_names=["input"],
                          output_names=["out"], do_constant_folding=True)
        traced = torch.jit.trace(model, example)
        traced.save(pt_path)
    import onnx
    onnx.checker.check_model(onnx.load(onnx_path))
    dropped = drop_constant_identities(onnx_path)
    if dropped:
        print(f"  removed {dropped} Identity node(s) that forward a weight (OpenCV's ONNX importer rejects them)")
    card_path = os.path.join(target, "model.yaml")
    with open(card_path, "w", encoding="utf-8") as f:
        f.write(card_text(MODELS[key][0], untrained))
    sums = [(sha256(p), os.path.basename(p)) for p in (onnx_path, pt_path, card_path)]
    with open(os.path.join(target, "SHA256SUMS"), "w", encoding="utf-8") as f:
        f.writelines(f"{h}  {n}\n" for h, n in sums)
    for h, n in sums:
        print(f"  {n:10s} {os.path.getsize(os.path.join(target, n)):>11,d} bytes  sha256 {h}")
    failures = check(model, pt_path, onnx_path, tol)
    print(f"  -> {target}")
    return failures


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="folder that receives one sub-folder per model (e.g. $SEGMENTER_MODELS)")
    p.add_argument("--model", choices=sorted(MODELS) + ["all"], default="all")
    p.add_argument("--opset", type=int, default=13, choices=(11, 12, 13), help="ONNX opset (default 13)")
    p.add_argument("--untrained", action="store_true", help="random weights, no download (tests the export path)")
    p.add_argument("--tol", type=float, default=1e-3,
                   help="allowed max |diff| as a fraction of the largest |score| (default 1e-3)")
    a = p.parse_args()
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}")
    torch.set_grad_enabled(False)
    keys = sorted(MODELS) if a.model == "all" else [a.model]
    failures = []
    for key in keys:
        failures += [f"{key}: {f}" for f in export(key, a.out, a.opset, a.untrained, a.tol)]
    if failures:
        sys.exit("export checks failed:\n  " + "\n  ".join(failures))


if __name__ == "__main__":
    main()
