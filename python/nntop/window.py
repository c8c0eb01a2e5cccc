"""Loss, accuracy and throughput between two records; what a training step's tensors say."""

import math
import time

import torch


class Window:
    """Loss, accuracy and throughput since a point in time (throughput of all `world` processes).

    `clock` is the run's clock of time spent training (seconds; waiting while paused does not
    advance it), so a pause never lowers samples/s, as in nntop's own trainer.
    """

    def __init__(self, world=1, clock=time.monotonic):
        self.world = world
        self.clock = clock
        self.loss = 0.0
        self.loss_examples = 0  # the examples `loss` sums over
        self.correct = 0
        self.seen = 0
        self.examples = 0
        self.start = clock()
        self.end = None

    def add(self, batch):
        """One step of `batch` examples (its loss and right answers come with `add_read`)."""
        self.examples += batch
        self.end = self.clock()

    def add_read(self, loss, loss_examples, correct, seen):
        """What `HeldSteps.read` found for steps already added: `loss`, the steps' losses each
        times its examples, summed over `loss_examples` examples; `correct` right answers of `seen`."""
        self.loss += loss
        self.loss_examples += loss_examples
        self.correct += correct
        self.seen += seen

    def mean_loss(self):
        return self.loss / self.loss_examples if self.loss_examples else math.nan

    def accuracy(self):
        return self.correct / self.seen if self.seen else None

    def skip_since_last_step(self):
        """Leaves the time since the last step out of this window (the loop's validation before
        `run.epoch`): a progress window that spans an epoch's end had counted it (483 samples/s
        where the loop ran at 1 171)."""
        if self.end is not None:
            self.start += max(0.0, self.clock() - self.end)
            self.end = self.clock()

    def rate(self, to_last_step=False):
        """Examples a second until now, or with `to_last_step` until the last step: an epoch's
        time after it is the loop's validation, which `run.epoch` follows and which is not
        training time (the epoch lines had counted it: 44 741 samples/s where the loop measured
        50 004)."""
        end = self.end if to_last_step and self.end is not None else self.clock()
        seconds = end - self.start
        return self.examples * self.world / seconds if seconds > 0 else 0.0


def batch_size(outputs, targets, default):
    if type(targets) is torch.Tensor and targets.ndim:  # the usual case, first (it runs every step)
        return targets.shape[0]
    for tensor in (outputs, targets):
        if isinstance(tensor, torch.Tensor) and tensor.dim() > 0:
            return int(tensor.shape[0])
    return int(default or 0)


def correct_count(outputs, targets):
    """Examples classified right: argmax over classes, or a 0.5 threshold for one output."""
    # Integer results: no autograd graph is built, so no `no_grad` is needed.
    if outputs.dim() == 2 and outputs.shape[1] > 1 and targets.dim() == 1 and targets.dtype == torch.int64:
        # The row maximum is a third of argmax's time on CPU (few classes); when every row has
        # one maximum (no ties, no NaN) it is where argmax is.
        at_max = outputs == outputs.amax(dim=1, keepdim=True)
        if int(at_max.sum()) == outputs.shape[0]:
            return int(at_max.gather(1, targets.unsqueeze(1)).sum())
    if outputs.dim() > 1 and outputs.shape[-1] > 1:
        predicted = outputs.argmax(dim=-1)
    else:
        predicted = (outputs.reshape(targets.shape) > 0).to(targets.dtype)
    return int((predicted == targets).sum())

