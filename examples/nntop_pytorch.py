#!/usr/bin/env python3
"""nntop checkpoints and PyTorch: read, evaluate, convert both ways.

Reading and converting need only NumPy (safetensors is a simple format: an 8-byte little-endian
header length, a JSON header, raw little-endian float32 data); only `torch_model` imports torch.

  python3 examples/nntop_pytorch.py info CKPT
      the layers, shapes and metadata of an nntop checkpoint
  python3 examples/nntop_pytorch.py eval CKPT [--data datasets/mnist]
      MNIST test accuracy computed here with NumPy alone: the same number `nntop eval CKPT` prints,
      which checks the layout, the input normalisation and the batch-norm mapping below
  python3 examples/nntop_pytorch.py to-torch CKPT OUT.safetensors
      rename and transpose into an nn.Sequential state dict (load it with
      model.load_state_dict(safetensors.torch.load_file(OUT)) on the model `torch_model` builds)
  python3 examples/nntop_pytorch.py to-nntop TORCH.safetensors OUT.safetensors --dataset NAME
                                   [--activation relu] [--batch-norm]
      the reverse: a weights-only nntop checkpoint that `nntop eval` reads

The mapping (docs/run-log.md, "Checkpoints"):
  nntop hiddenK.weight [fan_in, fan_out] (forward x @ W)  ->  Linear.weight [out, in] = W.T
  nntop hiddenK.bias                                      ->  Linear.bias
  with batch norm the hidden Linear has no bias, and is followed by BatchNorm1d(eps=1e-5,
  momentum=0.1): gamma -> weight, beta -> bias, running_mean, running_var (unbiased, as PyTorch)
  then the activation, then Dropout (nntop's inverted dropout, as PyTorch's).
  nn.Sequential numbers its children, so with batch norm hidden1 is 0 (Linear), 1 (BatchNorm1d),
  2 (activation), 3 (Dropout); without it 0, 1, 2; the output Linear comes last.
Inputs: MNIST pixels / 255 (no mean subtraction), flattened row by row to 784 values.
"""
import argparse
import gzip
import json
import os
import struct
import sys

import numpy as np

ACTIVATIONS = ["relu", "tanh", "sigmoid", "leaky-relu", "elu", "linear"]
LOSS_FOR_DATASET = {
    "mnist": "softmax-cross-entropy", "spiral": "softmax-cross-entropy", "gaussians": "softmax-cross-entropy",
    "xor": "sigmoid-binary-cross-entropy", "circles": "sigmoid-binary-cross-entropy", "sine": "squared-error",
}


def read_safetensors(path):
    """(metadata dict or None, {name: float32 array}) in file order."""
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length])
    metadata = header.pop("__metadata__", None)
    data = raw[8 + length:]
    tensors = {}
    for name, entry in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        if entry["dtype"] != "F32":
            sys.exit(f"{path}: {name} is {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"])
    return metadata, tensors


def write_safetensors(path, tensors, metadata=None):
    header, offset, blobs = {}, 0, []
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, array in tensors.items():
        blob = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode()
    text += b" " * (-(8 + len(text)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def load_checkpoint(path):
    """The network description (nntop's `network` metadata) and its tensors."""
    metadata, tensors = read_safetensors(path)
    if not metadata or metadata.get("format") != "nntop-checkpoint":
        sys.exit(f"{path}: not an nntop checkpoint (no nntop __metadata__)")
    return json.loads(metadata["network"]), metadata, tensors


def layer_names(network):
    return [f"hidden{i + 1}" for i in range(len(network["hidden"]))] + ["output"]


def activate(name, x):
    if name == "relu":
        return np.maximum(x, 0)
    if name == "tanh":
        return np.tanh(x)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "leaky-relu":
        return np.where(x > 0, x, 0.01 * x)
    if name == "elu":
        return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))
    return x


