#!/usr/bin/env python3
"""Dashboard benchmarks in a real terminal (tmux): training throughput with the dashboard against
`--no-tui` with the same flags, and the delay from a key press to its frame.

Usage: python3 scripts/bench_dashboard.py [--rounds 3] [--epochs 5] [--windows 40] [--keep-openblas-env]

Throughput: `nntop train mnist --epochs N` under the dashboard (in a 120×40 tmux window) and with
--no-tui, alternating; each run's figure is the median of its epochs after the first (training
steps only, read from the run log's epoch records, as `nntop bench` takes it: one 0.3 s epoch alone
varied by ±10 % on the same binary), and each round's ratio is reported, with the screen thread's
CPU time over the training's wall time, and the tmux server's (from /proc: the cost the screen
adds, which the machine's round-to-round drift does not blur).

Paired windows: one dashboard run (on a tmux server of its own) whose screen is switched off and on
every second by stopping and continuing that tmux server: stopped, it reads nothing from the pane, so
nntop's screen thread blocks in its write within a frame or two and draws nothing more. Training
goes on throughout; its throughput in each window (steps over training time, from the run log's
progress records, the first 0.2 s of each window left out) is compared between the two kinds of
window, in one process, so the minute-to-minute drift of a shared machine falls on both alike (a
second's drift does not: a window's rate also moves with how many epoch-end evaluations it holds,
hence many pairs). That run trains until stopped; --epochs applies to the rounds only.
Key latency: `L`/`l` sent with tmux send-keys, the screen polled with capture-pane until the
learning rate shown changes; the delay includes tmux's own round trips, so it is an upper bound.
"""
import argparse
import json
import os
import tempfile
import re
import signal
import statistics
import subprocess
import sys
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NNTOP = os.path.join(ROOT, ".build", "release", "nntop")


