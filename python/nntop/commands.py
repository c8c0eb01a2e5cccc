"""The command log: what `nntop send` (or the dashboard) asks a running PyTorch run to do.

Beside `RUN.jsonl` lies `RUN.commands`, one JSON object per line, appended with one
`write` each (O_APPEND), e.g.

    {"command": "set", "knob": "lr", "value": 0.01, "sent": 1764432000.5}
    {"command": "pause", "sent": 1764432003.1}

Commands: `set` (with `knob` and `value`), `pause`, `resume`, `step` (one step while paused),
`stop`, `checkpoint`. A last line without its newline is incomplete and waits until it is whole.
"""

import json
import math
import os

# nntop's knob table (Sources/RunModel/Knob.swift, `Knob.range`): the values a command may set.
# A Swift test (CommandLogTests) checks this table against Knob so the two cannot drift apart.
KNOBS = {
    "lr": (1e-6, 10.0),
    "momentum": (0.0, 0.999),
    "dropout": (0.0, 0.95),
    "l2": (0.0, 1.0),
    "train_size": (1.0, 2147483647.0),
}

ACTIONS = frozenset(["pause", "resume", "step", "stop", "checkpoint"])


def command_log_path(run_log):
    """`runs/x.jsonl` -> `runs/x.commands` (nntop's `CommandLog.path(forRunLog:)`)."""
    stem = run_log[: -len(".jsonl")] if run_log.endswith(".jsonl") else run_log
    return stem + ".commands"


class Refused(Exception):
    """A command line that cannot be applied; the message says why (it goes into the run log)."""


def parse(line):
    """A command line as (action, knob, value); raises Refused with the reason."""
    try:
        obj = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        raise Refused("not a JSON object") from None
    if not isinstance(obj, dict):
        raise Refused("not a JSON object")
    action = obj.get("command")
    if action == "set":
        knob, value = obj.get("knob"), obj.get("value")
        if knob not in KNOBS:
            raise Refused(f"unknown knob {str(knob)[:20]!r} (knobs: {', '.join(KNOBS)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise Refused(f"{knob} needs a finite number")
        low, high = KNOBS[knob]
        if not low <= value <= high:
            raise Refused(f"{knob} {value:g} is outside {low:g} … {high:g}")
        return "set", knob, float(value)
    if action in ACTIONS:
        return action, None, None
    raise Refused(f"unknown command {str(action)[:20]!r}")


class CommandReader:
    """Reads what was appended to the command log since the last look: one `stat` when nothing was."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.line_number = 0
        self.skipped_at_start = 0
        try:
            # Created (empty) when the run starts: `nntop watch` takes its presence to mean that
            # the keys it appends here will be read.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644))
        except OSError:
            pass
        try:
            # Commands older than the run are not for it.
            self.offset = os.stat(path).st_size
            self.skipped_at_start = self.offset
        except OSError:
            pass

    def poll(self):
        """New complete lines as [(line_number, bytes)]; a partial last line stays for next time."""
        try:
            size = os.stat(self.path).st_size
        except OSError:
            return []
        if size == self.offset:
            return []
        if size < self.offset:  # the file was replaced or cut: start over
            self.offset = 0
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            data = f.read(size - self.offset)
        end = data.rfind(b"\n")
        if end < 0:
            return []
        self.offset += end + 1
        lines = []
        for raw in data[:end].split(b"\n"):
            self.line_number += 1
            if raw.strip():
                lines.append((self.line_number, raw))
        return lines
