"""Writes the TensorBoard fixtures nntop's reader is tested on, with the real writers, and the
listing TensorBoard's own reader (EventAccumulator) gives for them (expected.txt).

Run from this folder with PyTorch and TensorBoard installed:  python3 make_fixtures.py
The output is committed; rerun only to change the fixtures.
"""

import math
import os
import shutil

import numpy as np
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2
from tensorboard.compat.proto.event_pb2 import Event
from tensorboard.summary.writer.event_file_writer import EventFileWriter
from torch.utils.tensorboard import SummaryWriter

HERE = os.path.dirname(os.path.abspath(__file__))
LOGDIR = os.path.join(HERE, "logdir")


def pytorch_runs():
    # The defaults: simple_value scalars and legacy histograms; one NaN.
    w = SummaryWriter(os.path.join(LOGDIR, "pytorch"))
    rng = np.random.default_rng(0)
    for step in range(0, 50, 5):
        w.add_scalar("train/loss", 2.3 * math.exp(-step / 20), step, walltime=1_700_000_000 + step)
        w.add_scalar("lr", 0.1, step, walltime=1_700_000_000 + step)
        w.add_histogram("activations/fc1", rng.normal(size=1000) + step / 10, step, walltime=1_700_000_000 + step)
    w.add_scalar("val/loss", float("nan"), 45, walltime=1_700_000_045)
    w.add_text("notes", "lr 0.1 -> 0.05", 45, walltime=1_700_000_045)
    w.close()
    # new_style tensors, float and double.
    w = SummaryWriter(os.path.join(LOGDIR, "pytorch_new_style"))
    for step in range(3):
        w.add_scalar("loss", 1 / (step + 1), step, new_style=True, walltime=1_700_000_100 + step)
        w.add_scalar("precise", 1 / 3 + step, step, new_style=True, double_precision=True, walltime=1_700_000_100)
    w.close()


def tensor_scalar(value, dtype=types_pb2.DT_FLOAT):
    t = tensor_pb2.TensorProto(dtype=dtype, tensor_shape=tensor_shape_pb2.TensorShapeProto())
    if dtype == types_pb2.DT_FLOAT:
        t.float_val.append(value)
    else:
        t.double_val.append(value)
    return t


def keras_like_runs():
    # TF2's forms (what tf.summary / Keras write), built from TensorBoard's own protobuf classes.
    meta_scalar = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars"))
    meta_hist = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="histograms"))
    for split, base in (("train", 1.0), ("validation", 1.2)):
        w = EventFileWriter(os.path.join(LOGDIR, "keras", split))
        for epoch in range(4):
            loss = base / (epoch + 1)
            t = tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, tensor_shape=tensor_shape_pb2.TensorShapeProto(),
                                       tensor_content=np.float32(loss).tobytes())
            values = [summary_pb2.Summary.Value(tag="epoch_loss", tensor=t, metadata=meta_scalar)]
            if split == "train":
                rows = np.array([[-1, 0, 3], [0, 1, 5], [1, 2, epoch]], dtype=np.float64)
                shape = tensor_shape_pb2.TensorShapeProto(dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=3),
                                                               tensor_shape_pb2.TensorShapeProto.Dim(size=3)])
                h = tensor_pb2.TensorProto(dtype=types_pb2.DT_DOUBLE, tensor_shape=shape, tensor_content=rows.tobytes())
                values.append(summary_pb2.Summary.Value(tag="dense/kernel_0", tensor=h, metadata=meta_hist))
                values.append(summary_pb2.Summary.Value(tag="epoch_learning_rate",
                                                        tensor=tensor_scalar(0.001 * (epoch + 1)), metadata=meta_scalar))
            w.add_event(Event(wall_time=1_700_000_200 + epoch, step=epoch, summary=summary_pb2.Summary(value=values)))
        w.close()


