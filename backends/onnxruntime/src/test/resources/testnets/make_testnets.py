#!/usr/bin/python3
"""Builds the tiny test networks of the three backend modules and the values they must produce.

Run with Debian's python (torch 1.13, onnx, opencv):  /usr/bin/python3 make_testnets.py
It writes into backends/{onnxruntime,opencv,pytorch}/src/test/resources/testnets/ (next to this file and
its two siblings). Deterministic: fixed seed, so re-running gives the same files.

The network: conv 3x3 (3 -> 4 channels, pad 1) -> ReLU -> conv 1x1 (4 -> 4), on a 1x3x8x8 input.
Text files: first line '# shape d0 d1 ...', then one value per line ('%.9g' floats, plain ints).
"""
import os
import struct

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
MODULES = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", ".."))  # backends/


def out_dir(module):
    d = os.path.join(MODULES, module, "src", "test", "resources", "testnets")
    os.makedirs(d, exist_ok=True)
    return d


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 4, 1)

    def forward(self, x):
        return self.conv2(torch.relu(self.conv1(x)))


class ScoresAndClasses(nn.Module):
    """Three outputs: float scores, int64 class ids, int32 class ids."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        s = self.net(x)
        c = torch.argmax(s, dim=1)
        return s, c, c.to(torch.int32)


class Classes64(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.argmax(self.net(x), dim=1)


class Classes32(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.argmax(self.net(x), dim=1).to(torch.int32)


class DictOut(nn.Module):
    """torchvision-style segmentation output: {'out': scores, 'aux': scores * 2}."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        s = self.net(x)
        return {"aux": s * 2.0, "out": s}


def write_txt(path, array, fmt):
    with open(path, "w") as f:
        f.write("# shape " + " ".join(str(d) for d in array.shape) + "\n")
        for v in array.reshape(-1):
            f.write(fmt % v + "\n")


def write_darknet(cfg_path, weights_path, net):
    """The same network as a Darknet cfg + weights pair (OpenCV reads it with readNetFromDarknet)."""
    with open(cfg_path, "w") as f:
        f.write("[net]\nwidth=8\nheight=8\nchannels=3\n\n"
                "[convolutional]\nfilters=4\nsize=3\nstride=1\npad=1\nactivation=relu\n\n"
                "[convolutional]\nfilters=4\nsize=1\nstride=1\npad=1\nactivation=linear\n")
    with open(weights_path, "wb") as f:
        f.write(struct.pack("<iiiq", 0, 2, 0, 0))  # major, minor, revision, images seen (int64 since 0.2)
        for conv in (net.conv1, net.conv2):
            f.write(conv.bias.detach().numpy().astype("<f4").tobytes())
            f.write(conv.weight.detach().numpy().astype("<f4").tobytes())


def main():
    torch.manual_seed(20261125)
    net = Net().eval()
    x = torch.rand(1, 3, 8, 8) * 2.0 - 1.0
    with torch.no_grad():
        scores = net(x)
    classes = torch.argmax(scores, dim=1)
    both = ScoresAndClasses(net).eval()

    ort, cv, pt = out_dir("onnxruntime"), out_dir("opencv"), out_dir("pytorch")
    for d in (ort, cv, pt):
        write_txt(os.path.join(d, "input.txt"), x.numpy(), "%.9g")
        write_txt(os.path.join(d, "scores.txt"), scores.numpy(), "%.9g")
        write_txt(os.path.join(d, "classes.txt"), classes.numpy(), "%d")

    for d in (ort, cv):
        torch.onnx.export(net, x, os.path.join(d, "conv.onnx"), opset_version=11,
                          input_names=["input"], output_names=["scores"])
    # the same network with any input height and width (for outputs whose shape follows the input's)
    torch.onnx.export(net, x, os.path.join(ort, "conv_dynamic.onnx"), opset_version=11,
                      input_names=["input"], output_names=["scores"],
                      dynamic_axes={"input": {2: "height", 3: "width"}, "scores": {2: "height", 3: "width"}})
    torch.onnx.export(both, x, os.path.join(ort, "conv_multi.onnx"), opset_version=11,
                      input_names=["input"], output_names=["scores", "classes", "classes32"])
    write_darknet(os.path.join(cv, "conv.cfg"), os.path.join(cv, "conv.weights"), net)

    with torch.no_grad():
        torch.jit.trace(net, x).save(os.path.join(pt, "conv.pt"))
        torch.jit.trace(both, x).save(os.path.join(pt, "conv_tuple.pt"))
        torch.jit.trace(Classes64(net).eval(), x).save(os.path.join(pt, "conv_classes64.pt"))
        torch.jit.trace(Classes32(net).eval(), x).save(os.path.join(pt, "conv_classes32.pt"))
        torch.jit.script(DictOut(net).eval()).save(os.path.join(pt, "conv_dict.pt"))
    # the wrong kind of file: a plain state_dict, not TorchScript
    torch.save(net.state_dict(), os.path.join(pt, "state_dict.pth"))

    # self-check with OpenCV's python binding: the ONNX and Darknet files give the same numbers
    import cv2
    for n in (cv2.dnn.readNetFromONNX(os.path.join(cv, "conv.onnx")),
              cv2.dnn.readNetFromDarknet(os.path.join(cv, "conv.cfg"), os.path.join(cv, "conv.weights"))):
        n.setInput(x.numpy())
        diff = np.abs(n.forward() - scores.numpy()).max()
        assert diff < 1e-5, diff
    print("wrote test nets; max |scores| =", float(scores.abs().max()))


if __name__ == "__main__":
    main()
