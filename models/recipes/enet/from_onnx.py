"""Rebuild a training checkpoint (.pth) from an exported ENet ONNX file, for fine-tuning a shipped model
whose training checkpoint is gone (stage 7; see README.md).

    /usr/bin/python3 from_onnx.py --onnx ../../shipped/enet-streets/enet.onnx --check-ts ../../shipped/enet-streets/enet.pt \
        --out runs/enet7/init.pth

export.py exports in eval mode, so every batch norm that follows a convolution is folded into it (the
convolution gains a bias), and enet.pt is frozen the same way. The ONNX node names keep the module paths
(`/down1/ext/ext.0/ext.0.0/Conv` is `down1.ext.0.0`), so each weight goes back to its module: a folded
convolution's weight to the convolution, its bias to the batch norm after it, whose statistics become the
identity (mean 0, variance 1 - eps, scale 1). The rebuilt network computes the same function in eval mode
(checked against enet.pt on random input); in train mode its batch norms would normalise with batch statistics
and change it, so train_gpu.py fine-tunes such a checkpoint with --frozen-bn (batch norms in eval mode).
"""
import argparse

import numpy as np
import onnx
import torch
from onnx import numpy_helper

import enet


def module_path(node_name):
    """'/down1/ext/ext.0/ext.0.0/Conv' -> 'down1.ext.0.0'; '/initial/act/PRelu' -> 'initial.act'."""
    parts = [p for p in node_name.split("/") if p][:-1]
    path = []
    for p in parts:  # a Sequential child is named 'ext.0.0' under 'ext/ext.0': keep the last full name
        if path and p.startswith(".".join(path[-1:]) + "."):
            path[-1] = p
        else:
            path.append(p)
    return ".".join(path)


def rebuild(onnx_path):
    m = onnx.load(onnx_path)
    consts = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in m.graph.initializer}
    model = enet.ENet(**enet.SHIPPED).eval()
    modules = dict(model.named_modules())
    sd = {k: v.clone() for k, v in model.state_dict().items()}
    done = set()

    def put(key, value):
        if key not in sd:
            raise SystemExit(f"{key}: no such parameter")
        sd[key] = value.reshape(sd[key].shape).to(sd[key].dtype)
        done.add(key)

    for n in m.graph.node:
        if n.op_type not in ("Conv", "ConvTranspose", "PRelu", "BatchNormalization"):
            continue
        path = module_path(n.name)
        mod = modules.get(path)
        if mod is None:
            raise SystemExit(f"{n.name}: no module {path}")
        if n.op_type == "PRelu":
            put(path + ".weight", consts[n.input[1]])
        elif n.op_type == "BatchNormalization":
            for key, inp in zip(("weight", "bias", "running_mean", "running_var"), n.input[1:5]):
                put(f"{path}.{key}", consts[inp])
        else:
            put(path + ".weight", consts[n.input[1]])
            if len(n.input) > 2:
                if mod.bias is not None:
                    put(path + ".bias", consts[n.input[2]])
                else:  # a folded batch norm: the next module of the Sequential
                    parent, _, index = path.rpartition(".")
                    bn = parent + "." + str(int(index) + 1)
                    if not isinstance(modules.get(bn), torch.nn.BatchNorm2d):
                        raise SystemExit(f"{n.name}: bias but no batch norm after {path}")
                    eps = modules[bn].eps
                    put(bn + ".bias", consts[n.input[2]])
                    put(bn + ".weight", torch.ones_like(sd[bn + ".weight"]))
                    put(bn + ".running_mean", torch.zeros_like(sd[bn + ".running_mean"]))
                    put(bn + ".running_var", torch.full_like(sd[bn + ".running_var"], 1.0 - eps))
    missing = [k for k in sd if k not in done and not k.endswith("num_batches_tracked")]
    if missing:
        raise SystemExit(f"not rebuilt from {onnx_path}: {missing}")
    model.load_state_dict(sd)
    return model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--check-ts", help="TorchScript export of the same model to compare with")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    model = rebuild(args.onnx)
    if args.check_ts:
        ts = torch.jit.load(args.check_ts, map_location="cpu").eval()
        torch.manual_seed(0)
        x = torch.rand(2, 3, 256, 512) * 2 - 1
        with torch.no_grad():
            a, b = ts(x), model(x)
        d = float((a - b).abs().max())
        agree = float((a.argmax(1) == b.argmax(1)).float().mean())
        print(f"against {args.check_ts}: max abs logit difference {d:.2e}, argmax agreement {100 * agree:.3f}%")
        if d > 1e-3:
            raise SystemExit("the rebuilt model differs")
    torch.save({"config": dict(enet.SHIPPED), "model": model.state_dict(), "step": 0,
                "rebuilt_from": args.onnx}, args.out)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
