"""Two ranks under torchrun (CPU, gloo): rank 0 alone writes and reads commands, and every
command lands at the same step on both ranks."""

import json
import os
import subprocess
import sys

import pytest
import torch

from conftest import HERE, of_type


@pytest.mark.skipif(not torch.distributed.is_available(), reason="torch.distributed is not available")
def test_commands_land_at_the_same_step_on_every_rank(tmp_path):
    environment = dict(os.environ, OMP_NUM_THREADS="1")
    result = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
         os.path.join(HERE, "ddp_worker.py"), str(tmp_path)],
        capture_output=True, text=True, timeout=300, env=environment)
    assert result.returncode == 0, result.stderr[-3000:]
    ranks = [json.loads((tmp_path / f"rank{n}.json").read_text()) for n in (0, 1)]
    assert ranks[1]["path"] is None and ranks[0]["path"].endswith("-ddp.jsonl")
    stem = ranks[0]["path"][: -len(".jsonl")]
    # Rank 1 wrote nothing: one log, its command log, rank 0's checkpoint.
    expected = [ranks[0]["path"], stem + ".commands", stem + ".step0008.pt"]
    assert sorted(os.listdir(tmp_path / "runs")) == sorted(os.path.basename(p) for p in expected)
    for rank in ranks:
        # Sent after step 6; the ranks exchange commands every 4 steps: all apply them at step 8.
        assert [s["lr"] for s in rank["seen"]] == [0.1] * 7 + [0.01] * 9, rank["rank"]
        assert [s["p"] for s in rank["seen"]] == [0.1] * 7 + [0.3] * 9, rank["rank"]
        # Paused at step 4 on both ranks (inside run.step) until the resume a second later.
        at = [s["at"] for s in rank["seen"]]
        assert at[3] - at[2] >= 0.9
        # Stop sent after step 13 arrives at step 16 on both: both loops end there.
        assert rank["seen"][-1]["step"] == 16
    log = ranks[0]["path"]
    # The header's batch is the global one: 16 examples on each of the 2 ranks make one step.
    assert of_type(log, "header")[0]["batch"] == 32
    # samples/s counts both ranks: 4 steps of 32 examples over the training time between two
    # progress records.
    progress = of_type(log, "progress")
    assert [p["step"] for p in progress] == [4, 8, 12, 16]
    for before, after in zip(progress[1:], progress[2:]):
        span = after["elapsed"] - before["elapsed"]
        assert after["samples_per_second"] == pytest.approx(4 * 32 / span, rel=0.05)
    # Loss and accuracy are the job's, both ranks' steps together (the ranks' data differ).
    for before, record in zip([0] + [p["step"] for p in progress], progress):
        steps = [s for rank in ranks for s in rank["seen"] if before < s["step"] <= record["step"]]
        assert record["train_loss"] == pytest.approx(sum(s["loss"] for s in steps) / len(steps), rel=1e-6)
        assert record["train_acc"] == pytest.approx(
            sum(s["correct"] for s in steps) / sum(s["examples"] for s in steps), rel=1e-9)
    assert [(c["step"], c["knob"], c["new"]) for c in of_type(log, "change")] == [(8, "lr", 0.01), (8, "dropout", 0.3)]
    assert [c["step"] for c in of_type(log, "checkpoint")] == [8]
    assert [(r["type"], r["step"]) for r in of_type(log, "paused") + of_type(log, "resumed")] == [
        ("paused", 4), ("resumed", 4)]
    assert of_type(log, "finished")[0]["outcome"] == "stopped" and of_type(log, "finished")[0]["step"] == 16
