"""The loop README.md and python/README.md show, run as written: a stop ends it (no epoch after
the stop), and the header it writes says the run's epochs, batch and sizes."""

import glob
import json
import os
import re
import time

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import nntop
from conftest import REPO, of_type

EPOCHS, BATCH, TRAIN, VALIDATION = 5, 4, 32, 12  # 8 steps an epoch
STOP_BEFORE = (2, 3)  # the stop is sent before epoch 2's third batch: step 11


def snippet(readme, heading):
    """The first ```python block after `heading` in `readme` (a path under the repository)."""
    with open(os.path.join(REPO, readme)) as f:
        text = f.read()
    at = text.index(heading)
    return re.search(r"```python\n(.*?)```", text[at:], re.S).group(1)


class StoppingLoader:
    """A DataLoader that sends `nntop send RUN stop` before one batch, then waits past the run's
    command poll (0.05 s) so that batch's `run.step` reads it."""

    def __init__(self, loader):
        self.loader, self.batch_size, self.dataset = loader, loader.batch_size, loader.dataset
        self.epoch = 0

    def __len__(self):
        return len(self.loader)

    def __iter__(self):
        self.epoch += 1
        for index, batch in enumerate(self.loader, start=1):
            if (self.epoch, index) == STOP_BEFORE:
                (log,) = glob.glob(os.path.join("runs", "*.jsonl"))
                with open(nntop.command_log_path(log), "a") as f:
                    f.write(json.dumps(dict(command="stop")) + "\n")
                time.sleep(0.1)
            yield batch


@torch.no_grad()
def evaluate(model, loader):
    outputs = [(model(x), y) for x, y in loader]
    loss = sum(F.cross_entropy(o, y, reduction="sum").item() for o, y in outputs) / len(loader.dataset)
    acc = sum((o.argmax(1) == y).sum().item() for o, y in outputs) / len(loader.dataset)
    return loss, acc


@pytest.mark.parametrize("readme, heading", [("README.md", "## Watching PyTorch runs"),
                                             ("python/README.md", "# nntop for PyTorch")])
def test_the_readme_loop_stops_and_says_what_it_trains(readme, heading, tmp_path, monkeypatch, nntop_cli):
    code = snippet(readme, heading)
    monkeypatch.chdir(tmp_path)  # the snippet writes to runs/
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    data = TensorDataset(torch.randn(TRAIN, 4), torch.randint(0, 3, (TRAIN,)))
    validation = TensorDataset(torch.randn(VALIDATION, 4), torch.randint(0, 3, (VALIDATION,)))
    names = dict(model=model, optimizer=torch.optim.SGD(model.parameters(), lr=0.1), F=F, epochs=EPOCHS,
                 loader=StoppingLoader(DataLoader(data, batch_size=BATCH)),
                 val_loader=DataLoader(validation, batch_size=BATCH), evaluate=evaluate)
    exec(compile(code, readme, "exec"), names)
    path = names["run"].path
    # Epoch 1 ran whole; epoch 2 stopped at its third step, and nothing ran after it.
    assert [e["epoch"] for e in of_type(path, "epoch")] == [1]
    finished = of_type(path, "finished")[0]
    assert (finished["outcome"], finished["step"], finished["epochs"]) == ("stopped", 11, 1)
    header = of_type(path, "header")[0]
    assert (header["epochs"], header["batch"], header["train"], header["validation"], header["steps_per_epoch"]) == (
        EPOCHS, BATCH, TRAIN, VALIDATION, TRAIN // BATCH)
    (line,) = nntop_cli("runs", "runs").stdout.splitlines()[1:]
    assert f" 1/{EPOCHS} " in line and "stopped" in line
