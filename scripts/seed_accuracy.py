"""Test accuracy over seeds for two nntop binaries: what docs/performance.md's "accuracy over
seeds" figures come from (the goal: a change to the step moves the mean by less than 0.05 points).

Usage: python3 scripts/seed_accuracy.py [--seeds 30] [--threads 2] [--epochs 4] BEFORE_BINARY AFTER_BINARY

For each seed, `BINARY bench --threads T --epochs E --seed S` for both binaries; prints each one's
mean and median test accuracy and the per-seed figures.
"""
import argparse
import json
import statistics
import subprocess


def accuracy(binary, threads, epochs, seed):
    out = subprocess.run([binary, "bench", "--threads", str(threads), "--epochs", str(epochs), "--seed", str(seed)],
                         capture_output=True, text=True, check=True).stdout
    summary = next(json.loads(line) for line in out.splitlines() if '"summary"' in line)
    return summary["final_test_acc"] * 100


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=int, default=30)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("before")
    p.add_argument("after")
    a = p.parse_args()
    figures = {"before": [], "after": []}
    for seed in range(a.seeds):
        for name, binary in (("before", a.before), ("after", a.after)):
            figures[name].append(accuracy(binary, a.threads, a.epochs, seed))
    for name, values in figures.items():
        print(f"{name:6s} mean {statistics.mean(values):.3f} %  median {statistics.median(values):.3f} %  "
              + " ".join(f"{v:.2f}" for v in values))


if __name__ == "__main__":
    main()
