"""Builds against each other and against their own GEMM-only ceilings, alternating: the
"÷ ceiling" figures of docs/performance.md's before/after tables.

Usage: python3 scripts/ceiling_ab.py [--rounds 4] [--threads 1,2] [--epochs 4] LABEL=BINARY ...

Each round runs, for every thread count and every build in turn, `BINARY bench --threads T
--epochs E` (median epoch after the first) and `BINARY bench --ceiling --threads T`. Printed per
build and thread count: the medians over rounds of both, and of each round's ratio, with the
lowest and highest ratio. The ceiling is the best of five short rounds and nntop a median epoch,
so on a drifting machine a round's ratio can pass 1. Binaries stay
inside their build folder (copy an older build to `.build/release/nntop-old`), as for ab_bench.py.
"""
import argparse
import json
import statistics
import subprocess


def epoch_rate(binary, threads, epochs):
    out = subprocess.run([binary, "bench", "--threads", str(threads), "--epochs", str(epochs)],
                         capture_output=True, text=True, check=True).stdout
    rates = [json.loads(line)["samples_per_second"] for line in out.splitlines() if '"kind": "epoch"' in line]
    return statistics.median(rates[1:] or rates)


def ceiling_rate(binary, threads):
    out = subprocess.run([binary, "bench", "--ceiling", "--threads", str(threads)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])["samples_per_second"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=4)
    p.add_argument("--threads", default="1,2")
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("builds", nargs="+", help="LABEL=BINARY")
    a = p.parse_args()
    builds = [spec.split("=", 1) for spec in a.builds]
    threads = [int(t) for t in a.threads.split(",")]
    results = {(label, t): [] for label, _ in builds for t in threads}
    for r in range(a.rounds):
        for t in threads:
            for label, binary in builds:
                rate, ceiling = epoch_rate(binary, t, a.epochs), ceiling_rate(binary, t)
                results[(label, t)].append((rate, ceiling))
                print(f"round {r + 1} threads {t} {label:8} {rate:9.0f}  ceiling {ceiling:9.0f}  "
                      f"ratio {rate / ceiling:.3f}", flush=True)
    print("| threads | build | samples/s | ceiling | ÷ ceiling (median of rounds' ratios) | rounds' ratios |")
    print("|---|---|---|---|---|---|")
    for t in threads:
        for label, _ in builds:
            rows = results[(label, t)]
            print(f"| {t} | {label} | {statistics.median(x for x, _ in rows):,.0f} | "
                  f"{statistics.median(c for _, c in rows):,.0f} | "
                  f"{statistics.median(x / c for x, c in rows):.2f} | "
                  f"{min(x / c for x, c in rows):.2f}–{max(x / c for x, c in rows):.2f} |")


if __name__ == "__main__":
    main()
