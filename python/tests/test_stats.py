"""Per-layer statistics on a tiny model, against values worked out by hand."""

import math

import pytest
import torch
from torch import nn

import nntop
from conftest import of_type

# hidden = relu(x·W1ᵀ + b1), output = hidden·[1, 1, 1]ᵀ; the loss is mean(output²).
W1 = [[1.0, -1.0], [0.5, 0.5], [-1.0, -1.0]]
B1 = [0.0, 0.0, -10.0]
X = [[1.0, 2.0], [3.0, -1.0], [-2.0, 0.0], [0.0, 1.0]]
LR = 0.01


def one_step(tmp_path):
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor(W1))
        model[0].bias.copy_(torch.tensor(B1))
        model[2].weight.fill_(1.0)
        model[2].bias.zero_()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    with nntop.Run(model, optimizer, dir=str(tmp_path), every=1, loss="squared-error") as run:
        out = model(torch.tensor(X))
        loss = (out**2).mean()
        loss.backward()
        optimizer.step()
        run.step(loss, outputs=out)
    return of_type(run.path, "layers")[0]["layers"]


def norm(values):
    return math.sqrt(sum(v * v for v in values))


def test_hidden_layer_statistics(tmp_path):
    hidden = one_step(tmp_path)[0]
    # relu rows: [0, 1.5, 0], [4, 1, 0], [0, 0, 0], [0, 0.5, 0]: the third unit never fires.
    values = [0, 1.5, 0, 4, 1, 0, 0, 0, 0, 0, 0.5, 0]
    mean = 7 / 12
    assert hidden["name"] == "hidden1" and hidden["units"] == 3
    assert hidden["mean"] == pytest.approx(mean)
    assert hidden["std"] == pytest.approx(math.sqrt(19.5 / 12 - mean * mean))
    assert (hidden["min"], hidden["max"]) == (0.0, 4.0)
    assert hidden["quartiles"] == [0.0, 0.0, 0.5]  # nearest rank of the 12 sorted values
    expected = [0] * 24
    for v in values:  # bin = ⌊(v − min) / (max − min) · 24⌋, the top value in the last bin
        expected[min(23, int(v / 4 * 24))] += 1
    assert hidden["histogram"] == expected and expected[0] == 8 and expected[23] == 1
    assert hidden["dead"] == pytest.approx(1 / 3) and hidden["saturated"] == 0.0
    # d loss / d output = output / 2 = [0.75, 2.5, 0, 0.25], through the relu mask to W1 and b1.
    gradient = [7.5, -2.5, 8.25, -0.75, 0, 0, 2.5, 3.5, 0]
    assert hidden["grad_norm"] == pytest.approx(norm(gradient))
    updated = [1 - LR * 7.5, -1 + LR * 2.5, 0.5 - LR * 8.25, 0.5 + LR * 0.75, -1, -1]
    assert hidden["weight_norm"] == pytest.approx(norm(updated))
    assert hidden["update_ratio"] == pytest.approx(LR * norm(gradient[:6]) / norm(updated))


def test_output_layer_statistics(tmp_path):
    output = one_step(tmp_path)[1]
    assert output["name"] == "output" and output["units"] == 1
    assert output["mean"] == pytest.approx(7 / 4)  # outputs 1.5, 5, 0, 0.5
    assert (output["min"], output["max"]) == (0.0, 5.0)
    assert output["dead"] == 0.0  # the output layer has no activation to die
    gradient = [10.0, 3.75, 0.0, 3.5]  # W2 then b2
    assert output["grad_norm"] == pytest.approx(norm(gradient))
    updated = [1 - LR * 10, 1 - LR * 3.75, 1.0]
    assert output["update_ratio"] == pytest.approx(LR * norm(gradient[:3]) / norm(updated))


def test_convolutions_count_channels(tmp_path):
    conv = nn.Conv2d(1, 2, kernel_size=1)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([1.0, -1.0]).reshape(2, 1, 1, 1))
        conv.bias.zero_()
    model = nn.Sequential(conv, nn.ReLU(), nn.Flatten(), nn.Linear(8, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with nntop.Run(model, optimizer, dir=str(tmp_path), every=1) as run:
        out = model(torch.rand(3, 1, 2, 2) + 0.1)  # positive: the second channel is always zero
        out.sum().backward()
        optimizer.step()
        run.step(out.sum())
    hidden = of_type(run.path, "layers")[0]["layers"][0]
    assert hidden["units"] == 2 and hidden["dead"] == 0.5 and sum(hidden["histogram"]) == 3 * 2 * 4
    assert of_type(run.path, "header")[0]["network"]["hidden"] == [2]


def test_statistics_only_every_k_steps_and_hooks_come_off(tmp_path):
    model = nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with nntop.Run(model, optimizer, dir=str(tmp_path), every=3) as run:
        for _ in range(7):
            out = model(torch.randn(5, 2) * 100)  # saturates the sigmoid
            out.sum().backward()
            optimizer.step()
            run.step(out.sum())
            model.eval()
            model(torch.randn(5, 2))  # evaluation passes are not training statistics
            model.train()
    snapshots = of_type(run.path, "layers")
    assert [s["step"] for s in snapshots] == [3, 6]
    assert all(s["layers"][0]["saturated"] > 0.5 for s in snapshots)
    assert all(not m._forward_hooks for m in model.modules())


def test_non_finite_activations_neither_raise_nor_bin(tmp_path, nntop_cli):
    """A loop at lr 50 blows its activations up to inf and NaN: the client's statistics had raised
    (`torch.histc: range of [-inf, inf] is not finite`) inside the user's loop. Now the record shows
    it in mean and spread, bins the finite values, and nntop reads the whole log back."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=50)
    x, y = torch.randn(64, 4) * 10, torch.randint(0, 3, (64,))
    with nntop.Run(model, optimizer, dir=str(tmp_path), every=5, name="big", epochs=2, steps_per_epoch=10,
                   train=640, validation=64) as run:
        for _ in range(2):
            for _ in range(10):
                out = model(x)
                loss = nn.functional.cross_entropy(out, y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                run.step(loss, outputs=out, targets=y)
            run.epoch(val_loss=loss.item(), val_acc=0.3)
    snapshots = of_type(run.path, "layers")
    assert len(snapshots) == 4
    last = snapshots[-1]["layers"][0]
    assert last["mean"] in ("nan", "inf", "-inf") or not math.isfinite(last["mean"])
    assert sum(last["histogram"]) <= 64 * 16
    replay = nntop_cli("replay", run.path, "--no-tui")
    assert "sgd lr 50," in replay.stdout and "diverged at step" in replay.stdout
    assert "warning" not in replay.stderr, replay.stderr


def test_summary_of_non_finite_values():
    s = nntop.stats.summarize(torch.tensor([1.0, 2.0, float("nan"), 3.0, float("inf"), 5.0]))
    assert math.isnan(s["mean"]) and (s["min"], s["max"]) == (1.0, 5.0)
    assert sum(s["histogram"]) == 4 and s["histogram"][0] == 1 and s["histogram"][-1] == 1
    assert s["quartiles"] == [2.0, 3.0, 3.0]
    none = nntop.stats.summarize(torch.tensor([float("nan"), float("-inf")]))
    assert math.isnan(none["min"]) and sum(none["histogram"]) == 0