def tmux(*args, socket=None):
    """tmux on the default server, or on a server of its own (`socket`)."""
    server = ["-L", socket] if socket else []
    return subprocess.run(["tmux", *server, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL).stdout


def screen(name):
    return tmux("capture-pane", "-p", "-t", name)


def wait(name, predicate, timeout=300, poll=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        text = screen(name)
        if predicate(text):
            return text
        time.sleep(poll)
    sys.exit(f"timed out; screen:\n{screen(name)}")


def steady_rate(log):
    """Median samples/s of the log's epochs after the first."""
    with open(log) as f:
        rates = [r["samples_per_second"] for r in map(json.loads, f) if r.get("type") == "epoch"]
    return statistics.median(rates[1:] or rates)


def run_log():
    folder = tempfile.mkdtemp(prefix="nntop-bench-")
    return os.path.join(folder, "run.jsonl")


def prefix(env):
    """The pane inherits the tmux server's environment, not ours: unset the variables explicitly."""
    return "" if "OPENBLAS_CORETYPE" in env else "env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "


def nntop_pid(name):
    """The pane runs a shell whose child is nntop (which re-executes itself in place)."""
    shell = tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip()
    with open(f"/proc/{shell}/task/{shell}/children") as f:
        return int(f.read().split()[0])


def cpu_seconds(pid, tid=None):
    """utime + stime of a process (or of one of its threads), in seconds."""
    path = f"/proc/{pid}/task/{tid}/stat" if tid else f"/proc/{pid}/stat"
    with open(path) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def dashboard_rate(env, epochs):
    """Steady samples/s under the dashboard, and the screen thread's (the main thread's) share of
    one core while training ran: the part of the cost that does not depend on the machine's mood."""
    name = f"bench-{uuid.uuid4().hex[:8]}"
    log = run_log()
    tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8",
         f"{prefix(env)}'{NNTOP}' train mnist --epochs {epochs} --log '{log}'; echo done; sleep 30")
    try:
        wait(name, lambda t: "RUNNING" in t or "FINISHED" in t, poll=0.02)
        pid = nntop_pid(name)
        server = int(tmux("display-message", "-p", "-t", name, "#{pid}").strip())
        start, screen_start, server_start = time.perf_counter(), cpu_seconds(pid, pid), cpu_seconds(server)
        wait(name, lambda t: "FINISHED" in t, poll=0.5)
        elapsed = time.perf_counter() - start
        share = (cpu_seconds(pid, pid) - screen_start) / elapsed, (cpu_seconds(server) - server_start) / elapsed
        tmux("send-keys", "-t", name, "q")
        wait(name, lambda t: "done" in t)
        return steady_rate(log), share
    finally:
        tmux("kill-session", "-t", name)


def paired_windows(env, windows, seconds=1.0, guard=0.2):
    """Training throughput with the screen live and with it blocked, alternating in one run:
    [(live samples/s, blocked samples/s)] per pair of windows."""
    socket = f"bench-{uuid.uuid4().hex[:8]}"
    run = lambda *args: tmux(*args, socket=socket)
    log = run_log()
    run("new-session", "-d", "-s", "w", "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8",
        f"{prefix(env)}'{NNTOP}' train mnist --epochs 100000 --log '{log}'; sleep 30")
    server = int(run("display-message", "-p", "-t", "w", "#{pid}").strip())
    try:
        deadline = time.time() + 120
        while "RUNNING" not in run("capture-pane", "-p", "-t", "w"):
            if time.time() > deadline:
                sys.exit("paired windows: the dashboard never showed RUNNING")
            time.sleep(0.05)
        origin = run_origin(log)
        bounds = []
        for w in range(2 * windows):
            # Pairs alternate their order (live first, then blocked first), so whatever follows a
            # switch, such as tmux catching up after it continues, falls on both kinds alike.
            live = (w % 2 == 0) == ((w // 2) % 2 == 0)
            os.kill(server, signal.SIGCONT if live else signal.SIGSTOP)
            start = time.perf_counter()
            time.sleep(seconds)
            bounds.append((start - origin, time.perf_counter() - origin, live))
        os.kill(server, signal.SIGCONT)
    finally:
        os.kill(server, signal.SIGCONT)
        run("kill-server")
    with open(log) as f:
        progress = [r for r in map(json.loads, f) if r.get("type") == "progress"]
    batch = 128
    rates = []
    for start, end, live in bounds:
        inside = [r for r in progress if start + guard <= r["t"] <= end]
        if len(inside) < 2:
            sys.exit(f"paired windows: too few progress records in a {seconds} s window")
        steps = inside[-1]["step"] - inside[0]["step"]
        rates.append((live, steps * batch / (inside[-1]["elapsed"] - inside[0]["elapsed"])))
    pairs = []
    for a, b in zip(rates[0::2], rates[1::2]):
        live, blocked = (a, b) if a[0] else (b, a)
        pairs.append((live[1], blocked[1]))
    return pairs


def run_origin(log):
    """This script's clock at the run's t = 0: the first progress record seen in the log (written
    one record per write as it happens), less its t."""
    deadline = time.time() + 60
    while time.time() < deadline:
        with open(log) as f:
            for line in f:
                record = json.loads(line)
                if record.get("type") == "progress":
                    return time.perf_counter() - record["t"]
        time.sleep(0.002)
    sys.exit("paired windows: no progress record in the run log")


def headless_rate(env, epochs):
    log = run_log()
    subprocess.run([NNTOP, "train", "mnist", "--epochs", str(epochs), "--no-tui", "--log", log], env=env,
                   capture_output=True, text=True, check=True)
    return steady_rate(log)


def key_latency(env, presses=20):
    name = f"bench-{uuid.uuid4().hex[:8]}"
    tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", "-e", "LANG=C.UTF-8",
         f"{prefix(env)}'{NNTOP}' train spiral --epochs 100000; sleep 5")
    delays = []
    try:
        wait(name, lambda t: "RUNNING" in t)
        shown = lambda t: re.search(r"learning rate (\S+)", t).group(1)
        for i in range(presses):
            before = shown(screen(name))
            start = time.perf_counter()
            tmux("send-keys", "-t", name, "L" if i % 2 == 0 else "l")
            while shown(screen(name)) == before and time.perf_counter() - start < 5:
                time.sleep(0.002)
            if shown(screen(name)) == before:
                sys.exit(f"key press {i + 1} changed nothing in 5 s; screen:\n{screen(name)}")
            delays.append((time.perf_counter() - start) * 1000)
            time.sleep(0.1)
        tmux("send-keys", "-t", name, "q")
    finally:
        tmux("kill-session", "-t", name)
    return delays


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--windows", type=int, default=40, help="pairs of 1 s windows, screen live and blocked")
    p.add_argument("--keep-openblas-env", action="store_true")
    a = p.parse_args()
    env = dict(os.environ, LANG="C.UTF-8")
    if not a.keep_openblas_env:
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    tui, plain, shares, servers = [], [], [], []
    for r in range(a.rounds):
        rate, (share, server) = dashboard_rate(env, a.epochs)
        tui.append(rate)
        shares.append(share * 100)
        servers.append(server * 100)
        plain.append(headless_rate(env, a.epochs))
        print(f"round {r + 1}: dashboard {tui[-1]:.0f}  --no-tui {plain[-1]:.0f} samples/s  "
              f"({tui[-1] / plain[-1] * 100:.1f} %), screen thread {shares[-1]:.1f} % of a core, "
              f"tmux server {servers[-1]:.1f} %", file=sys.stderr)
    pairs = paired_windows(env, a.windows)
    for i, (live, blocked) in enumerate(pairs):
        print(f"window pair {i + 1}: screen live {live:.0f}, blocked {blocked:.0f} samples/s "
              f"({live / blocked * 100:.1f} %)", file=sys.stderr)
    delays = key_latency(env)
    t, n = statistics.median(tui), statistics.median(plain)
    print("| measure | value |")
    print("|---|---|")
    print(f"| samples/s with the dashboard (median of {a.rounds}) | {t:,.0f} |")
    print(f"| samples/s with --no-tui (median of {a.rounds}) | {n:,.0f} |")
    print(f"| dashboard ÷ --no-tui | {t / n * 100:.1f} % |")
    ratios = sorted(a / b * 100 for a, b in zip(tui, plain))
    print(f"| per round (lowest … highest) | {' / '.join(f'{x:.1f} %' for x in ratios)} |")
    print(f"| screen thread's CPU while training, % of one core (lowest … highest) | "
          f"{' / '.join(f'{x:.1f} %' for x in sorted(shares))} |")
    print(f"| tmux server's CPU meanwhile (it draws the pane; a real terminal's is outside the machine) | "
          f"{' / '.join(f'{x:.1f} %' for x in sorted(servers))} |")
    live, blocked = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
    pair_ratios = sorted(a / b * 100 for a, b in pairs)
    print(f"| one run, screen live ÷ blocked in alternating 1 s windows (ratio of the medians over {len(pairs)} pairs) | "
          f"{live / blocked * 100:.1f} % ({live:,.0f} / {blocked:,.0f}) |")
    print(f"| per pair of windows (lowest / median / highest) | {pair_ratios[0]:.1f} % / "
          f"{statistics.median(pair_ratios):.1f} % / {pair_ratios[-1]:.1f} % |")
    print(f"| key press → frame (median / max of {len(delays)}, includes tmux round trips) | "
          f"{statistics.median(delays):.0f} ms / {max(delays):.0f} ms |")


if __name__ == "__main__":
    main()
