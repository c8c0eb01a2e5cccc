"""The loss and the right answers are read at each record, not at each step: the figures must be
those of every step all the same, whatever the loop does with its tensors afterwards."""

import math

import torch
import torch.nn.functional as F
from torch import nn

import nntop
from conftest import of_type


def loop(tmp_path, steps=12, every=4, refill=False, change_outputs_at=None, batches=None):
    """A classifier trained on fixed batches; returns (the run, the losses and right answers each
    step had, worked out directly)."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    batches = batches or [(torch.randn(16, 4), torch.randint(0, 3, (16,))) for _ in range(3)]
    buffer = torch.zeros(16, dtype=torch.int64)  # one targets tensor refilled in place (`refill`)
    truth = []
    with nntop.Run(model, optimizer, dir=str(tmp_path), every=every) as run:
        for step in range(steps):
            x, y = batches[step % len(batches)]
            if refill:
                buffer.copy_(y)
                y = buffer
            out = model(x)
            loss = F.cross_entropy(out, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            truth.append((loss.item(), int((out.argmax(1) == y).sum()), len(y)))
            run.step(loss, outputs=out, targets=y)
            if step == change_outputs_at:
                with torch.no_grad():
                    out.zero_()
    return run, truth


def expected(truth, every):
    windows = [truth[i : i + every] for i in range(0, len(truth), every)]
    return [(sum(t[0] for t in w) / len(w), sum(t[1] for t in w) / sum(t[2] for t in w)) for w in windows]


def progress(run):
    return [(p["train_loss"], p["train_acc"]) for p in of_type(run.path, "progress")]


def test_each_record_has_the_loss_and_accuracy_of_its_steps(tmp_path):
    run, truth = loop(tmp_path)
    for (loss, acc), (want_loss, want_acc) in zip(progress(run), expected(truth, 4), strict=True):
        assert math.isclose(loss, want_loss, rel_tol=1e-6) and acc == want_acc
    epoch_free = of_type(run.path, "warning")
    assert not [w for w in epoch_free if "train_acc" in w["message"]]


def test_a_targets_buffer_refilled_in_place_is_read_as_it_was(tmp_path):
    run, truth = loop(tmp_path, refill=True)
    assert [acc for _, acc in progress(run)] == [acc for _, acc in expected(truth, 4)]


def test_outputs_changed_after_the_step_are_left_out_and_said(tmp_path):
    run, truth = loop(tmp_path, change_outputs_at=5)
    rest = truth[4:5] + truth[6:8]  # the second window without step 6 (index 5)
    accuracies = [acc for _, acc in progress(run)]
    assert accuracies[1] == sum(t[1] for t in rest) / sum(t[2] for t in rest)
    assert accuracies[0] == expected(truth, 4)[0][1] and accuracies[2] == expected(truth, 4)[2][1]
    warnings = [w["message"] for w in of_type(run.path, "warning")]
    assert warnings == ["train_acc leaves out steps whose outputs were changed in place after run.step"]


def test_the_epoch_reads_what_is_held(tmp_path):
    """An epoch that ends between two records still has all its steps."""
    torch.manual_seed(0)
    model = nn.Linear(4, 3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(8, 4), torch.randint(0, 3, (8,))
    losses = []
    with nntop.Run(model, optimizer, dir=str(tmp_path), every=100) as run:
        for _ in range(5):
            out = model(x)
            loss = F.cross_entropy(out, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            run.step(loss, outputs=out, targets=y)
        run.epoch(val_loss=1.0)
    epoch = of_type(run.path, "epoch")[0]
    assert math.isclose(epoch["train_loss"], sum(losses) / 5, rel_tol=1e-6)
    assert epoch["train_acc"] is not None
    # The steps since the last record get one at the end (a stop or Ctrl-C had lost them).
    progress = of_type(run.path, "progress")
    assert [p["step"] for p in progress] == [5]
    assert math.isclose(progress[0]["train_loss"], epoch["train_loss"], rel_tol=1e-12)
