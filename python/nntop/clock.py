"""The run's three clocks: wall time, training time (pauses left out) and throughput time."""

import time


class RunClock:
    """Seconds since the run started, three ways, as nntop's own trainer counts them.

    `wall` is each record's `t`. `elapsed` is training time (`Trainer.trainingSeconds`): every
    pause, from its `paused` record to its `resumed` record, single steps and all, is left out, so
    the dashboard's elapsed time, its ETA and `nntop runs`' duration do not grow while a run waits.
    `active` is what throughput is measured on: only the waiting inside a pause is left out, so a
    single step taken while paused still has its own time (nntop's trainer sums its steps' times).
    """

    def __init__(self):
        self.restart()

    def restart(self):
        """From now: the run's first step. Loading data or compiling between `Run(...)` and it is
        not training (14 s of it had read 22.7 samples/s and an elapsed time of 0:17)."""
        self.start = time.monotonic()
        self.paused_seconds = 0.0
        self.paused_since = None
        self.waited = 0.0

    def wall(self):
        return time.monotonic() - self.start

    def elapsed(self):
        now = time.monotonic()
        pausing = now - self.paused_since if self.paused_since is not None else 0.0
        return now - self.start - self.paused_seconds - pausing

    def active(self):
        return time.monotonic() - self.start - self.waited

    def pause(self):
        if self.paused_since is None:
            self.paused_since = time.monotonic()

    def resume(self):
        if self.paused_since is not None:
            self.paused_seconds += time.monotonic() - self.paused_since
            self.paused_since = None

    def waited_since(self, moment):
        """Counts the time from `moment` (a `time.monotonic()`) to now as waiting."""
        self.waited += time.monotonic() - moment
