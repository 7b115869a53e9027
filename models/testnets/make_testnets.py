"""Tiny seeded-random networks that exercise the engine's output handling on every backend.

    cd models/testnets && /usr/bin/python3 make_testnets.py

Each net takes 1x3x48x64 (NCHW, RGB, x = pixel / 255) and writes <name>/net.onnx (opset 11),
<name>/net.pt (torch.jit.trace) and <name>/model.yaml.  Weights are random (torch.manual_seed);
the outputs mean nothing, only their shapes, layouts and types matter.
"""
import os

import torch
import torch.nn as nn

W, H = 64, 48


class Body(nn.Module):
    """conv 3x3 stride 2 -> ReLU -> conv 3x3 -> ReLU -> conv 1x1 to `out` channels, at half resolution."""

    def __init__(self, out):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(),
                                 nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, out, 1))

    def forward(self, x):
        return self.net(x)


class Nhwc(Body):
    def forward(self, x):
        return self.net(x).permute(0, 2, 3, 1)


class Ids(Body):
    def forward(self, x):
        # ArgMax yields int64; OpenCV 4.9's importer runs ArgMax but hands back floats, so the engine
        # must accept both.  keepdim keeps the result 1x1xHxW (NCHW).
        return torch.argmax(self.net(x), dim=1, keepdim=True)


class Sigmoid(Body):
    def forward(self, x):
        return torch.sigmoid(self.net(x))


NETS = [
    # name, module, number of classes, output kind, output layout, output name
    ("tiny-nchw", lambda: Body(5), 5, "scores", "NCHW"),
    ("tiny-nhwc", lambda: Nhwc(5), 5, "scores", "NHWC"),
    ("tiny-ids", lambda: Ids(5), 5, "class-ids", "NCHW"),
    ("tiny-sigmoid", lambda: Sigmoid(1), 2, "sigmoid", "NCHW"),
    ("tiny-300", lambda: Body(300), 300, "scores", "NCHW"),
]

DESCRIPTIONS = {
    "tiny-nchw": "NCHW scores for 5 classes at half the input resolution (the engine must upsample).",
    "tiny-nhwc": "The tiny-nchw body with its output transposed to NHWC (1x24x32x5).",
    "tiny-ids": "Class ids (argmax inside the graph, int64 in ONNX/TorchScript), 1x1x24x32.",
    "tiny-sigmoid": "One sigmoid channel (probability of class 1), 1x1x24x32, threshold 0.5.",
    "tiny-300": "300 classes of NCHW scores (class maps need 16 bits), 1x300x24x32.",
}


def card(name, classes, kind, layout):
    if kind == "sigmoid":
        names = ["background", "foreground"]
    else:
        names = [f"class{i}" for i in range(classes)]
    lines = [
        f"name: {name}",
        f"title: Test network {name} (random weights, outputs mean nothing)",
        f"description: >",
        f"  {DESCRIPTIONS[name]} Seeded random weights; made by models/testnets/make_testnets.py.",
        "classes:",
    ] + [f"  - {n}" for n in names] + [
        "palette: generated",
        "input:",
        f"  width: {W}",
        f"  height: {H}",
        "  layout: NCHW",
        "  color: RGB",
        "  scale: 0.00392156862745098",
        "  mean: [0, 0, 0]",
        "  std: [1, 1, 1]",
        "  fit: stretch",
        "  name: input",
        "output:",
        f"  kind: {kind}",
        f"  layout: {layout}",
    ] + (["  threshold: 0.5"] if kind == "sigmoid" else []) + [
        "  name: out",
        "files:",
        "  onnx: net.onnx",
        "  torchscript: net.pt",
        "source: models/testnets/make_testnets.py (seeded random weights)",
        "trained: false",
        "",
    ]
    return "\n".join(lines)


def centre(model, classes):
    """Shift the last bias so that, on a seeded random image, the classes are roughly balanced
    (several classes win somewhere; the sigmoid straddles 0.5) and tests see more than one class."""
    with torch.no_grad():
        scores = model.net(torch.rand(1, 3, H, W))
        last = model.net[-1]
        if classes == 2 and scores.shape[1] == 1:
            last.bias -= scores.median()
        else:
            last.bias -= scores.mean(dim=(0, 2, 3))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for seed, (name, make, classes, kind, layout) in enumerate(NETS):
        torch.manual_seed(seed)
        model = make().eval()
        centre(model, classes)
        out = os.path.join(here, name)
        os.makedirs(out, exist_ok=True)
        dummy = torch.zeros(1, 3, H, W)
        with torch.no_grad():
            torch.onnx.export(model, dummy, os.path.join(out, "net.onnx"), opset_version=11,
                              input_names=["input"], output_names=["out"])
            torch.jit.save(torch.jit.trace(model, dummy), os.path.join(out, "net.pt"))
        with open(os.path.join(out, "model.yaml"), "w") as f:
            f.write(card(name, classes, kind, layout))
        print(name, tuple(model(torch.rand(1, 3, H, W)).shape))


if __name__ == "__main__":
    main()