def forward(network, tensors, x):
    """Inference (batch norm on its running statistics, no dropout): the output layer's logits."""
    for name in layer_names(network):
        x = x @ tensors[name + ".weight"]
        if name + ".bias" in tensors:
            x = x + tensors[name + ".bias"]
        if name == "output":
            return x
        if network.get("batch_norm"):
            mean, var = tensors[name + ".running_mean"], tensors[name + ".running_var"]
            x = (x - mean) / np.sqrt(var + 1e-5) * tensors[name + ".gamma"] + tensors[name + ".beta"]
        x = activate(network["activation"], x)


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist_test(folder):
    def find(stem):
        for name in (stem + ".gz", stem):
            if os.path.exists(os.path.join(folder, name)):
                return os.path.join(folder, name)
        sys.exit(f"{folder}: no {stem}(.gz)")
    images = read_idx(find("t10k-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255
    return images, read_idx(find("t10k-labels-idx1-ubyte")).astype(np.int64)


def torch_state_dict(network, tensors):
    """nntop tensors under nn.Sequential's names, weights transposed to [out, in] (NumPy arrays)."""
    out, index = {}, 0
    for name in layer_names(network):
        out[f"{index}.weight"] = tensors[name + ".weight"].T
        if name + ".bias" in tensors:
            out[f"{index}.bias"] = tensors[name + ".bias"]
        index += 1
        if name == "output":
            break
        if network.get("batch_norm"):
            for ours, theirs in [("gamma", "weight"), ("beta", "bias"), ("running_mean", "running_mean"),
                                 ("running_var", "running_var")]:
                out[f"{index}.{theirs}"] = tensors[f"{name}.{ours}"]
            index += 1
        index += 2  # the activation and Dropout hold no tensors
    return out


def torch_model(network, dropout=0.0):
    """The nn.Sequential that `torch_state_dict` fits (needs torch)."""
    import torch.nn as nn

    kinds = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "leaky-relu": lambda: nn.LeakyReLU(0.01),
             "elu": nn.ELU, "linear": nn.Identity}
    layers, width = [], network["input"]
    for units in network["hidden"]:
        layers.append(nn.Linear(width, units, bias=not network.get("batch_norm")))
        if network.get("batch_norm"):
            layers.append(nn.BatchNorm1d(units, eps=1e-5, momentum=0.1))
        layers += [kinds[network["activation"]](), nn.Dropout(dropout)]
        width = units
    layers.append(nn.Linear(width, network["output"]))
    return nn.Sequential(*layers)


def from_torch(tensors, dataset, activation, batch_norm):
    """An nntop weights-only checkpoint's tensors and metadata from a Sequential state dict."""
    weights = sorted((int(k.split(".")[0]) for k in tensors if k.endswith(".weight") and tensors[k].ndim == 2))
    names = [f"hidden{i + 1}" for i in range(len(weights) - 1)] + ["output"]
    out = {}
    for name, index in zip(names, weights):
        out[name + ".weight"] = tensors[f"{index}.weight"].T
        if f"{index}.bias" in tensors:
            out[name + ".bias"] = tensors[f"{index}.bias"]
        if batch_norm and name != "output":
            for ours, theirs in [("gamma", "weight"), ("beta", "bias"), ("running_mean", "running_mean"),
                                 ("running_var", "running_var")]:
                out[f"{name}.{ours}"] = tensors[f"{index + 1}.{theirs}"]
    shapes = [out[n + ".weight"].shape for n in names]
    network = {"input": shapes[0][0], "hidden": [s[1] for s in shapes[:-1]], "output": shapes[-1][1],
               "activation": activation, "loss": LOSS_FOR_DATASET[dataset], "batch_norm": batch_norm, "init": "he"}
    metadata = {"format": "nntop-checkpoint", "version": "1", "dataset": dataset, "network": json.dumps(network)}
    return out, metadata


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("info").add_argument("checkpoint")
    e = sub.add_parser("eval")
    e.add_argument("checkpoint")
    e.add_argument("--data", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "datasets", "mnist"))
    t = sub.add_parser("to-torch")
    t.add_argument("checkpoint")
    t.add_argument("output")
    n = sub.add_parser("to-nntop")
    n.add_argument("torch_file")
    n.add_argument("output")
    n.add_argument("--dataset", required=True, choices=sorted(LOSS_FOR_DATASET))
    n.add_argument("--activation", default="relu", choices=ACTIVATIONS)
    n.add_argument("--batch-norm", action="store_true")
    a = p.parse_args()
    if a.command == "to-nntop":
        _, tensors = read_safetensors(a.torch_file)
        out, metadata = from_torch(tensors, a.dataset, a.activation, a.batch_norm)
        write_safetensors(a.output, out, metadata)
        return
    network, metadata, tensors = load_checkpoint(a.checkpoint)
    if a.command == "info":
        print(f"{metadata['dataset']}: {network}")
        for name, array in tensors.items():
            print(f"  {name:28s} {list(array.shape)}")
    elif a.command == "eval":
        if metadata["dataset"] != "mnist":
            sys.exit("eval reads MNIST only (the synthetic sets are generated by nntop)")
        images, labels = mnist_test(a.data)
        logits = forward(network, tensors, images)
        print(f"test accuracy {np.mean(logits.argmax(axis=1) == labels) * 100:.2f}%")
    else:
        write_safetensors(a.output, torch_state_dict(network, tensors), {"format": "pt"})


if __name__ == "__main__":
    main()
