"""The header record of a PyTorch run: the model described as nntop describes its networks."""

import os
import socket
import sys
import time

import torch
from torch import nn

from .log import number


def momentum(optimizer):
    """SGD's momentum or Adam's β₁ (nntop's momentum knob), None when the optimiser has neither."""
    group = optimizer.param_groups[0]
    if "momentum" in group:
        return group["momentum"]
    if "betas" in group:
        return group["betas"][0]
    return None


def dropouts(model):
    return [m for m in model.modules() if isinstance(m, nn.modules.dropout._DropoutNd)]


def fields(model, optimizer, layers, config, batch, steps_per_epoch):
    """The header's fields (docs/run-log.md, "Runs written by the PyTorch client")."""
    sizes = [layer.units for layer in layers]
    first = layers[0].module if layers else None
    inputs = (first.in_features if isinstance(first, nn.Linear) else first.in_channels) if first else 1
    activations = [layer.activation for layer in layers if layer.activation]
    group = optimizer.param_groups[0]
    found = dropouts(model)
    seed = config["seed"] if config["seed"] is not None else torch.initial_seed()
    return dict(
        dataset=config["name"],
        network=dict(
            input=inputs,
            hidden=sizes[:-1],
            output=sizes[-1] if sizes else 1,
            activation=activations[0] if activations else "linear",
            loss=config["loss"],
            batch_norm=any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in model.modules()),
            init="pytorch",
        ),
        optimizer="sgd" if isinstance(optimizer, torch.optim.SGD) else "adam",
        hyperparameters=dict(
            lr=number(group["lr"]),
            momentum=number(momentum(optimizer) or 0.0),
            dropout=number(found[0].p if found else 0.0),
            l2=number(group.get("weight_decay", 0.0)),
        ),
        batch=int(batch or 0),
        epochs=int(config["epochs"]),
        schedule="constant",
        seed=str(int(seed) % (1 << 64)),
        threads=torch.get_num_threads(),
        train=int(config["train"]),
        validation=int(config["validation"]),
        test=int(config["test"]),
        parameters=sum(p.numel() for p in model.parameters()),
        steps_per_epoch=int(steps_per_epoch),
        train_available=int(config["train"]),
        early_stopping=0,
        dataset_checksums={},
        writer="pytorch",
        created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        command=list(sys.argv),
        machine=dict(hostname=socket.gethostname(), cores=os.cpu_count() or 1, pid=os.getpid()),
        **({"resumed_from": config["resumed_from"]} if config.get("resumed_from") else {}),
    )
