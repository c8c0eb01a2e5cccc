"""A PyTorch run's checkpoints (the `c` key, `nntop send RUN checkpoint`) and resuming from one.

A checkpoint holds what `state_dict` does not: the dropout rate nntop's keys may have turned (a
module's `p` is not in its state), the scheduler's state when the run was given one, and where
the run was, as completed epochs (an int a loop can start from) and the step position.
"""

import math
import os

import torch

from . import header


class ResumeError(ValueError):
    """A checkpoint that cannot be resumed from, with the reason in one line."""


def save(target, model, optimizer, scheduler, step, epoch_position, epochs_done):
    """Writes the checkpoint to `target` whole or not at all (a partial file, then a rename)."""
    found = header.dropouts(model)
    state = dict(model=model.state_dict(), optimizer=optimizer.state_dict(), step=step, epoch=epoch_position,
                 epochs_done=epochs_done, dropout=found[0].p if found else None)
    if scheduler is not None:
        state["scheduler"] = scheduler.state_dict()
    temporary = target + ".partial"
    with open(temporary, "wb") as f:
        torch.save(state, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, target)


def load(path, model, optimizer, scheduler):
    """Restores model, optimiser, scheduler and dropout from `path`; returns (step, epochs_done).

    The file is untrusted: only tensors and plain values are unpickled (`weights_only`), and
    anything missing or mismatched is a `ResumeError` naming the file."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # unpickling raises many kinds; each is "cannot read"
        raise ResumeError(f"cannot resume from {path}: {error}".splitlines()[0]) from None
    if not isinstance(state, dict) or "model" not in state or "optimizer" not in state:
        raise ResumeError(f"cannot resume from {path}: not a checkpoint of nntop's PyTorch client")
    try:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        if scheduler is not None and "scheduler" in state:
            scheduler.load_state_dict(state["scheduler"])
    except (RuntimeError, ValueError, KeyError, TypeError) as error:
        raise ResumeError(f"cannot resume from {path}: {error}".splitlines()[0]) from None
    dropout = state.get("dropout")
    if isinstance(dropout, (int, float)) and 0 <= dropout <= 1:
        for module in header.dropouts(model):
            module.p = float(dropout)
    step = state.get("step", 0)
    epoch = state.get("epoch", 0.0)
    done = state.get("epochs_done") if isinstance(state.get("epochs_done"), int) else 0
    # Whole epochs by position too: the `c` key at an epoch's last step lands before `run.epoch`
    # (and an older client's checkpoint has no `epochs_done`).
    if isinstance(epoch, (int, float)) and math.isfinite(epoch):
        done = max(done, int(math.floor(epoch)))
    return (int(step) if isinstance(step, int) and step >= 0 else 0), max(0, done)
