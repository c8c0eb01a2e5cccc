"""Reads the MNIST IDX files (raw or .gz) from a folder, such as this repository's datasets/mnist.

Returns float32 images scaled to [0, 1], shape (N, 784), and int64 labels, shape (N,), as torch
tensors. Standard library and PyTorch only.
"""

import gzip
import os
import struct

import torch

DEFAULT_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "datasets", "mnist"))


def _read(folder, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rb") as f:
                return f.read()
    raise FileNotFoundError(f"{stem}[.gz] not found in {folder}")


def _images(buf, what):
    magic, n, rows, cols = struct.unpack(">IIII", buf[:16])
    if magic != 2051 or len(buf) != 16 + n * rows * cols:
        raise ValueError(f"{what}: not an IDX image file")
    pixels = torch.frombuffer(bytearray(buf), dtype=torch.uint8, offset=16)
    return pixels.reshape(n, rows * cols).to(torch.float32) / 255.0


def _labels(buf, what):
    magic, n = struct.unpack(">II", buf[:8])
    if magic != 2049 or len(buf) != 8 + n:
        raise ValueError(f"{what}: not an IDX label file")
    return torch.frombuffer(bytearray(buf), dtype=torch.uint8, offset=8).to(torch.int64)


def load(folder=DEFAULT_DIR):
    """(x_train, y_train, x_test, y_test)."""
    get = lambda stem: _read(folder, stem)  # noqa: E731
    return (
        _images(get("train-images-idx3-ubyte"), "train images"),
        _labels(get("train-labels-idx1-ubyte"), "train labels"),
        _images(get("t10k-images-idx3-ubyte"), "test images"),
        _labels(get("t10k-labels-idx1-ubyte"), "test labels"),
    )
