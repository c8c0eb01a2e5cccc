"""Shared helpers: the package from this checkout, the built nntop binary, one thread for torch."""

import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "python"))

import torch  # noqa: E402

torch.set_num_threads(1)


def nntop_binary():
    """The nntop the tests read logs with: $NNTOP_BIN, else this checkout's debug build."""
    path = os.environ.get("NNTOP_BIN") or os.path.join(REPO, ".build", "debug", "nntop")
    return path if os.access(path, os.X_OK) else None


@pytest.fixture
def nntop_cli():
    """Runs nntop with arguments; skips (saying why) when it has not been built."""
    binary = nntop_binary()
    if binary is None:
        pytest.skip("nntop is not built (swift build, or set NNTOP_BIN): the log is not read back by nntop")

    def run(*arguments, check=True):
        result = subprocess.run([binary, *arguments], capture_output=True, text=True, timeout=120)
        if check:
            assert result.returncode == 0, result.stderr
        return result

    return run


def records(path):
    """Every line of a run log as a dict (each must be whole JSON)."""
    with open(path) as f:
        return [json.loads(line) for line in f]


def of_type(path, kind):
    return [r for r in records(path) if r["type"] == kind]


def send(run_path, line):
    """Appends a raw command line, as `nntop send` does (one write, O_APPEND)."""
    from nntop import command_log_path

    fd = os.open(command_log_path(run_path), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, line.encode() if isinstance(line, str) else line)
    finally:
        os.close(fd)


def sgd_step(model, optimizer, x, y):
    """One plain training step of the tests' toy classifiers; returns (outputs, loss)."""
    import torch.nn.functional as F
    out = model(x)
    loss = F.cross_entropy(out, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return out, loss