def ddp_run():
    # Two ranks' files in one run, one of them empty (as DDP jobs leave them).
    folder = os.path.join(LOGDIR, "ddp")
    w = SummaryWriter(folder, filename_suffix=".rank0")
    for step in range(4):
        w.add_scalar("loss", 0.5 - step / 10, step, walltime=1_700_000_300 + step)
    w.close()
    open(os.path.join(folder, "events.out.tfevents.1700000300.host.999.1.rank1"), "wb").close()


def pytorch_layers_run():
    # A small PyTorch model's histograms as people log them: each named parameter, its gradient,
    # and activations caught by forward hooks, under both common spellings.
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential()
    model.add_module("fc1", torch.nn.Linear(4, 8))
    model.add_module("relu", torch.nn.ReLU())
    model.add_module("fc2", torch.nn.Linear(8, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    seen = {}
    model.relu.register_forward_hook(lambda m, i, o: seen.__setitem__("activations/fc1", o.detach()))
    model.fc2.register_forward_hook(lambda m, i, o: seen.__setitem__("fc2/activations", o.detach()))
    w = SummaryWriter(os.path.join(LOGDIR, "pytorch_layers"))
    x = torch.randn(64, 4)
    y = (x[:, 0] > 0).long() + (x[:, 1] > 0).long()
    for step in range(0, 30, 10):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        wall = 1_700_000_400 + step
        w.add_scalar("train/loss", loss.item(), step, walltime=wall)
        for name, parameter in model.named_parameters():
            w.add_histogram(name, parameter.detach(), step, walltime=wall)
        w.add_histogram("fc1.weight.grad", model.fc1.weight.grad, step, walltime=wall)
        for tag, value in seen.items():
            w.add_histogram(tag, value, step, walltime=wall)
        optimizer.step()
    w.close()


def expected_listing():
    lines = []
    for root, _, files in sorted(os.walk(LOGDIR)):
        if not any("tfevents" in f for f in files):
            continue
        run = os.path.relpath(root, LOGDIR)
        acc = event_accumulator.EventAccumulator(root, size_guidance={event_accumulator.SCALARS: 0,
                                                                      event_accumulator.TENSORS: 0})
        acc.Reload()
        tags = acc.Tags()
        series = {t: [(e.step, e.value) for e in acc.Scalars(t)] for t in tags["scalars"]}
        for t in tags["tensors"]:
            events = acc.Tensors(t)
            values = [tensor_value(e.tensor_proto) for e in events]
            if all(v is not None for v in values):
                series[t] = [(e.step, v) for e, v in zip(events, values)]
        for tag in sorted(series):
            points = series[tag]
            lines.append(f"{run} {tag} points={len(points)} last_step={points[-1][0]} last={points[-1][1]:.6g}")
    return sorted(lines)


def tensor_value(proto):
    """A rank-0 number as TensorBoard's data server reads it, or None."""
    if proto.tensor_shape.dim:
        return None
    if proto.float_val:
        return proto.float_val[0]
    if proto.double_val:
        return proto.double_val[0]
    if proto.tensor_content and proto.dtype == types_pb2.DT_FLOAT:
        return float(np.frombuffer(proto.tensor_content, dtype=np.float32)[0])
    if proto.tensor_content and proto.dtype == types_pb2.DT_DOUBLE:
        return float(np.frombuffer(proto.tensor_content, dtype=np.float64)[0])
    return None


if __name__ == "__main__":
    import sys

    # `make_fixtures.py pytorch_layers` writes that run alone, leaving the others as committed.
    if sys.argv[1:] == ["pytorch_layers"]:
        shutil.rmtree(os.path.join(LOGDIR, "pytorch_layers"), ignore_errors=True)
    else:
        shutil.rmtree(LOGDIR, ignore_errors=True)
        pytorch_runs()
        keras_like_runs()
        ddp_run()
    pytorch_layers_run()
    with open(os.path.join(HERE, "expected.txt"), "w") as f:
        f.write("\n".join(expected_listing()) + "\n")
