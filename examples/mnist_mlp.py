#!/usr/bin/env python3
"""An MNIST MLP in PyTorch, watched with nntop and steered with its knobs.

One process:   python examples/mnist_mlp.py --epochs 5
Two processes: torchrun --nproc_per_node 2 examples/mnist_mlp.py --epochs 5   (CPU, gloo)

Then, in another terminal: `nntop watch runs/…-mnist-torch.jsonl` to watch it, and
`nntop send runs/…-mnist-torch.jsonl lr 0.01` (or dropout 0.2, l2 1e-4, momentum 0.5, pause,
resume, step, stop, checkpoint) to steer it. The run log's path is printed at the start.
"""

import argparse
import os
import sys

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.join(HERE, "..", "python"))  # the client from this checkout when not installed
import mnist_idx  # noqa: E402
import nntop  # noqa: E402


def arguments():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=mnist_idx.DEFAULT_DIR, help="folder of the four MNIST files")
    p.add_argument("--hidden", default="256,128", help="hidden layer widths")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch", type=int, default=128, help="per process")
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--l2", type=float, default=0.0)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--every", type=int, default=200, help="progress and layer statistics every K steps")
    p.add_argument("--dir", default="runs", help="folder of the run log")
    p.add_argument("--threads", type=int, default=1, help="torch threads per process")
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


def mlp(sizes, dropout):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers += [nn.ReLU(), nn.Dropout(dropout)]
    return nn.Sequential(*layers)


@torch.no_grad()
def evaluate(model, x, y):
    model.eval()
    out = model(x)
    model.train()
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def main():
    args = arguments()
    torch.set_num_threads(args.threads)
    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    if distributed:
        dist.init_process_group("gloo")
    rank, world = (dist.get_rank(), dist.get_world_size()) if distributed else (0, 1)
    torch.manual_seed(args.seed)

    x_train, y_train, x_test, y_test = mnist_idx.load(args.data)
    # nntop's split: the last 5 000 training images are the validation set.
    x_val, y_val = x_train[55_000:], y_train[55_000:]
    x_train, y_train = x_train[:55_000], y_train[:55_000]
    model = mlp([784] + [int(h) for h in args.hidden.split(",")] + [10], args.dropout)
    if distributed:
        model = nn.parallel.DistributedDataParallel(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, weight_decay=args.l2)
    shard = torch.arange(rank, x_train.shape[0], world)  # each process trains on its own examples
    steps = (shard.numel() + args.batch - 1) // args.batch
    generator = torch.Generator().manual_seed(args.seed)

    run = nntop.Run(model, optimizer, dir=args.dir, every=args.every, name="mnist-torch", epochs=args.epochs,
                    steps_per_epoch=steps, batch=args.batch, train=x_train.shape[0], validation=x_val.shape[0],
                    test=x_test.shape[0], seed=args.seed)
    if run.path:
        print(f"run log: {run.path}   (watch: nntop watch {run.path})", flush=True)
    with run:
        for epoch in range(args.epochs):
            order = shard[torch.randperm(shard.numel(), generator=generator)]
            for i in range(0, order.numel(), args.batch):
                batch = order[i : i + args.batch]
                x, y = x_train[batch], y_train[batch]
                out = model(x)
                loss = F.cross_entropy(out, y)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                if not run.step(loss, outputs=out, targets=y):
                    break
            if run.stop_requested:
                break
            val_loss, val_acc = evaluate(model, x_val, y_val)
            test_loss, test_acc = evaluate(model, x_test, y_test) if epoch == args.epochs - 1 else (None, None)
            run.epoch(val_loss=val_loss, val_acc=val_acc, test_loss=test_loss, test_acc=test_acc,
                      val_examples=x_val.shape[0])
            if rank == 0:
                print(f"epoch {epoch + 1}: val loss {val_loss:.4f} acc {val_acc:.2%}", flush=True)
    if distributed:
        # Every rank done with every collective before any tears the group down: without this,
        # gloo aborted a rank in its teardown now and then ("terminate called without an active
        # exception"), failing a run that had finished.
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
