"""A PyTorch run's checkpoints (the `c` key, `nntop send RUN checkpoint`) and resuming from one.

A checkpoint holds what `state_dict` does not: the dropout rate nntop's keys may have turned (a
module's `p` is not in its state), the scheduler's state when the run was given one, the random
generators (dropout masks and a DataLoader's shuffle draw from them: without them a resumed run
had drifted from the uninterrupted one, 0.2028 against 0.2364 an epoch later), and where the run
was, as completed epochs (an int a loop can start from) and the step position.
"""

import math
import os
import random
import sys

import torch

from . import header

ZIP_MAGIC, PICKLE_MAGIC = b"PK\x03\x04", b"\x80"  # what torch.save writes first, new format or legacy


class ResumeError(ValueError):
    """A checkpoint that cannot be resumed from, with the reason in one line."""


def save(target, model, optimizer, scheduler, step, epoch_position, epochs_done):
    """Writes the checkpoint to `target` whole or not at all (a partial file, then a rename)."""
    found = header.dropouts(model)
    state = dict(model=model.state_dict(), optimizer=optimizer.state_dict(), step=step, epoch=epoch_position,
                 epochs_done=epochs_done, dropout=found[0].p if found else None)
    if scheduler is not None:
        state["scheduler"] = scheduler.state_dict()
    state["rng"] = generators()
    temporary = target + ".partial"
    with open(temporary, "wb") as f:
        torch.save(state, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, target)


def generators():
    """The random generators' states, as plain values and tensors (loadable with `weights_only`)."""
    python = random.getstate()
    state = dict(torch=torch.get_rng_state(), python=[python[0], list(python[1]), python[2]])
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        name, keys, position, has_gauss, gauss = numpy.random.get_state()
        state["numpy"] = [name, torch.from_numpy(keys.astype("int64")), int(position), int(has_gauss), float(gauss)]
    return state


def restore_generators(state):
    """Sets the generators a checkpoint saved; a part that does not fit this process is skipped."""
    if not isinstance(state, dict):
        return
    if isinstance(state.get("torch"), torch.Tensor):
        torch.set_rng_state(state["torch"])
    python = state.get("python")
    if isinstance(python, (list, tuple)) and len(python) == 3:
        random.setstate((python[0], tuple(python[1]), python[2]))
    cuda = state.get("cuda")
    if cuda and torch.cuda.is_available() and len(cuda) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all(cuda)
    numpy = sys.modules.get("numpy")
    saved = state.get("numpy")
    if numpy is not None and isinstance(saved, (list, tuple)) and len(saved) == 5:
        name, keys, position, has_gauss, gauss = saved
        numpy.random.set_state((name, keys.numpy().astype("uint32"), position, has_gauss, gauss))


def read(path):
    """The checkpoint's dict, or a `ResumeError` that says in one line why it is not one."""
    def refuse(reason):
        return ResumeError(f"cannot resume from {path}: {reason}")

    try:
        with open(path, "rb") as f:
            start = f.read(4)
    except OSError as error:
        raise refuse(error.strerror or str(error)) from None
    if not start:
        raise refuse("the file is empty")
    if not (start.startswith(ZIP_MAGIC) or start.startswith(PICKLE_MAGIC)):
        raise refuse("not a file torch.save wrote")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # unpickling raises many kinds; each is "cannot read"
        text = str(error)
        if "WeightsUnpickler" in text or "Weights only load failed" in text:
            raise refuse("it holds more than tensors and plain values, and nothing else is loaded from a file") from None
        raise refuse((text.strip().splitlines() or [type(error).__name__])[0]) from None
    if not isinstance(state, dict) or "model" not in state or "optimizer" not in state:
        raise refuse("not a checkpoint of nntop's PyTorch client (no model and optimizer state)")
    return state


def position(path, state, epochs):
    """(step, epochs done) of a checkpoint, checked against the run's planned `epochs` (0: any)."""
    step, epoch = state.get("step", 0), state.get("epoch", 0.0)
    if not isinstance(step, int) or step < 0:
        raise ResumeError(f"cannot resume from {path}: its step {step!r} is not a count")
    done = state.get("epochs_done") if isinstance(state.get("epochs_done"), int) else 0
    # Whole epochs by position too: the `c` key at an epoch's last step lands before `run.epoch`
    # (and an older client's checkpoint has no `epochs_done`).
    if isinstance(epoch, (int, float)) and math.isfinite(epoch):
        done = max(done, int(math.floor(epoch)))
    if done < 0 or (epochs > 0 and done > epochs):
        raise ResumeError(f"cannot resume from {path}: it is past epoch {done}, and this run has {epochs}")
    return step, done


def load(path, model, optimizer, scheduler, epochs=0, world=1):
    """Restores model, optimiser, scheduler, dropout and (one process) the random generators from
    `path`; returns (step, epochs_done).

    The file is untrusted: only tensors and plain values are unpickled (`weights_only`), and
    anything missing, mismatched or out of range is a `ResumeError` naming the file."""
    state = read(path)
    step, done = position(path, state, epochs)
    dropout = state.get("dropout")
    if dropout is not None and not (isinstance(dropout, (int, float)) and 0 <= dropout <= 1):
        raise ResumeError(f"cannot resume from {path}: its dropout {dropout!r} is not a rate from 0 to 1")
    try:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        if scheduler is not None and "scheduler" in state:
            scheduler.load_state_dict(state["scheduler"])
    except (RuntimeError, ValueError, KeyError, TypeError) as error:
        # "Error(s) in loading state_dict for Sequential:" says nothing without the line after it.
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        raise ResumeError(f"cannot resume from {path}: {' '.join(lines[:2])}") from None
    if dropout is not None:
        for module in header.dropouts(model):
            module.p = float(dropout)
    # One process: its generators. Under torch.distributed each rank's differ, and this is rank 0's.
    if world == 1:
        restore_generators(state.get("rng"))
    return step, done
