"""UNTRAINED torchvision segmentation networks, for timing only (their outputs are meaningless).

    cd models/recipes/timing && /usr/bin/python3 make_timing_models.py

Writes models/timing/<name>/{model.onnx, model.pt, model.yaml} (git-ignored; re-create them with
this script).  torch.manual_seed(0), num_classes=21, weights=None, weights_backbone=None,
input 1x3x512x512, output 'out' of torchvision's result dict (NCHW scores at input resolution).
"""
import os

import torch
import torchvision.models.segmentation as seg

SIZE = 512
MODELS = ["lraspp_mobilenet_v3_large", "deeplabv3_mobilenet_v3_large", "fcn_resnet50"]
VOC = ["background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
       "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor"]


class OutOnly(torch.nn.Module):
    """torchvision returns a dict; tracing and ONNX export want a tensor."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


def card(name):
    return "\n".join([
        f"name: {name.replace('_', '-')}",
        f"title: UNTRAINED {name} (random weights, timing only)",
        "description: >",
        f"  torchvision {name} with random weights (torch.manual_seed(0), weights=None,",
        "  weights_backbone=None). Its class maps are noise: use it only to time backends.",
        "classes:",
    ] + [f"  - {c}" for c in VOC] + [
        "palette: voc",
        "input:",
        f"  width: {SIZE}",
        f"  height: {SIZE}",
        "  layout: NCHW",
        "  color: RGB",
        "  scale: 0.00392156862745098",
        "  mean: [123.675, 116.28, 103.53]",
        "  std: [0.229, 0.224, 0.225]",
        "  fit: stretch",
        "  name: input",
        "output:",
        "  kind: scores",
        "  layout: NCHW",
        "  name: out",
        "files:",
        "  onnx: model.onnx",
        "  torchscript: model.pt",
        "source: models/recipes/timing/make_timing_models.py",
        "trained: false",
        "",
    ])


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "timing")
    for name in MODELS:
        torch.manual_seed(0)
        model = OutOnly(getattr(seg, name)(num_classes=21, weights=None, weights_backbone=None)).eval()
        out = os.path.join(root, name.replace("_", "-"))
        os.makedirs(out, exist_ok=True)
        dummy = torch.zeros(1, 3, SIZE, SIZE)
        with torch.no_grad():
            torch.onnx.export(model, dummy, os.path.join(out, "model.onnx"), opset_version=11,
                              input_names=["input"], output_names=["out"])
            torch.jit.save(torch.jit.trace(model, dummy), os.path.join(out, "model.pt"))
        with open(os.path.join(out, "model.yaml"), "w") as f:
            f.write(card(name))
        print(name, "->", os.path.normpath(out))


if __name__ == "__main__":
    main()
