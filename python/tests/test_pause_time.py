"""A pause is not training time: `elapsed` and samples/s leave it out (as nntop's own trainer
does), while `t` stays wall-clock; a single step taken while paused gets its progress record."""

import threading
import time

import pytest

from conftest import of_type, records
from test_commands import Trainer

PAUSE = 1.2  # seconds between the pause and the resume


def by_step(path, kind):
    return {r["step"]: r for r in of_type(path, kind)}


def test_a_pause_counts_in_t_but_not_in_elapsed_or_samples_per_second(tmp_path):
    t = Trainer(tmp_path, every=1)  # a progress record at every step
    t.step()
    t.step()
    t.send("pause")
    threading.Timer(PAUSE, lambda: t.send("resume")).start()
    t.step()  # step 3 reads the pause and waits in run.step until the resume
    for _ in range(3):
        t.step()
    t.run.epoch(val_loss=1.0, val_acc=0.5)
    t.run.close()
    path = t.run.path
    paused, resumed = of_type(path, "paused")[0], of_type(path, "resumed")[0]
    assert (paused["step"], resumed["step"]) == (3, 3) and resumed["t"] - paused["t"] >= PAUSE - 0.05
    progress = by_step(path, "progress")
    assert progress[4]["t"] - progress[3]["t"] >= PAUSE - 0.05
    assert progress[4]["elapsed"] - progress[3]["elapsed"] < 0.4  # one step's time, not the pause's
    # Step 4's 16 examples took well under 0.4 s of training; with the pause they would be < 16/1.2.
    assert progress[4]["samples_per_second"] > 16 / 0.4
    (epoch,) = of_type(path, "epoch")
    assert epoch["t"] - epoch["elapsed"] >= PAUSE - 0.05
    assert epoch["samples_per_second"] > 6 * 16 / 0.4
    finished = of_type(path, "finished")[0]
    assert finished["t"] - finished["elapsed"] >= PAUSE - 0.05
    assert all(r["elapsed"] <= r["t"] for r in records(path) if "elapsed" in r)


def test_a_single_step_while_paused_writes_its_progress_record(tmp_path):
    t = Trainer(tmp_path)  # every=1000: no progress record of its own in these steps
    t.send("pause")
    threading.Timer(0.3, lambda: t.send("step")).start()
    t.step()  # step 1 reads the pause; waits until the single step comes
    threading.Timer(0.3, lambda: t.send("step")).start()
    t.step()  # step 2 is the single step: its record, then paused again until the next
    threading.Timer(0.3, lambda: t.send("resume")).start()
    t.step()  # step 3, a single step too; waits for the resume
    t.step()
    t.run.close()
    path = t.run.path
    # Step 1, before the pause (its own record, so the single steps' are theirs alone), the two
    # single steps, and step 4 at the close.
    everything = of_type(path, "progress")
    assert [p["step"] for p in everything] == [1, 2, 3, 4]
    progress = everything[1:3]
    assert not of_type(path, "layers")  # no statistics were gathered on those steps
    # Each record carries its one step: loss, accuracy and a throughput of its own time.
    for p in progress:
        assert isinstance(p["train_loss"], float) and 0 <= p["train_acc"] <= 1 and p["samples_per_second"] > 0
    # Training time stood still for the whole pause, single steps and all (nntop's trainer counts so).
    paused_at = of_type(path, "paused")[0]["t"]
    assert progress[1]["elapsed"] == pytest.approx(progress[0]["elapsed"], abs=0.01)
    assert progress[0]["elapsed"] <= paused_at + 0.01 and progress[1]["t"] - progress[1]["elapsed"] >= 0.5
    assert [(r["type"], r["step"]) for r in of_type(path, "paused") + of_type(path, "resumed")] == [
        ("paused", 1), ("resumed", 3)]


def test_an_epochs_samples_per_second_leaves_out_its_validation(tmp_path):
    t = Trainer(tmp_path, every=100)
    t.step()  # the header, and the window's first step
    started = time.monotonic()
    for _ in range(10):
        t.step()
        time.sleep(0.02)
    trained = time.monotonic() - started
    time.sleep(0.6)  # the loop's validation, before `run.epoch`
    t.run.epoch(val_loss=1.0, val_acc=0.5)
    t.run.close()
    (epoch,) = of_type(t.run.path, "epoch")
    # 11 steps of 16 examples over the training time (≈ 0.2 s), not over it and the validation
    # (≈ 0.8 s, which gives < 230).
    assert 11 * 16 / (trained + 0.15) < epoch["samples_per_second"] < 11 * 16 / (trained - 0.05)


def test_a_progress_window_across_an_epoch_leaves_out_its_validation(tmp_path):
    t = Trainer(tmp_path, every=20)
    for _ in range(10):
        t.step()
        time.sleep(0.01)
    time.sleep(0.6)  # the loop's validation
    t.run.epoch(val_loss=1.0, val_acc=0.5)
    for _ in range(10):
        t.step()
        time.sleep(0.01)
    t.run.close()
    (progress,) = [p for p in of_type(t.run.path, "progress") if p["step"] == 20]
    # 20 steps of 16 examples in ≈ 0.2 s of training (< 0.45 s even on a slow machine), not over
    # the 0.6 s validation too (which gives < 400).
    assert progress["samples_per_second"] > 20 * 16 / 0.45
