"""A PyTorch run's log is nntop's format: nntop's own reader takes it unchanged."""

import math
import os
import threading
import time

import pytest
import torch
from torch import nn

import nntop
from conftest import of_type, records, sgd_step


def train(tmp_path, epochs=2, steps=10, every=5, **options):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    x, y = torch.randn(32, 4), torch.randint(0, 3, (32,))
    with nntop.Run(model, optimizer, dir=str(tmp_path), every=every, name="toy", epochs=epochs,
                   steps_per_epoch=steps, train=320, validation=32, **options) as run:
        for epoch in range(epochs):
            for _ in range(steps):
                out, loss = sgd_step(model, optimizer, x, y)
                run.step(loss, outputs=out, targets=y)
            run.epoch(val_loss=loss.item(), val_acc=0.5, test_loss=1.5, test_acc=0.25, f1=0.5,
                      **{"top,5": 0.75 + 0.125 * epoch})
    return run


def test_records_in_nntops_format(tmp_path):
    run = train(tmp_path)
    assert os.path.dirname(run.path) == str(tmp_path) and run.path.endswith("-toy.jsonl")
    log = records(run.path)
    assert [r["type"] for r in log][:3] == ["header", "progress", "layers"]
    assert log[-1]["type"] == "finished" and log[-1]["outcome"] == "finished"
    header = log[0]
    assert header["version"] == 1 and header["t"] == 0.0
    assert header["network"] == {"input": 4, "hidden": [16], "output": 3, "activation": "relu",
                                 "loss": "softmax-cross-entropy", "batch_norm": False, "init": "pytorch"}
    assert header["optimizer"] == "sgd"
    assert header["writer"] == "pytorch"  # the screen then knows the lab views never come
    # The writing process: a watch on this host sees it exit without finishing the log.
    assert header["machine"]["pid"] == os.getpid()
    assert header["hyperparameters"] == {"lr": 0.1, "momentum": 0.9, "dropout": 0.1, "l2": 1e-4}
    assert header["batch"] == 32 and header["parameters"] == 4 * 16 + 16 + 16 * 3 + 3
    assert [p["step"] for p in of_type(run.path, "progress")] == [5, 10, 15, 20]
    assert [p["epoch"] for p in of_type(run.path, "progress")] == [0.5, 1.0, 1.5, 2.0]
    layers = of_type(run.path, "layers")[0]["layers"]
    assert [layer["name"] for layer in layers] == ["hidden1", "output"]
    assert [layer["units"] for layer in layers] == [16, 3]
    assert all(len(layer["histogram"]) == 24 and sum(layer["histogram"]) == 32 * layer["units"] for layer in layers)
    assert all(layer["update_ratio"] > 0 and layer["grad_norm"] > 0 for layer in layers)
    epochs = of_type(run.path, "epoch")
    assert [e["epoch"] for e in epochs] == [1, 2] and epochs[0]["metrics"] == {"f1": 0.5, "top,5": 0.75}
    assert [e["split"] for e in of_type(run.path, "evaluation")] == ["validation", "test"] * 2


def test_nntop_reads_the_log(tmp_path, nntop_cli):
    run = train(tmp_path)
    replay = nntop_cli("replay", run.path, "--no-tui")
    assert "toy 4-16-3 relu, sgd lr 0.1, batch 32, 2 epochs" in replay.stdout
    assert "finished after 2 epochs (20 steps" in replay.stdout
    assert "skipped" not in replay.stderr and "incomplete" not in replay.stderr
    listing = nntop_cli("runs", str(tmp_path)).stdout.splitlines()
    assert len(listing) == 2 and "toy" in listing[1] and "finished" in listing[1] and "25.00%" in listing[1]
    csv = nntop_cli("export", run.path, "--csv").stdout.splitlines()
    assert csv[0].startswith("epoch,step,train_loss")
    assert [line.split(",")[:2] for line in csv[1:]] == [["1", "10"], ["2", "20"]]
    # The loop's own metrics: columns of their own, a comma in a name kept inside its column.
    assert csv[0].endswith(',elapsed_seconds,metrics/f1,"metrics/top,5"')
    assert [line.split(",")[-2:] for line in csv[1:]] == [["0.5", "0.75"], ["0.5", "0.875"]]
    assert "f1 0.5  top,5 0.875" in replay.stdout


