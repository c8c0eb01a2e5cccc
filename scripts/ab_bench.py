"""Two or more nntop binaries against each other, alternating: what docs/performance.md's
"each change alone" figures come from.

Usage: python3 scripts/ab_bench.py [--rounds 4] [--threads 2] [--epochs 6] LABEL=BINARY[;VAR:VALUE...] ...

Each round runs `BINARY bench --threads T --epochs E` for every variant in turn (alternating, so
the machine's drift hits all alike). From each run: the best epoch and the median epoch after the
first. Printed per variant: the median over rounds of both. A binary must stay inside its build
folder (it finds the datasets relative to itself): copy an older build to `.build/release/nntop-old`
rather than to /tmp. `;VAR:VALUE` sets an environment variable for that variant.
"""
import argparse
import json
import os
import statistics
import subprocess


def run(binary, env, threads, epochs):
    out = subprocess.run([binary, "bench", "--threads", str(threads), "--epochs", str(epochs)],
                         capture_output=True, text=True, env=env, check=True).stdout
    rates = [json.loads(line)["samples_per_second"] for line in out.splitlines() if '"kind": "epoch"' in line]
    steady = rates[1:] or rates
    return max(steady), statistics.median(steady)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=4)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("variants", nargs="+", help="LABEL=BINARY[;VAR:VALUE...]")
    a = p.parse_args()
    variants = []
    for spec in a.variants:
        label, rest = spec.split("=", 1)
        binary, *settings = rest.split(";")
        env = dict(os.environ, **dict(setting.split(":", 1) for setting in settings))
        variants.append((label, binary, env))
    results = {label: [] for label, _, _ in variants}
    for _ in range(a.rounds):
        for label, binary, env in variants:
            results[label].append(run(binary, env, a.threads, a.epochs))
    for label, runs in results.items():
        best = statistics.median(r[0] for r in runs)
        median = statistics.median(r[1] for r in runs)
        print(f"{label:12s} best epoch {best:9.0f}   median epoch {median:9.0f} samples/s  ({a.rounds} rounds)")


if __name__ == "__main__":
    main()
