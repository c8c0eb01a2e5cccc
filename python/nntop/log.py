"""nntop's run-log framing: one JSON object per line, one write per line, fsync for key records."""

import json
import math
import os
import time
import warnings

# Records whose loss would change what a replay shows (RecordCodec's `key: true` kinds).
KEY_RECORDS = frozenset(
    ["header", "change", "paused", "resumed", "diverged", "epoch", "finished", "checkpoint", "lr_sweep"]
)


def numbers(mapping):
    """({name: number} of the values that are numbers, [names of those that are not])."""
    kept, refused = {}, []
    for key, value in mapping.items():
        try:
            kept[str(key)] = number(value)
        except (TypeError, ValueError):
            refused.append(str(key))
    return kept, refused


def number(value):
    """A float as nntop writes it: non-finite values become the strings "nan", "inf", "-inf"."""
    if value is None:
        return None
    value = float(value)
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "nan"
    return "inf" if value > 0 else "-inf"


def _finite(value):
    if isinstance(value, float):
        return number(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def file_name_part(name):
    """`name` as one part of a file name: ASCII letters, digits, `.`, `_` and `-` kept, anything else
    (a `/` that made a subfolder `nntop runs` does not look in, control characters) as `-`."""
    kept = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "-" for c in str(name))
    # At most 100 characters: a file name has 255 bytes, and 300 raised "File name too long".
    return kept.strip(".")[:100] or "run"


def default_path(folder, name):
    """`folder/YYYYMMDD-HHMMSS-NAME.jsonl`, with `-2`, `-3`... when taken (as nntop names its logs)."""
    return next(p for p in _default_paths(folder, name) if not os.path.exists(p))


def _default_paths(folder, name):
    name = file_name_part(name)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime())
    yield os.path.join(folder, f"{stamp}-{name}.jsonl")
    n = 2
    while True:
        yield os.path.join(folder, f"{stamp}-{name}-{n}.jsonl")
        n += 1


def create_default(folder, name, clock):
    """A new log under the default name: the next free name is taken by creating it, so runs
    started together (a sweep's processes, threads) each get their own (checking first and then
    creating had failed five runs in six with FileExistsError)."""
    for path in _default_paths(folder, name):
        try:
            return LogWriter(path, clock)
        except FileExistsError:
            continue


class LogWriter:
    """Appends records to a new run log. A failed write is reported once and training goes on."""

    def __init__(self, path, clock):
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        # O_EXCL: a new log never overwrites an old one.
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_CLOEXEC, 0o644)
        self.path = path
        self.clock = clock
        self.failed = False

    def write(self, kind, fields, t=None):
        if self.fd < 0 or self.failed:
            return
        record = {"type": kind}
        if kind == "header":
            record["version"] = 1
        record["t"] = self.clock() if t is None else t
        record.update(fields)
        try:
            text = json.dumps(record, allow_nan=False)
        except ValueError:  # a non-finite float that did not go through number()
            text = json.dumps(_finite(record), allow_nan=False)
        data = (text + "\n").encode()
        try:
            # One write per line so a reader never sees half a record from a live writer.
            while data:
                written = os.write(self.fd, data)
                data = data[written:]
            if kind in KEY_RECORDS:
                os.fsync(self.fd)
        except OSError as error:
            self.failed = True
            warnings.warn(f"run log {self.path}: write failed ({error}); training goes on, the log stops here")

    def close(self):
        if self.fd >= 0:
            try:
                os.fsync(self.fd)
            except OSError:
                pass
            os.close(self.fd)
            self.fd = -1