def test_metrics_reach_tensorboards_reader(tmp_path, nntop_cli):
    """`export --tensorboard`, read back by TensorBoard's own EventAccumulator: each metric is a
    scalar of its own at the epoch's step."""
    event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    run = train(tmp_path)
    nntop_cli("export", run.path, "--tensorboard", str(tmp_path / "tb"))
    accumulator = event_accumulator.EventAccumulator(str(tmp_path / "tb"))
    accumulator.Reload()
    assert {"metrics/f1", "metrics/top,5"} <= set(accumulator.Tags()["scalars"])
    assert [(e.step, e.value) for e in accumulator.Scalars("metrics/top,5")] == [(10, 0.75), (20, 0.875)]
    assert [(e.step, e.value) for e in accumulator.Scalars("metrics/f1")] == [(10, 0.5), (20, 0.5)]


def test_a_run_that_raises_is_left_interrupted(tmp_path, nntop_cli):
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    try:
        with nntop.Run(model, optimizer, dir=str(tmp_path), every=1) as run:
            loss = model(torch.ones(1, 2)).sum()
            loss.backward()
            run.step(loss)
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    kinds = [r["type"] for r in records(run.path)]
    assert kinds[-1] == "warning" and "finished" not in kinds
    # This process lives on (as a notebook's kernel would): the warning is the run's end, not the
    # process's exit. `runs` had said "running"; a watch waits for nothing.
    assert nntop_cli("runs", str(tmp_path)).stdout.rstrip().endswith("interrupted")
    started = time.monotonic()
    watched = nntop_cli("watch", "--no-tui", run.path, check=False)
    assert watched.returncode == 1 and time.monotonic() - started < 10
    assert "the run was interrupted: training raised KeyboardInterrupt" in watched.stderr, watched.stderr
    sent = nntop_cli("send", run.path, "pause", check=False)
    assert sent.returncode == 65 and "the run was interrupted (training raised KeyboardInterrupt" in sent.stderr


def test_a_non_finite_loss_is_a_divergence(tmp_path):
    model = nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with nntop.Run(model, optimizer, dir=str(tmp_path), every=2, loss="squared-error") as run:
        for value in (1.0, math.nan, math.inf):
            run.step(torch.tensor(value))
    diverged = of_type(run.path, "diverged")
    assert len(diverged) == 1 and diverged[0]["step"] == 2 and diverged[0]["reason"] == "loss is nan"
    assert of_type(run.path, "progress")[0]["train_loss"] == "nan"
    assert of_type(run.path, "finished")[0]["outcome"] == "diverged"


def test_a_wrapped_model_is_described_by_what_it_wraps(tmp_path):
    class Model(nn.Module):  # an attribute named `module` is not a wrapper
        def __init__(self):
            super().__init__()
            self.module = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))

        def forward(self, x):
            return self.module(x)

    inner = Model()
    run = nntop.Run(nn.DataParallel(inner), torch.optim.Adam(inner.parameters()), dir=str(tmp_path))
    assert run.model is inner
    run.close()
    header = records(run.path)[0]
    assert header["network"]["hidden"] == [5] and header["network"]["activation"] == "tanh"
    assert header["optimizer"] == "adam" and header["hyperparameters"]["momentum"] == 0.9


def test_a_run_name_is_one_part_of_a_file_name(tmp_path):
    from nntop.log import default_path
    # A "/" made a subfolder `nntop runs DIR` does not look in; escapes went into the file name.
    for name, part in [("x" * 300, "x" * 100), ("exp/1", "exp-1"), ("\x1b]0;x\x07run", "--0-x-run"), ("..", "run"), ("ok_run-2.b", "ok_run-2.b")]:
        path = default_path(str(tmp_path), name)
        assert os.path.dirname(path) == str(tmp_path), name
        assert os.path.basename(path).split("-", 2)[2] == part + ".jsonl", name


def _one_step(model, optimizer, run):
    loss = model(torch.ones(2, 2)).pow(2).sum()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    run.step(loss)


