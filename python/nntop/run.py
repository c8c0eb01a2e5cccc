"""`nntop.Run`: a PyTorch training loop as an nntop run log, with nntop's knobs."""

import math
import time

import torch
from torch import nn

from . import checkpoints, commands, header, knobs, ranks, stats
from .clock import RunClock
from .log import LogWriter, create_default, number, numbers
from .held import HeldSteps, first_non_finite
from .window import Window, batch_size

POLL_SECONDS = 0.1  # how often a paused run looks for resume/step/stop


class Run:
    """One training run, written as nntop's run log and steered by its command log.

    Call `step(loss, ...)` after each `optimizer.step()`, `epoch(...)` after each epoch's
    validation and `close()` at the end (or use `with`). `step` returns False once a `stop`
    command arrived: leave the batch loop then, and the epoch loop too (`stop_requested`).

    Every `every` steps the run writes a progress record and per-layer statistics (forward hooks
    on the next training batch; parameters and gradients). Each step's loss and, with `outputs`
    and `targets`, its right answers are held and read at the next record (one sync then, none
    per step), so `outputs` should not be changed in place after `run.step` (such steps are left
    out of `train_acc`, with a warning). Commands are looked for at the first
    step after `poll` seconds since the last look (0: every step; one `stat` when none came); under
    torch.distributed rank 0 reads them and broadcasts them at every `every`-th step, so all ranks
    apply them at the same step, and only rank 0 writes. `batch` is one process's batch (default:
    the first batch's size); the header says the global batch, `batch` times the world size.
    Paused time is not training time: `elapsed` and samples/s leave it out, as nntop's own trainer
    does; a single step taken while paused gets a progress record.
    """

    def __init__(
        self,
        model,
        optimizer,
        dir="runs",
        every=200,
        *,
        path=None,
        name="pytorch",
        batch=None,
        epochs=0,
        steps_per_epoch=0,
        train=0,
        validation=0,
        test=0,
        loss="softmax-cross-entropy",
        seed=None,
        poll=0.05,
        scheduler=None,
        resume=None,
    ):
        wrapped = isinstance(model, (nn.parallel.DistributedDataParallel, nn.DataParallel))
        self.model = model.module if wrapped else model
        self.optimizer = optimizer
        self.every = max(1, int(every))
        self.rank, self.world = ranks.distributed()
        self.step_count = 0
        self.epochs_done = 0
        self.steps_per_epoch = int(steps_per_epoch)
        self.stop_requested = False
        self.paused = False
        self.diverged = False
        self.closed = False
        self._single_step = False
        # The step about to run was let through by a `step` command while paused: it gets a
        # progress record of its own (as nntop's trainer reports a single step), which is what
        # tells `nntop watch` the step was taken.
        self._stepping_once = False
        self._poll = float(poll)
        self._next_poll = 0.0
        self._clock = RunClock()  # paused time is not training time
        self._layers = stats.find_layers(self.model)
        self._config = dict(name=name, batch=batch, epochs=epochs, train=train, validation=validation, test=test,
                            loss=loss, seed=seed, resumed_from=None)
        self._scheduler = scheduler
        self._step_lr = None
        if resume is not None:
            self._resume(str(resume))
        self._window = Window(self.world, self._clock.active)
        self._epoch_window = Window(self.world, self._clock.active)
        self._held = HeldSteps()
        self._warned_left_out = False
        self._best = (None, None)
        self._test = (None, None)
        self._header_written = False
        self._log = None
        self._reader = None
        self.path = None
        if self.rank == 0:
            self._log = LogWriter(path, self._clock.wall) if path else create_default(dir, name, self._clock.wall)
            self.path = self._log.path
            self._reader = commands.CommandReader(commands.command_log_path(self.path))
        self._arm_if_due()

    # --- the loop's calls -------------------------------------------------------------------

    def step(self, loss, outputs=None, targets=None):
        """Records one optimiser step; applies the commands that came. False once asked to stop."""
        if self.closed:
            return not self.stop_requested
        self.step_count += 1
        # The rate this step trained at, for its epoch's record (at `run.epoch`, after the loop's
        # `scheduler.step()`, it is the next epoch's).
        self._step_lr = self.optimizer.param_groups[0]["lr"]
        batch = batch_size(outputs, targets, self._config["batch"])
        if self.step_count == 1:
            self._start_clocks()
        if not self._header_written:
            self._write_header(self._config["batch"] or batch)
        self._window.add(batch)
        self._epoch_window.add(batch)
        if outputs is not None and self._config["loss"] == "squared-error":
            outputs = None  # no accuracy for a regression
        # The loss and the right answers are read at the next record (`HeldSteps`), not here.
        self._held.add(loss, outputs, targets, batch)
        if self._held.full():
            self._read_held(self.step_count)
        if self.step_count % self.every == 0:
            self._write_progress()
        elif self._stepping_once:
            self._write_progress(with_layers=False)  # no statistics were armed for this step
        self._stepping_once = False
        self._exchange_commands()
        self._arm_if_due()
        return not self.stop_requested

    def epoch(self, val_loss=None, val_acc=None, **metrics):
        """Ends an epoch: writes its validation and summary records.

        Of `metrics`, `test_loss`/`test_acc` make a test evaluation, `val_examples` is the number of
        validation examples (default: the `validation` count given to `Run`); the rest are kept
        under `metrics` in the epoch record.
        """
        self._read_held(self.step_count)
        self.epochs_done += 1
        if self.steps_per_epoch == 0 and self.epochs_done == 1:
            self.steps_per_epoch = self.step_count
        window = ranks.summed(self.world, self._epoch_window)
        self._epoch_window = Window(self.world, self._clock.active)
        self._window.skip_since_last_step()
        step, epoch = self.step_count, float(self.epochs_done)
        examples = int(metrics.pop("val_examples", self._config["validation"]) or 0)
        if val_loss is not None:
            self._write("evaluation", dict(step=step, epoch=epoch, split="validation", loss=number(val_loss),
                                           acc=number(val_acc), examples=examples))
            best_loss, best_acc = self._best
            # A NaN is no best: it had become "best_val_loss": "nan" beside a real accuracy.
            if math.isfinite(float(val_loss)) and (best_loss is None or val_loss < best_loss):
                self._best = (float(val_loss), None if val_acc is None else float(val_acc))
        test_loss, test_acc = metrics.pop("test_loss", None), metrics.pop("test_acc", None)
        if test_loss is not None:
            self._test = (float(test_loss), None if test_acc is None else float(test_acc))
            self._write("evaluation", dict(step=step, epoch=epoch, split="test", loss=number(test_loss),
                                           acc=number(test_acc), examples=int(self._config["test"] or 0)))
        fields = dict(epoch=self.epochs_done, step=step, train_loss=number(window.mean_loss()),
                      train_acc=number(window.accuracy()), val_loss=number(math.nan if val_loss is None else val_loss),
                      val_acc=number(val_acc), lr=number(self._step_lr) if self._step_lr is not None else self._lr(),
                      samples_per_second=number(window.rate(to_last_step=True)),
                      elapsed=self._elapsed())
        if metrics:
            # Shown and exported by name; one that is no number is left out, never raised in the loop.
            fields["metrics"], refused = numbers(metrics)
            if refused:
                self._write("warning", dict(message=f"epoch {self.epochs_done}: metrics left out, not numbers: "
                                                    + ", ".join(refused)[:300]))
        self._write("epoch", fields)

    def close(self, outcome=None):
        """Writes the `finished` record and closes the log (idempotent)."""
        if self.closed:
            return
        for layer in self._layers:
            layer.disarm()
        self._flush_steps()
        if self._log is not None:
            if not self._header_written:
                self._write_header(self._config["batch"] or 0)
            if outcome is None:
                outcome = "stopped" if self.stop_requested else "diverged" if self.diverged else "finished"
            best_loss, best_acc = self._best
            test_loss, test_acc = self._test
            self._write("finished", dict(outcome=outcome, step=self.step_count, epochs=self.epochs_done,
                                         test_loss=number(test_loss), test_acc=number(test_acc),
                                         best_val_loss=number(best_loss), best_val_acc=number(best_acc),
                                         elapsed=self._elapsed()))
            self._log.close()
        self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is not None:
            # The steps since the last record (Ctrl-C at step 18 with every=8 had lost 17 and 18),
            # not under torch.distributed, where the sum over ranks would wait for the others.
            if self.world == 1:
                self._flush_steps()
            if self._log is not None:
                # A header first (an exception before the first step left a log of one warning,
                # which nntop cannot read); no `finished` record: nntop lists the run as
                # interrupted, with the reason here.
                if not self._header_written:
                    self._write_header(self._config["batch"] or 0)
                # "training raised " is how nntop knows the run is over while this process lives on.
                self._write("warning", dict(message=f"training raised {kind.__name__}: {error}"[:500]))
                self._log.close()
            self.closed = True
            return False
        self.close()
        return False

    # --- commands ---------------------------------------------------------------------------

    def _exchange_commands(self):
        """Reads the command log (rank 0) and applies what came, on every rank at the same step."""
        if self.world == 1:
            now = time.monotonic()
            if now >= self._next_poll:  # a `stat` costs more than a clock read on a fast step
                self._next_poll = now + self._poll
                self._apply_all(self._read_commands())
        elif self.step_count % self.every == 0:
            self._apply_all(ranks.broadcast(self._read_commands()))
        if self.paused and not self.stop_requested and not self._single_step:
            waiting_since = time.monotonic()
            while self.paused and not self.stop_requested and not self._single_step:
                time.sleep(POLL_SECONDS)
                incoming = self._read_commands()
                self._apply_all(ranks.broadcast(incoming) if self.world > 1 else incoming)
            self._clock.waited_since(waiting_since)
        self._stepping_once = self._single_step and self.paused
        self._single_step = False

    def _read_commands(self):
        if self._reader is None:
            return []
        return [(number, raw.decode("utf-8", "replace")) for number, raw in self._reader.poll()]

    def _apply_all(self, lines):
        for line_number, text in lines:
            try:
                action, knob, value = commands.parse(text)
                self._apply(action, knob, value)
            except commands.Refused as refusal:
                self._refuse(f"line {line_number}: {refusal}")

    def _refuse(self, reason):
        self._write("warning", dict(message=f"command refused: {reason}"))

    def _apply(self, action, knob, value):
        if action == "set":
            self._set(knob, value)
        elif action == "pause":
            if not self.paused:
                # The steps before the pause get their record now, so a single step taken while
                # paused is a record of its own (it had averaged the steps before it in).
                self._flush_steps()
                self.paused = True
                self._clock.pause()
                self._write("paused", dict(step=self.step_count))
        elif action == "resume":
            if self.paused:
                self.paused = False
                self._single_step = False  # a step asked for before the resume is not owed after it
                self._clock.resume()
                self._write("resumed", dict(step=self.step_count))
        elif action == "step":
            if not self.paused:
                raise commands.Refused("step: the run is not paused")
            self._single_step = True
        elif action == "stop":
            self.stop_requested = True
        elif action == "checkpoint":
            self.checkpoint()

    def _set(self, knob, value):
        old = knobs.set_knob(self.optimizer, self.model, knob, value)
        self._write("change", dict(step=self.step_count, epoch=self._epoch(), knob=knob, old=number(old),
                                   new=number(value), source="command"))

    def checkpoint(self):
        """Saves a checkpoint beside the log now, as the `c` key does, and returns its path (None on
        ranks other than 0, which write nothing). Called after an epoch's `scheduler.step()` and
        `run.epoch`, a resume from it is exact; the key's lands before the loop's epoch-end code."""
        if self.path is None:
            return None
        stem = self.path[: -len(".jsonl")] if self.path.endswith(".jsonl") else self.path
        target = f"{stem}.step{self.step_count:04d}.pt"
        record = dict(step=self.step_count, epoch=self._epoch(), path=target, reason="requested", failed=False)
        try:
            checkpoints.save(target, self.model, self.optimizer, self._scheduler, self.step_count, self._epoch(),
                             self.epochs_done)
        except (OSError, RuntimeError) as error:
            record.update(path="", reason=f"cannot write {target}: {error}", failed=True)
        self._write("checkpoint", record)
        return record["path"] or None

    def _resume(self, path):
        """Carries on from a checkpoint: the state restored, and the epochs and steps counted on from
        the epoch it was taken in (a loop restarts that epoch: `range(run.epochs_done, epochs)`)."""
        step, self.epochs_done = checkpoints.load(path, self.model, self.optimizer, self._scheduler,
                                                  epochs=int(self._config["epochs"] or 0), world=self.world)
        self.step_count = self.epochs_done * self.steps_per_epoch if self.steps_per_epoch > 0 else step
        self._config["resumed_from"] = path

    # --- records ----------------------------------------------------------------------------

    def _write(self, kind, fields):
        if self._log is not None:
            self._log.write(kind, fields)

    def _elapsed(self):
        return self._clock.elapsed()

    def _epoch(self):
        if self.steps_per_epoch > 0:
            return self.step_count / self.steps_per_epoch
        return float(self.epochs_done)

    def _lr(self):
        return number(self.optimizer.param_groups[0]["lr"])

    def _momentum(self):
        return header.momentum(self.optimizer)

    def _arm_if_due(self):
        """Before a statistics step: hook the next forward pass and remember the weights."""
        if self._log is None or (self.step_count + 1) % self.every != 0:
            return
        for layer in self._layers:
            layer.arm()
            layer.before = layer.module.weight.detach().clone()

    def _read_held(self, last_step):
        """Reads the held steps (the last of them is `last_step`) into both windows; a non-finite
        loss among them is the divergence, at its own step."""
        values, batches, correct, seen = self._held.read()
        if not values:
            return
        # Each step's loss weighted by its examples, as accuracy counts them: a short last batch
        # had weighed as much as a full one (0.6691 where the loop's own mean was 0.6697).
        weighted = sum(v * b for v, b in zip(values, batches))
        for window in (self._window, self._epoch_window):
            window.add_read(weighted, sum(batches), correct, seen)
        bad = first_non_finite(values)
        if bad is not None and not self.diverged:
            self.diverged = True
            step = last_step - len(values) + 1 + bad
            epoch = step / self.steps_per_epoch if self.steps_per_epoch > 0 else float(self.epochs_done)
            self._write("diverged", dict(step=step, epoch=epoch, reason=f"loss is {number(values[bad])}", layer=None))
        if self._held.left_out and not self._warned_left_out:
            self._warned_left_out = True
            self._write("warning", dict(message="train_acc leaves out steps whose outputs were changed in place "
                                                "after run.step"))

    def _start_clocks(self):
        self._clock.restart()
        self._window = Window(self.world, self._clock.active)
        self._epoch_window = Window(self.world, self._clock.active)

    def _flush_steps(self):
        """A progress record for the steps since the last one, if any (no layer statistics: none
        were armed for them)."""
        self._read_held(self.step_count)
        if self._window.loss_examples > 0:
            self._write_progress(with_layers=False)

    def _write_progress(self, with_layers=True):
        self._read_held(self.step_count)
        window = ranks.summed(self.world, self._window)
        self._window = Window(self.world, self._clock.active)
        self._write("progress", dict(step=self.step_count, epoch=self._epoch(), train_loss=number(window.mean_loss()),
                                     train_acc=number(window.accuracy()), lr=self._lr(),
                                     samples_per_second=number(window.rate()), elapsed=self._elapsed()))
        if self._log is not None and self._layers and with_layers:
            with torch.no_grad():
                layers = [stats.layer_record(layer) for layer in self._layers]
            self._write("layers", dict(step=self.step_count, epoch=self._epoch(), layers=layers))

    def _write_header(self, batch):
        """`batch` is one process's; the header's is the global batch (docs/run-log.md): every
        process's examples go into one optimiser step, as `samples_per_second` counts them."""
        self._header_written = True
        if self._log is None:
            return
        fields = header.fields(self.model, self.optimizer, self._layers, self._config, int(batch or 0) * self.world,
                               self.steps_per_epoch)
        self._log.write("header", fields, t=0.0)
        if self._reader is not None and self._reader.skipped_at_start:
            self._write("warning", dict(message=f"command log {self._reader.path}: "
                                                f"{self._reader.skipped_at_start} bytes older than the run ignored"))
