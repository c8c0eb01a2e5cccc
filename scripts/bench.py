#!/usr/bin/env python3
"""Runs `nntop bench` and the reference trainers back to back, alternating, and prints a table
of medians and ratios (the protocol of bench/README.md).

Usage: python3 scripts/bench.py [--rounds 3] [--epochs 4] [--threads 1,2] [--torch PYTHON]
                                [--references DIR] [--keep-openblas-env]

Contenders: nntop (.build/release/nntop), NumPy (numpy_mlp.py), when a Python with torch is given
or found (the test environment, $NNTOP_VENV or ~/.cache/nntop-venv), PyTorch (torch_mlp.py), and
the GEMM-only ceiling (`nntop bench --ceiling`: only the step's matrix products, with nntop's BLAS
and thread arrangement, at their best speed). All run the same network, batch, optimiser and
epochs. Figures are steady samples/s (median epoch after the first) and the final test accuracy;
the table gives the median over rounds and nntop's ratio to each. A last row per thread count,
from `nntop bench --pair-ceiling`, times the ceiling's step between nntop's own steps in one
process: the ratio of the mean steps and of the 10th-percentile steps, which the machine's drift
from one process to the next does not blur.

Some machines set OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE to force older kernels; by default they are
removed for every contender alike (so each BLAS picks its own kernels), --keep-openblas-env keeps them.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--references", default=os.path.join(ROOT, "bench"))
    venv = os.environ.get("NNTOP_VENV", os.path.expanduser("~/.cache/nntop-venv"))
    p.add_argument("--torch", default=os.path.join(venv, "bin", "python"))
    p.add_argument("--keep-openblas-env", action="store_true")
    return p.parse_args()


def run(command, env):
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed ({out.returncode}):\n{out.stderr}")
    summary = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")][-1]
    if summary.get("kind") == "paired":
        return summary["ratio_mean"], summary["ratio_p10"]
    if summary.get("kind") == "ceiling":
        return summary["samples_per_second"], float("nan")
    return summary["steady_samples_per_second"], summary["final_test_acc"]


def has_torch(python):
    if not os.path.exists(python):
        return False
    return subprocess.run([python, "-c", "import torch"], capture_output=True, check=False).returncode == 0


def main():
    a = parse()
    env = dict(os.environ)
    if not a.keep_openblas_env:
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    data = os.path.join(ROOT, "datasets", "mnist")
    contenders = {"nntop": lambda t: [os.path.join(ROOT, ".build", "release", "nntop"), "bench", "--data", data]}
    numpy_script = os.path.join(a.references, "numpy_mlp.py")
    if os.path.exists(numpy_script):
        contenders["numpy"] = lambda t: [sys.executable, numpy_script, "--data", data]
    torch_script = os.path.join(a.references, "torch_mlp.py")
    if os.path.exists(torch_script) and has_torch(a.torch):
        contenders["pytorch"] = lambda t: [a.torch, torch_script, "--data", data]
    nntop = contenders["nntop"](1)[0]
    contenders["ceiling"] = lambda t: [nntop, "bench", "--ceiling"]
    if a.epochs >= 2:  # the pairing times the steps after the first epoch
        contenders["paired"] = lambda t: [nntop, "bench", "--data", data, "--pair-ceiling"]
    threads = [int(t) for t in a.threads.split(",")]
    results = {(name, t): [] for name in contenders for t in threads}
    for r in range(a.rounds):
        for t in threads:
            for name, command in contenders.items():
                extra = [] if name == "ceiling" else ["--epochs", str(a.epochs)]
                speed, acc = run(command(t) + ["--threads", str(t)] + extra, env)
                results[(name, t)].append((speed, acc))
                if name == "paired":
                    print(f"round {r + 1} threads {t} {name:8s} ceiling ÷ nntop step {speed:.3f} (10th percentiles {acc:.3f})", file=sys.stderr)
                else:
                    print(f"round {r + 1} threads {t} {name:8s} {speed:10.0f} samples/s  test acc {acc:.4f}", file=sys.stderr)
    print(f"| threads | contender | samples/s (median of {a.rounds}) | test acc (median) | nntop ÷ contender |")
    print("|---|---|---|---|---|")
    for t in threads:
        ours = statistics.median(s for s, _ in results[("nntop", t)])
        for name in contenders:
            if name == "paired":
                mean = statistics.median(s for s, _ in results[(name, t)])
                tenth = statistics.median(x for _, x in results[(name, t)])
                print(f"| {t} | GEMM-only ceiling, same process (mean step / 10th-percentile step) | — | — | {mean:.2f} / {tenth:.2f} |")
                continue
            speed = statistics.median(s for s, _ in results[(name, t)])
            acc = statistics.median(x for _, x in results[(name, t)])
            shown = "—" if acc != acc else f"{acc * 100:.2f} %"
            label = "GEMM-only ceiling" if name == "ceiling" else name
            print(f"| {t} | {label} | {speed:,.0f} | {shown} | {ours / speed:.2f}× |")
    kept = "kept" if a.keep_openblas_env else "unset"
    print(f"\n{a.epochs} epochs, 784-256-128-10 ReLU, SGD 0.05 momentum 0.9, batch 128; OPENBLAS_CORETYPE/L2_SIZE {kept}.")


if __name__ == "__main__":
    main()
