"""Commands from the command log: applied at the next step, logged as changes; bad ones refused
with a logged reason while training goes on."""

import json
import math
import threading
import time

import torch
import torch.nn.functional as F
from torch import nn

import nntop
from conftest import of_type, records, send


class Trainer:
    """A tiny classifier stepped one step at a time."""

    def __init__(self, tmp_path, optimizer="sgd", dropout=True, every=1000):
        torch.manual_seed(0)
        layers = [nn.Linear(4, 8), nn.ReLU()] + ([nn.Dropout(0.1)] if dropout else []) + [nn.Linear(8, 3)]
        self.model = nn.Sequential(*layers)
        if optimizer == "sgd":
            self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1, momentum=0.9, weight_decay=0.0)
        elif optimizer == "adam":
            self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        else:
            self.optimizer = torch.optim.Rprop(self.model.parameters())
        # poll=0: the command log is read at every step, so a command lands at the next one.
        self.run = nntop.Run(self.model, self.optimizer, dir=str(tmp_path), every=every, poll=0)
        self.x, self.y = torch.randn(16, 4), torch.randint(0, 3, (16,))

    def step(self):
        out = self.model(self.x)
        loss = F.cross_entropy(out, self.y)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return self.run.step(loss, outputs=out, targets=self.y)

    def send(self, command, **fields):
        send(self.run.path, json.dumps(dict(command=command, **fields)) + "\n")

    def changes(self):
        return [(c["step"], c["knob"], c["old"], c["new"], c["source"]) for c in of_type(self.run.path, "change")]

    def refusals(self):
        return [w["message"] for w in of_type(self.run.path, "warning") if w["message"].startswith("command refused")]


def test_knobs_land_in_every_group_and_module(tmp_path):
    t = Trainer(tmp_path)
    t.optimizer.add_param_group({"params": [nn.Parameter(torch.zeros(1))], "lr": 0.5})
    t.step()
    t.send("set", knob="lr", value=0.01)
    t.send("set", knob="l2", value=1e-3)
    t.send("set", knob="momentum", value=0.5)
    t.send("set", knob="dropout", value=0.3)
    t.step()
    # The second group keeps its rate five times the first's; both had no weight decay (the
    # first group's 0 is no ratio), so both take the new one.
    first, second = (g["lr"] for g in t.optimizer.param_groups)
    assert first == 0.01 and math.isclose(second, 0.05)
    assert [g["weight_decay"] for g in t.optimizer.param_groups] == [1e-3, 1e-3]
    assert [g["momentum"] for g in t.optimizer.param_groups] == [0.5, 0.5]
    assert t.model[2].p == 0.3
    t.run.close()
    assert t.changes() == [
        (2, "lr", 0.1, 0.01, "command"), (2, "l2", 0.0, 1e-3, "command"),
        (2, "momentum", 0.9, 0.5, "command"), (2, "dropout", 0.1, 0.3, "command"),
    ]
    # Two steps, no record of their own before the close writes theirs.
    assert [p["step"] for p in of_type(t.run.path, "progress")] == [2]
    assert records(t.run.path)[-1]["type"] == "finished"


def test_a_group_without_weight_decay_keeps_none_and_rates_keep_their_ratio(tmp_path):
    # AdamW's usual setup: weight decay on the weights only, and here a tenth of the rate.
    model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))
    optimizer = torch.optim.AdamW([
        {"params": [model[0].weight, model[2].weight], "lr": 1e-3, "weight_decay": 0.01},
        {"params": [model[0].bias, model[2].bias], "lr": 1e-4, "weight_decay": 0.0},
    ])
    with nntop.Run(model, optimizer, dir=str(tmp_path), every=1) as run:
        send(run.path, '{"command": "set", "knob": "l2", "value": 0.05}\n'
                       '{"command": "set", "knob": "lr", "value": 0.002}\n')
        for _ in range(3):
            loss = model(torch.ones(2, 4)).sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            run.step(loss)
            time.sleep(0.06)
    groups = [(g["lr"], g["weight_decay"]) for g in optimizer.param_groups]
    assert groups[0] == (0.002, 0.05)
    assert math.isclose(groups[1][0], 0.0002) and groups[1][1] == 0.0


def test_momentum_is_adams_first_beta(tmp_path):
    t = Trainer(tmp_path, optimizer="adam")
    t.send("set", knob="momentum", value=0.8)
    t.step()
    assert t.optimizer.param_groups[0]["betas"] == (0.8, 0.999)


