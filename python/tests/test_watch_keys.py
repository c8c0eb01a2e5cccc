"""End to end: a real PyTorch run steered from `nntop watch`'s keys (nntop in tmux, keys sent as
a person types them) and from `nntop send`, through the command log the Swift side writes."""

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid

import pytest
import torch
from torch import nn

import nntop
from conftest import nntop_binary, of_type, sgd_step


def tmux(socket, *arguments):
    """tmux on a server of the test's own (`socket`, a path): a shared server exits with its last
    session, taking with it a session another test starts at that moment."""
    return subprocess.run(["tmux", "-S", socket, *arguments], capture_output=True, text=True, timeout=30)


@pytest.fixture
def watch_session():
    """Starts `nntop watch LOG` in a detached 120×40 tmux session; yields (start, screen, keys)."""
    binary = nntop_binary()
    if binary is None:
        pytest.skip("nntop is not built (swift build, or set NNTOP_BIN): no watch to press keys in")
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed: the dashboard's keys cannot be typed")
    name = f"nntop-pytest-{uuid.uuid4().hex[:8]}"
    socket = os.path.join(tempfile.gettempdir(), name)

    def start(log):
        # The size pinned for ncurses: the window's may not have reached the pane yet.
        command = f"env LINES=40 COLUMNS=120 '{binary}' watch '{log}'; sleep 60"
        result = tmux(socket, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8", command)
        assert result.returncode == 0, result.stderr

    def screen():
        return tmux(socket, "capture-pane", "-p", "-t", name).stdout

    def keys(*keys):
        assert tmux(socket, "send-keys", "-t", name, *keys).returncode == 0

    yield start, screen, keys
    tmux(socket, "kill-server")
    if os.path.exists(socket):
        os.unlink(socket)


def wait_for(what, condition, step, deadline=60, screen=lambda: ""):
    """Trains (`step`) until `condition()` holds; fails naming `what` (and showing the watch's
    screen) after `deadline` seconds."""
    end = time.monotonic() + deadline
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}; the watch shows:\n{screen()}"
        step()
        time.sleep(0.01)


def test_keys_in_watch_steer_a_pytorch_run(tmp_path, watch_session, nntop_cli):
    start, screen, keys = watch_session
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))  # no dropout: `D` is refused
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    run = nntop.Run(model, optimizer, dir=str(tmp_path), every=10, poll=0)
    x, y = torch.randn(16, 4), torch.randint(0, 3, (16,))
    going = [True]

    def step():
        out, loss = sgd_step(model, optimizer, x, y)
        going[0] = run.step(loss, outputs=out, targets=y)

    step()  # the header
    assert os.path.exists(nntop.command_log_path(run.path))
    start(run.path)
    wait_for("the dashboard", lambda: "tab/± turn" in screen(), step, screen=screen)

    # Three quick presses: three rungs down nntop's ladder, each applied and logged by the run.
    keys("l", "l", "l")
    wait_for("three learning-rate changes", lambda: len(of_type(run.path, "change")) == 3, step)
    changes = [(c["knob"], c["old"], c["new"], c["source"]) for c in of_type(run.path, "change")]
    assert changes == [("lr", 0.05, 0.02, "command"), ("lr", 0.02, 0.01, "command"), ("lr", 0.01, 0.005, "command")]
    assert all(group["lr"] == 0.005 for group in optimizer.param_groups)
    # The status line gives a step's presses from where the rate stood before the first of them.
    wait_for("the change on screen", lambda: re.search(r"lr 0\.0[25] → 0\.005 at step", screen()), step,
             screen=screen)

    # Dropout on a model without it: the run refuses, and the watch shows its reason.
    keys("D")
    reason = "dropout: the model has no nn.Dropout"
    wait_for("the refusal on screen", lambda: reason in screen(), step, screen=screen)
    assert any(reason in w["message"] for w in of_type(run.path, "warning"))

    # `nntop send` takes the same path; `X` in the watch stops the run.
    nntop_cli("send", run.path, "momentum", "0.5")
    wait_for("the sent momentum", lambda: optimizer.param_groups[0]["momentum"] == 0.5, step)
    keys("X")
    wait_for("the stop", lambda: not going[0], step)
    run.close()
    wait_for("the watch to see the end", lambda: "stopped" in screen(), lambda: None, deadline=10)
    assert [c["knob"] for c in of_type(run.path, "change")] == ["lr", "lr", "lr", "momentum"]
    assert of_type(run.path, "finished")[0]["outcome"] == "stopped"


def test_a_single_step_from_watch_is_seen_by_watch(tmp_path, watch_session):
    """Space pauses, `n` lets one step through: the run writes that step's progress record, so the
    watch says where it is now instead of waiting for the run; space again resumes."""
    start, screen, keys = watch_session
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    run = nntop.Run(model, optimizer, dir=str(tmp_path), every=1000, poll=0)
    x, y = torch.randn(16, 4), torch.randint(0, 3, (16,))

    def step():
        out, loss = sgd_step(model, optimizer, x, y)
        run.step(loss, outputs=out, targets=y)

    step()  # the header
    start(run.path)
    wait_for("the dashboard", lambda: "tab/± turn" in screen(), step, screen=screen)
    seen, failure = [], []

    def operator():
        """Presses the keys while the training thread waits inside run.step; always resumes."""
        try:
            end = time.monotonic() + 60
            keys("Space")
            while not ("paused at step" in screen() and of_type(run.path, "paused")):
                assert time.monotonic() < end, f"no pause; the watch shows:\n{screen()}"
                time.sleep(0.05)
            keys("n")
            while "one step: now at step" not in screen():
                assert time.monotonic() < end, f"the single step was not seen; the watch shows:\n{screen()}"
                time.sleep(0.05)
            seen.append(screen())
        except AssertionError as error:
            failure.append(str(error))
        finally:
            keys("Space")

    thread = threading.Thread(target=operator)
    thread.start()
    paused = lambda: bool(of_type(run.path, "paused"))  # noqa: E731
    wait_for("the pause", paused, step, screen=screen)  # the last of these steps waits for `n`
    step()  # the single step: its progress record, then waiting for the resume
    thread.join(timeout=90)
    assert not failure, failure[0]
    at = of_type(run.path, "paused")[0]["step"]
    # The steps before the pause, then the single step's own record.
    assert [p["step"] for p in of_type(run.path, "progress")] == [at, at + 1]
    assert f"one step: now at step {at + 1} (still paused)" in seen[0]
    run.close()