def test_the_clock_starts_at_the_first_step(tmp_path):
    """Loading data or compiling between `Run(...)` and the first step is not training time."""
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    with nntop.Run(model, optimizer, dir=str(tmp_path), every=2, loss="squared-error", batch=2) as run:
        time.sleep(0.5)
        for _ in range(4):
            _one_step(model, optimizer, run)
    progress = of_type(run.path, "progress")
    assert progress[-1]["elapsed"] < 0.3 and progress[0]["samples_per_second"] > 20


def test_an_exception_before_the_first_step_still_leaves_a_readable_log(tmp_path, nntop_cli):
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    try:
        with nntop.Run(model, optimizer, dir=str(tmp_path)) as run:
            raise RuntimeError("boom before the first step")
    except RuntimeError:
        pass
    kinds = [r["type"] for r in records(run.path)]
    assert kinds == ["header", "warning"]
    assert "interrupted" in nntop_cli("runs", str(tmp_path)).stdout


def test_ctrl_c_keeps_the_steps_since_the_last_record(tmp_path):
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    try:
        with nntop.Run(model, optimizer, dir=str(tmp_path), every=8, loss="squared-error") as run:
            for _ in range(10):
                _one_step(model, optimizer, run)
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert [p["step"] for p in of_type(run.path, "progress")] == [8, 10]
    assert records(run.path)[-1]["type"] == "warning"


def test_runs_started_together_get_names_of_their_own(tmp_path):
    made, failures = [], []

    def start():
        try:
            run = nntop.Run(nn.Linear(2, 2), torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1),
                            dir=str(tmp_path), name="sweep")
            made.append(run.path)
            run.close()
        except Exception as error:  # noqa: BLE001 - any failure is the finding
            failures.append(error)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures and len(set(made)) == 6


def test_a_nan_validation_loss_is_never_the_best(tmp_path):
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    with nntop.Run(model, optimizer, dir=str(tmp_path), loss="squared-error") as run:
        _one_step(model, optimizer, run)
        run.epoch(val_loss=math.nan, val_acc=0.9)
        _one_step(model, optimizer, run)
        run.epoch(val_loss=0.5, val_acc=0.2)
    finished = of_type(run.path, "finished")[0]
    assert finished["best_val_loss"] == 0.5 and finished["best_val_acc"] == 0.2


def test_a_short_last_batch_weighs_what_its_examples_do(tmp_path):
    """An epoch's training loss is the mean over its examples, as its accuracy is: batches of 64,
    64 and 32 with losses 1, 1 and 4 make (64 + 64 + 128) / 160 = 1.6, not the steps' mean 2."""
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with nntop.Run(model, optimizer, dir=str(tmp_path), every=3, epochs=1, steps_per_epoch=3) as run:
        for size, value in ((64, 1.0), (64, 1.0), (32, 4.0)):
            outputs = torch.zeros(size, 2)
            outputs[:, 0] = 1.0
            targets = torch.zeros(size, dtype=torch.int64)
            targets[: size // 2] = 1
            run.step(torch.tensor(value), outputs=outputs, targets=targets)
        run.epoch(val_loss=1.0, val_acc=0.5)
    [epoch] = of_type(run.path, "epoch")
    assert epoch["train_loss"] == 1.6 and epoch["train_acc"] == 0.5
    [progress] = of_type(run.path, "progress")
    assert progress["train_loss"] == 1.6


def test_a_metric_that_is_no_number_is_left_out_not_raised(tmp_path):
    """Logging must never stop the loop: `run.epoch(note="text")` had raised ValueError in it."""
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with nntop.Run(model, optimizer, dir=str(tmp_path), every=1) as run:
        run.step(torch.tensor(1.0))
        run.epoch(val_loss=1.0, val_acc=0.5, f1=0.75, note="text", shape=[1, 2])
    [epoch] = of_type(run.path, "epoch")
    assert epoch["metrics"] == {"f1": 0.75}
    assert any(w["message"] == "epoch 1: metrics left out, not numbers: note, shape" for w in of_type(run.path, "warning"))
