"""Resuming a PyTorch run from the client's own checkpoint: the same weights, optimiser,
scheduler and dropout rate (not in any state_dict), and a log that counts its epochs on."""

import json

import pytest
import torch
from torch import nn

import nntop
from conftest import of_type, records, send, sgd_step

STEPS = 4  # steps an epoch


def make():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    return model, optimizer, scheduler


def train(run, model, optimizer, scheduler, epochs, before_step=None):
    torch.manual_seed(1)
    x, y = torch.randn(16, 4), torch.randint(0, 3, (16,))
    for epoch in range(run.epochs_done, epochs):
        for _ in range(STEPS):
            if before_step:
                before_step(run)
            out, loss = sgd_step(model, optimizer, x, y)
            run.step(loss, outputs=out, targets=y)
        scheduler.step()
        run.epoch(val_loss=loss.item(), val_acc=0.5)


def test_a_run_resumes_where_its_checkpoint_left_it(tmp_path):
    model, optimizer, scheduler = make()
    first = nntop.Run(model, optimizer, dir=str(tmp_path / "a"), every=2, poll=0, epochs=4, steps_per_epoch=STEPS,
                      scheduler=scheduler)

    def at_step(run):
        # `d` pressed at step 3, from `nntop watch`.
        if run.step_count == 2:
            send(run.path, json.dumps(dict(command="set", knob="dropout", value=0.3)) + "\n")

    with first:
        train(first, model, optimizer, scheduler, 2, before_step=at_step)
        path = first.checkpoint()  # at the epoch's end, after its scheduler step
    [saved] = of_type(first.path, "checkpoint")
    assert saved["step"] == 2 * STEPS and not saved["failed"] and saved["path"] == path

    again_model, again_optimizer, again_scheduler = make()
    assert again_model[2].p == 0.1
    second = nntop.Run(again_model, again_optimizer, dir=str(tmp_path / "b"), every=2, epochs=4,
                       steps_per_epoch=STEPS, scheduler=again_scheduler, resume=saved["path"])
    assert second.epochs_done == 2 and second.step_count == 2 * STEPS
    assert again_model[2].p == 0.3  # the key's dropout, which no state_dict holds
    assert again_optimizer.param_groups[0]["lr"] == 0.1 * 0.5 ** 2  # the scheduler's place
    assert all(torch.equal(a, b) for a, b in zip(again_model.state_dict().values(), model.state_dict().values()))
    with second:
        train(second, again_model, again_optimizer, again_scheduler, 4)
    log = records(second.path)
    assert log[0]["resumed_from"] == saved["path"] and log[0]["hyperparameters"]["dropout"] == 0.3
    assert [e["epoch"] for e in of_type(second.path, "epoch")] == [3, 4]
    assert [e["step"] for e in of_type(second.path, "epoch")] == [3 * STEPS, 4 * STEPS]
    assert [p["step"] for p in of_type(second.path, "progress")] == [10, 12, 14, 16]
    # Epoch 3 at the rate the uninterrupted run would have had, then the scheduler's next.
    assert [p["lr"] for p in of_type(second.path, "progress")] == [0.025, 0.025, 0.0125, 0.0125]
    # An epoch's record names the rate it trained at, not the one its `scheduler.step()` set next.
    assert [e["lr"] for e in of_type(second.path, "epoch")] == [0.025, 0.0125]


def test_runs_lists_the_resumed_epochs(tmp_path, nntop_cli):
    model, optimizer, scheduler = make()
    with nntop.Run(model, optimizer, dir=str(tmp_path), epochs=3, steps_per_epoch=STEPS) as run:
        train(run, model, optimizer, scheduler, 1)
        run.checkpoint()
    [saved] = of_type(run.path, "checkpoint")
    model, optimizer, scheduler = make()
    with nntop.Run(model, optimizer, dir=str(tmp_path / "b"), name="resumed", epochs=3, steps_per_epoch=STEPS,
                   resume=saved["path"]) as resumed:
        train(resumed, model, optimizer, scheduler, 3)
    listing = nntop_cli("runs", str(tmp_path / "b")).stdout.splitlines()
    assert " 2-3/3 " in listing[1] and "finished" in listing[1], listing


