#!/usr/bin/env python3
"""What the nntop PyTorch client costs: the MNIST MLP training recipe of the PyTorch reference
trainer (784-256-128-10 ReLU, SGD lr 0.05 momentum 0.9, batch 128, the 60 000 training images,
shuffled outside the clock), one epoch without the client and one with it, alternating, over
several rounds. Prints one JSON line per epoch and a summary: the median of the rounds' overheads
(wall clock, with minus without) and of the time spent inside `run.step` over the rest of the
epoch (the client's own cost, which other programs' load does not blur as much).

    python bench/torch_client_overhead.py --rounds 7
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "examples"))
sys.path.insert(1, os.path.join(HERE, "..", "python"))


def arguments():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--every", type=int, default=None, help="the client's K (default: the client's default)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--examples", type=int, default=60000, help="training images per epoch (a loaded machine: fewer)")
    p.add_argument("--no-accuracy", action="store_true", help="call run.step(loss) without outputs and targets")
    return p.parse_args()


args = arguments()
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, str(args.threads))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

import mnist_idx  # noqa: E402
import nntop  # noqa: E402


def model():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def epoch(x, y, with_client, folder, generator):
    net = model()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    order = torch.randperm(x.shape[0], generator=generator)
    xs, ys = x.index_select(0, order), y.index_select(0, order)
    options = {} if args.every is None else dict(every=args.every)
    run = nntop.Run(net, optimizer, dir=folder, name="overhead", **options) if with_client else None
    loss_sum = torch.zeros((), dtype=torch.float64)
    correct = torch.zeros((), dtype=torch.int64)
    inside = 0.0  # seconds spent in run.step: the client's own cost, which load noise cannot hide
    start = time.perf_counter()
    for i in range(0, xs.shape[0], 128):
        xb, yb = xs[i : i + 128], ys[i : i + 128]
        out = net(xb)
        loss = F.cross_entropy(out, yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            loss_sum += loss.detach() * xb.shape[0]
            correct += (out.argmax(1) == yb).sum()
        if run is not None:
            before = time.perf_counter()
            if args.no_accuracy:
                run.step(loss)
            else:
                run.step(loss, outputs=out, targets=yb)
            inside += time.perf_counter() - before
    seconds = time.perf_counter() - start
    if run is not None:
        run.epoch(val_loss=float(loss_sum) / xs.shape[0])
        run.close()
    return seconds, inside


def main():
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x, y, _, _ = mnist_idx.load()
    x, y = x[: args.examples], y[: args.examples]
    generator = torch.Generator().manual_seed(args.seed)
    ratios, plain, client, shares, insides = [], [], [], [], []
    steps = (x.shape[0] + 127) // 128
    with tempfile.TemporaryDirectory() as folder:
        epoch(x[:6400], y[:6400], True, folder, generator)  # warm-up
        for r in range(args.rounds):
            order = (False, True) if r % 2 == 0 else (True, False)  # alternate which goes first
            times = {}
            for with_client in order:
                times[with_client], inside = epoch(x, y, with_client, folder, generator)
                if with_client:
                    shares.append(inside / (times[True] - inside))
                    insides.append(inside)
                print(json.dumps(dict(round=r + 1, client=with_client, seconds=round(times[with_client], 3),
                                      in_client=round(inside, 3))), flush=True)
            plain.append(times[False])
            client.append(times[True])
            ratios.append(times[True] / times[False] - 1)
    print(json.dumps(dict(
        every=args.every or "default", threads=args.threads, rounds=args.rounds, examples=x.shape[0], accuracy=not args.no_accuracy,
        median_seconds_without=round(statistics.median(plain), 3),
        median_seconds_with=round(statistics.median(client), 3),
        median_overhead_percent=round(100 * statistics.median(ratios), 2),
        overhead_percent_by_round=[round(100 * r, 2) for r in ratios],
        median_in_client_percent=round(100 * statistics.median(shares), 2),
        median_in_client_us_per_step=round(1e6 * statistics.median(insides) / steps, 1),
        median_step_us_without=round(1e6 * statistics.median(plain) / steps, 1),
        in_client_percent_by_round=[round(100 * s, 2) for s in shares])), flush=True)


if __name__ == "__main__":
    main()
