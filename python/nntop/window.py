"""Loss, accuracy and throughput between two records; what a training step's tensors say."""

import math
import time

import torch


class Window:
    """Loss, accuracy and throughput since a point in time (throughput of all `world` processes)."""

    def __init__(self, world=1):
        self.world = world
        self.loss = 0.0
        self.steps = 0
        self.correct = 0
        self.seen = 0
        self.examples = 0
        self.start = time.monotonic()

    def add(self, loss, correct, batch):
        self.loss += loss
        self.steps += 1
        self.examples += batch
        if correct is not None:
            self.correct += correct
            self.seen += batch

    def mean_loss(self):
        return self.loss / self.steps if self.steps else math.nan

    def accuracy(self):
        return self.correct / self.seen if self.seen else None

    def rate(self):
        seconds = time.monotonic() - self.start
        return self.examples * self.world / seconds if seconds > 0 else 0.0


def batch_size(outputs, targets, default):
    for tensor in (outputs, targets):
        if isinstance(tensor, torch.Tensor) and tensor.dim() > 0:
            return int(tensor.shape[0])
    return int(default or 0)


def correct_count(outputs, targets):
    """Examples classified right: argmax over classes, or a 0.5 threshold for one output."""
    # Integer results: no autograd graph is built, so no `no_grad` is needed.
    if outputs.dim() > 1 and outputs.shape[-1] > 1:
        predicted = outputs.argmax(dim=-1)
    else:
        predicted = (outputs.reshape(targets.shape) > 0).to(targets.dtype)
    return int((predicted == targets).sum())
