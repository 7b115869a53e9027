"""Export an ENet checkpoint to ONNX (opset 11, static 1x3xHxW, input 'input', output 'logits')
and TorchScript (torch.jit.trace).

    /usr/bin/python3 export.py --checkpoint runs/enet/best.pth --out ../../shipped/enet-streets
    /usr/bin/python3 export.py --random-seed 0 --out /tmp/enet-random   # export check before training
"""
import argparse
import os

import torch

import enet


def inline_identities(path):
    """PyTorch's exporter shares equal weights (two untouched PReLU slopes, say) through Identity
    nodes, which OpenCV's ONNX importer rejects; give each its own copy of the constant instead."""
    import onnx
    from onnx import numpy_helper
    m = onnx.load(path)
    consts = {t.name: t for t in m.graph.initializer}
    keep = []
    for n in m.graph.node:
        if n.op_type == "Identity" and n.input[0] in consts:
            copy = numpy_helper.from_array(numpy_helper.to_array(consts[n.input[0]]), n.output[0])
            m.graph.initializer.append(copy)
        else:
            keep.append(n)
    if len(keep) != len(m.graph.node):
        del m.graph.node[:]
        m.graph.node.extend(keep)
        onnx.checker.check_model(m)
        onnx.save(m, path)


def export(model, out_dir, width, height, onnx_name="enet.onnx", ts_name="enet.pt"):
    model.eval()
    os.makedirs(out_dir, exist_ok=True)
    dummy = torch.zeros(1, 3, height, width)
    with torch.no_grad():
        torch.onnx.export(model, dummy, os.path.join(out_dir, onnx_name), opset_version=11,
                          input_names=["input"], output_names=["logits"], do_constant_folding=True)
        inline_identities(os.path.join(out_dir, onnx_name))
        traced = torch.jit.trace(model, dummy)
        traced = torch.jit.freeze(traced)
        torch.jit.save(traced, os.path.join(out_dir, ts_name))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint")
    ap.add_argument("--random-seed", type=int)
    ap.add_argument("--out", required=True)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--height", type=int, default=256)
    args = ap.parse_args()
    if args.checkpoint:
        ck = torch.load(args.checkpoint, map_location="cpu")
        model = enet.ENet(**ck["config"])
        model.load_state_dict(ck["model"])
    else:
        torch.manual_seed(args.random_seed or 0)
        model = enet.build()
        if model.refine is not None:  # its last conv starts at zero: make the check exercise the head
            torch.nn.init.normal_(model.refine.out.weight, std=0.05)
        # give batch norm non-trivial statistics so the check exercises them
        model.train()
        with torch.no_grad():
            for _ in range(3):
                model(torch.randn(2, 3, args.height, args.width))
    export(model, args.out, args.width, args.height)
    print("exported to", args.out)


if __name__ == "__main__":
    main()