def test_the_keys_checkpoint_at_an_epochs_last_step_counts_that_epoch(tmp_path):
    """`c` pressed during an epoch's last step lands before `run.epoch`: the epoch is whole."""
    model, optimizer, scheduler = make()
    with nntop.Run(model, optimizer, dir=str(tmp_path), poll=0, epochs=3, steps_per_epoch=STEPS) as run:
        def press_c(run):
            if run.step_count == STEPS - 1:
                send(run.path, json.dumps(dict(command="checkpoint")) + "\n")
        train(run, model, optimizer, scheduler, 1, before_step=press_c)
    [saved] = of_type(run.path, "checkpoint")
    assert saved["step"] == STEPS
    model, optimizer, scheduler = make()
    resumed = nntop.Run(model, optimizer, dir=str(tmp_path / "b"), epochs=3, steps_per_epoch=STEPS,
                        resume=saved["path"])
    assert resumed.epochs_done == 1 and resumed.step_count == STEPS
    resumed.close()


def loader_run(directory, epochs, resume=None, stop_after=None):
    """A loop with a shuffling DataLoader and dropout: both draw from the global generators."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    data = torch.utils.data.TensorDataset(torch.randn(64, 4), torch.randint(0, 3, (64,)))
    loader = torch.utils.data.DataLoader(data, batch_size=16, shuffle=True)
    path = None
    with nntop.Run(model, optimizer, dir=str(directory), epochs=epochs, steps_per_epoch=4, resume=resume) as run:
        for epoch in range(run.epochs_done, epochs):
            for x, y in loader:
                out, loss = sgd_step(model, optimizer, x, y)
                run.step(loss, outputs=out, targets=y)
            run.epoch(val_loss=loss.item(), val_acc=0.5)
            if stop_after == epoch + 1:
                path = run.checkpoint()
                break
    return model, path


def test_a_resume_from_an_epochs_end_repeats_the_uninterrupted_run_exactly(tmp_path):
    """Shuffle order and dropout masks come from the generators the checkpoint keeps: epochs 3–4
    after a resume are the uninterrupted run's, weight for weight."""
    whole, _ = loader_run(tmp_path / "whole", 4)
    _, path = loader_run(tmp_path / "first", 4, stop_after=2)
    torch.manual_seed(123)  # whatever the process drew since: the checkpoint's generators win
    resumed, _ = loader_run(tmp_path / "second", 4, resume=path)
    assert all(torch.equal(a, b) for a, b in zip(whole.state_dict().values(), resumed.state_dict().values()))


def test_a_file_that_is_no_checkpoint_is_refused_in_one_line(tmp_path):
    model, optimizer, scheduler = make()

    def refused(name, reason):
        with pytest.raises(nntop.ResumeError) as raised:
            nntop.Run(model, optimizer, dir=str(tmp_path / "logs"), epochs=4, resume=str(tmp_path / name))
        message = str(raised.value)
        assert message.startswith(f"cannot resume from {tmp_path / name}: ") and "\n" not in message, message
        assert reason in message, message
        assert "weights_only" not in message  # never the advice to load a file unsafely

    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    refused("junk.pt", "not a file torch.save wrote")
    (tmp_path / "empty.pt").write_bytes(b"")
    refused("empty.pt", "the file is empty")
    torch.save(dict(model={}, optimizer={}, thing=object.__new__(nn.Module)), tmp_path / "objects.pt")
    refused("objects.pt", "holds more than tensors and plain values")
    torch.save(dict(weights=[1]), tmp_path / "other.pt")
    refused("other.pt", "no model and optimizer state")
    torch.save(dict(model=nn.Linear(2, 2).state_dict(), optimizer=optimizer.state_dict()), tmp_path / "shape.pt")
    refused("shape.pt", "Error(s) in loading state_dict for Sequential: Missing key(s)")
    good = dict(model=model.state_dict(), optimizer=optimizer.state_dict())
    torch.save(dict(good, epochs_done=99, epoch=99.0), tmp_path / "far.pt")
    refused("far.pt", "it is past epoch 99, and this run has 4")
    torch.save(dict(good, dropout=7.0), tmp_path / "drop.pt")
    refused("drop.pt", "its dropout 7.0 is not a rate from 0 to 1")
    refused("missing.pt", "No such file or directory")
    assert not (tmp_path / "logs").exists() or not any((tmp_path / "logs").iterdir())  # no log was made
