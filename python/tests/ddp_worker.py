"""One rank of the DDP test (`torchrun --nproc_per_node 2 ddp_worker.py OUT_DIR`).

Rank 0 sends commands into its own command log: pause after step 2 (and resume 1 s later), knob
changes and a checkpoint after step 6, stop after step 13. Every rank writes what its optimiser
and dropout held after each step, and when, to OUT_DIR/rank{N}.json.
"""

import json
import os
import sys
import threading
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import nntop  # noqa: E402


def send(run_path, **command):
    fd = os.open(nntop.command_log_path(run_path), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.write(fd, (json.dumps(command) + "\n").encode())
    os.close(fd)


def main(out_dir):
    torch.set_num_threads(1)
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    torch.manual_seed(0)
    model = DistributedDataParallel(nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, 3)))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    generator = torch.Generator().manual_seed(rank)
    x, y = torch.randn(16, 4, generator=generator), torch.randint(0, 3, (16,), generator=generator)
    seen = []
    with nntop.Run(model, optimizer, dir=os.path.join(out_dir, "runs"), every=4, name="ddp") as run:
        for step in range(1, 41):
            out = model(x)
            loss = F.cross_entropy(out, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if rank == 0 and step == 2:
                send(run.path, command="pause")
                threading.Timer(1.0, send, args=(run.path,), kwargs=dict(command="resume")).start()
            if rank == 0 and step == 6:
                send(run.path, command="set", knob="lr", value=0.01)
                send(run.path, command="set", knob="dropout", value=0.3)
                send(run.path, command="checkpoint")
            if rank == 0 and step == 13:
                send(run.path, command="stop")
            going = run.step(loss, outputs=out, targets=y)
            seen.append(dict(step=step, lr=optimizer.param_groups[0]["lr"], p=model.module[2].p, at=time.monotonic(),
                             loss=float(loss), correct=int((out.argmax(1) == y).sum()), examples=int(y.numel())))
            if not going:
                break
        path = run.path
    with open(os.path.join(out_dir, f"rank{rank}.json"), "w") as f:
        json.dump(dict(rank=rank, path=path, seen=seen), f)
    # Both ranks finish every collective before either tears the group down: a rank whose peer
    # had already closed its connections aborted in gloo's teardown about one run in five
    # ("terminate called without an active exception"), after writing its results.
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1])