def test_what_cannot_apply_is_refused_and_training_goes_on(tmp_path):
    t = Trainer(tmp_path, optimizer="rprop", dropout=False)
    send(t.run.path, b"garbage\n[1]\n")
    t.send("set", knob="speed", value=1)
    t.send("set", knob="lr", value=20)
    t.send("set", knob="lr", value="fast")
    t.send("set", knob="dropout", value=0.2)
    t.send("set", knob="l2", value=0.1)
    t.send("set", knob="momentum", value=0.1)
    t.send("set", knob="train_size", value=100)
    t.send("step")
    t.send("dance")
    assert t.step()
    t.send("set", knob="lr", value=0.02)
    assert t.step()
    assert t.optimizer.param_groups[0]["lr"] == 0.02
    t.run.close()
    assert t.refusals() == [
        "command refused: line 1: not a JSON object",
        "command refused: line 2: not a JSON object",
        "command refused: line 3: unknown knob 'speed' (knobs: lr, momentum, dropout, l2, train_size)",
        "command refused: line 4: lr 20 is outside 1e-06 … 10",
        "command refused: line 5: lr needs a finite number",
        "command refused: line 6: dropout: the model has no nn.Dropout",
        "command refused: line 7: l2: Rprop has no weight_decay",
        "command refused: line 8: momentum: Rprop has neither momentum nor betas",
        "command refused: line 9: train_size: the training data is the training loop's, not nntop's",
        "command refused: line 10: step: the run is not paused",
        "command refused: line 11: unknown command 'dance'",
    ]
    assert t.changes() == [(2, "lr", 0.01, 0.02, "command")]


def test_a_cut_line_waits_for_its_end(tmp_path):
    t = Trainer(tmp_path)
    send(t.run.path, '{"command": "set", "knob": "lr", "va')
    t.step()
    assert t.optimizer.param_groups[0]["lr"] == 0.1
    send(t.run.path, 'lue": 0.05}\n')
    t.step()
    assert t.optimizer.param_groups[0]["lr"] == 0.05
    assert t.refusals() == []


def test_commands_older_than_the_run_are_not_applied(tmp_path):
    path = tmp_path / "run.jsonl"
    (tmp_path / "run.commands").write_text('{"command": "stop"}\n')
    model = nn.Linear(2, 2)
    run = nntop.Run(model, torch.optim.SGD(model.parameters(), lr=0.1), path=str(path), poll=0)
    assert run.step(torch.tensor(1.0))
    run.close()
    assert "20 bytes older than the run ignored" in of_type(str(path), "warning")[0]["message"]


def test_pause_single_step_resume_and_stop(tmp_path):
    t = Trainer(tmp_path)
    t.send("pause")
    later = threading.Timer(0.3, lambda: t.send("step"))
    later.start()
    started = time.monotonic()
    t.step()  # step 1 sees the pause and waits in run.step until the single step comes
    assert time.monotonic() - started >= 0.25
    threading.Timer(0.3, lambda: t.send("resume")).start()
    t.step()  # the single step ran; paused again until resume
    assert t.step()
    t.send("stop")
    assert not t.step()
    assert t.run.stop_requested
    t.run.close()
    kinds = [(r["type"], r.get("step")) for r in records(t.run.path) if r["type"] in ("paused", "resumed")]
    assert kinds == [("paused", 1), ("resumed", 2)]
    assert of_type(t.run.path, "finished")[0]["outcome"] == "stopped"


def test_the_command_log_is_read_at_most_every_poll_seconds(tmp_path, monkeypatch):
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    run = nntop.Run(model, optimizer, dir=str(tmp_path), poll=60)
    run.step(torch.tensor(1.0))  # the first step looks
    send(run.path, '{"command": "set", "knob": "lr", "value": 0.02}\n')
    run.step(torch.tensor(1.0))
    assert optimizer.param_groups[0]["lr"] == 0.1  # not yet: looked less than 60 s ago
    later = time.monotonic() + 61
    monkeypatch.setattr(nntop.run.time, "monotonic", lambda: later)
    run.step(torch.tensor(1.0))
    assert optimizer.param_groups[0]["lr"] == 0.02
    run.close()


def test_checkpoint_saves_model_and_optimizer(tmp_path):
    t = Trainer(tmp_path)
    t.step()
    t.send("checkpoint")
    t.step()
    t.run.close()
    record = of_type(t.run.path, "checkpoint")[0]
    assert record["step"] == 2 and record["reason"] == "requested" and not record["failed"]
    assert record["path"] == t.run.path[: -len(".jsonl")] + ".step0002.pt"
    saved = torch.load(record["path"])
    assert saved["step"] == 2
    assert torch.equal(saved["model"]["0.weight"], t.model[0].weight)
    assert saved["optimizer"]["param_groups"][0]["lr"] == 0.1 and saved["optimizer"]["state"]
