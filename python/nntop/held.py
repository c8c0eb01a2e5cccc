"""What the steps since the last record said, read together: one sync per record, not per step."""

import math

import torch

from .window import correct_count


class HeldSteps:
    """Each step's loss, outputs and targets, held until the next record reads them all at once.

    Reading a loss (`.item()`) and counting right answers (argmax, compare, sum, a sync) at every
    step cost 45–60 µs on the reference recipe (a 1.3 ms step), more than the rest of `run.step`;
    holding them costs a few µs, and a record reads them in a handful of operations (on a GPU it
    also keeps the step from waiting for the device). The outputs are held detached and the
    targets as a copy (a loop may refill one targets buffer in place); a large output is counted
    at once (holding it would cost memory), and the held steps are read early once `HELD_STEPS`
    steps or `HELD_ELEMENTS` output elements wait. An output changed in place after `run.step` is
    found by its version and left out of the accuracy (`left_out` counts its examples).
    """

    STEP_LIMIT = 1 << 16  # output elements of one step that may be held
    HELD_ELEMENTS = 1 << 22
    HELD_STEPS = 1024

    def __init__(self):
        self.left_out = 0
        self._clear()

    def _clear(self):
        self.losses = []
        self.batches = []  # each step's examples: its loss's weight in a window's mean
        self.answers = []  # (outputs, a copy of the targets, the outputs' version, batch)
        self.elements = 0
        self.correct = 0  # counted at once (large outputs)
        self.seen = 0

    def full(self):
        return len(self.losses) >= self.HELD_STEPS or self.elements >= self.HELD_ELEMENTS

    def add(self, loss, outputs, targets, batch):
        """Holds one step (`outputs` None: no accuracy)."""
        self.losses.append(loss.detach() if isinstance(loss, torch.Tensor) else float(loss))
        self.batches.append(batch if batch > 0 else 1)
        if outputs is None or targets is None:
            return
        n = outputs.numel()
        if n > self.STEP_LIMIT:
            self.correct += correct_count(outputs, targets)
            self.seen += batch
            return
        self.answers.append((outputs.detach(), targets.clone(), outputs._version, batch))
        self.elements += n

    def read(self):
        """(losses as floats in step order, each step's examples, right answers, examples counted);
        lets them go."""
        losses, batches, answers, correct, seen = self.losses, self.batches, self.answers, self.correct, self.seen
        self._clear()
        try:
            # One operation and one sync for all the steps (0-d tensors stack to a vector).
            values = torch.stack(losses).double().tolist() if losses else []
        except (TypeError, RuntimeError):  # plain numbers among them, or shapes that differ
            values = [float(v) for v in losses]
        kept = [a for a in answers if a[0]._version == a[2]]
        self.left_out += sum(a[3] for a in answers) - sum(a[3] for a in kept)
        if kept:
            try:
                correct += correct_count(torch.cat([a[0] for a in kept]), torch.cat([a[1] for a in kept]))
            except RuntimeError:  # shapes that do not concatenate (a sequence length that varies)
                correct += sum(correct_count(a[0], a[1]) for a in kept)
            seen += sum(a[3] for a in kept)
        return values, batches, correct, seen


def first_non_finite(values):
    """Index of the first loss that is NaN or infinite, else None."""
    for i, v in enumerate(values):
        if not math.isfinite(v):
            return i
    return None
