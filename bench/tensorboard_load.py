"""Loads one logdir with nntop's reader and with TensorBoard's EventAccumulator, alternating, and
prints the times, the ratio and peak memory (docs/performance.md).

The logdir (made once, with TensorBoard's own writer): 4 runs, each with 25 scalar tags of 10 000
points (1 000 000 scalar points in all) and 5 histogram tags of 500 histograms (10 000 in all).

    python3 bench/tensorboard_load.py [--rounds 3] [--logdir /tmp/nntop-tb-bench]
"""

import argparse
import os
import resource
import subprocess
import sys
import time

import numpy as np
from tensorboard.backend.event_processing import event_accumulator as ea
from tensorboard.compat.proto import summary_pb2
from tensorboard.compat.proto.event_pb2 import Event
from tensorboard.summary.writer.event_file_writer import EventFileWriter

RUNS, TAGS, POINTS, HIST_TAGS, HISTS = 4, 25, 10_000, 5, 500


def make(logdir):
    rng = np.random.default_rng(0)
    for r in range(RUNS):
        w = EventFileWriter(os.path.join(logdir, f"run{r}"), max_queue_size=100_000)
        for step in range(POINTS):
            values = [summary_pb2.Summary.Value(tag=f"scalar{t}", simple_value=float(rng.random())) for t in range(TAGS)]
            if step % (POINTS // HISTS) == 0:
                for h in range(HIST_TAGS):
                    counts = rng.integers(0, 100, size=30).astype(float)
                    histo = summary_pb2.HistogramProto(min=-1, max=1, num=float(counts.sum()),
                                                       bucket_limit=list(np.linspace(-0.9, 1, 30)), bucket=list(counts))
                    values.append(summary_pb2.Summary.Value(tag=f"hist{h}", histo=histo))
            for v in values:  # one value per event, as SummaryWriter writes them
                w.add_event(Event(wall_time=1_700_000_000 + step, step=step, summary=summary_pb2.Summary(value=[v])))
        w.close()


def load_tensorboard(logdir):
    start = time.perf_counter()
    points = 0
    for r in sorted(os.listdir(logdir)):
        acc = ea.EventAccumulator(os.path.join(logdir, r), size_guidance={ea.SCALARS: 0, ea.HISTOGRAMS: 0})
        acc.Reload()
        points += sum(len(acc.Scalars(t)) for t in acc.Tags()["scalars"])
    return time.perf_counter() - start, points


def load_nntop(nntop, logdir):
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M", nntop, "view", logdir, "--no-tui"], capture_output=True, text=True,
                         check=True)
    elapsed = time.perf_counter() - start
    points = sum(int(line.split()[2].split("=")[1]) for line in out.stdout.splitlines())
    return elapsed, points, int(out.stderr.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--logdir", default="/tmp/nntop-tb-bench")
    parser.add_argument("--nntop", default=".build/release/nntop")
    args = parser.parse_args()
    if not os.path.isdir(args.logdir):
        print(f"making {args.logdir} …", file=sys.stderr)
        make(args.logdir)
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(args.logdir) for f in fs)
    print(f"logdir: {size / 1e6:.1f} MB, {RUNS * TAGS * POINTS} scalar points, {RUNS * HIST_TAGS * HISTS} histograms")
    ours, theirs = [], []
    for round_ in range(args.rounds):
        t, points, peak_kb = load_nntop(args.nntop, args.logdir)
        ours.append(t)
        print(f"round {round_ + 1}: nntop view {t:.3f} s ({points} points, peak {peak_kb / 1024:.0f} MB)")
        t, points = load_tensorboard(args.logdir)
        theirs.append(t)
        print(f"round {round_ + 1}: EventAccumulator {t:.3f} s ({points} points)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    a, b = sorted(ours)[len(ours) // 2], sorted(theirs)[len(theirs) // 2]
    print(f"median: nntop {a:.3f} s, EventAccumulator {b:.3f} s (peak {peak:.0f} MB): nntop {b / a:.1f}× faster")


if __name__ == "__main__":
    main()
