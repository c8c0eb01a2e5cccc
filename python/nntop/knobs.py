"""What a command's knob does to a PyTorch optimiser and model: nntop's knobs set in place."""

from . import commands, header


def set_knob(optimizer, model, knob, value):
    """Sets `knob` to `value` and returns its old value, both the first parameter group's.

    A rate or weight decay keeps every other group's ratio to the first group's, and a group at 0
    stays at 0: the usual setup gives biases and norms no weight decay, or a backbone a tenth of
    the head's rate, and setting every group to one value had flattened it. When the first group
    is at 0, every group takes `value`. Momentum (or Adam's β₁) and dropout are set everywhere.
    """
    groups = optimizer.param_groups
    if knob in ("lr", "l2"):
        key = "lr" if knob == "lr" else "weight_decay"
        if any(key not in g for g in groups):
            raise commands.Refused(f"l2: {type(optimizer).__name__} has no weight_decay")
        old = groups[0][key]
        for group in groups:
            group[key] = value if old <= 0 or group is groups[0] else group[key] * value / old
        return old
    if knob == "momentum":
        old = header.momentum(optimizer)
        if old is None:
            raise commands.Refused(f"momentum: {type(optimizer).__name__} has neither momentum nor betas")
        for group in groups:
            if "momentum" in group:
                group["momentum"] = value
            else:
                group["betas"] = (value,) + tuple(group["betas"][1:])
        return old
    if knob == "dropout":
        dropouts = header.dropouts(model)
        if not dropouts:
            raise commands.Refused("dropout: the model has no nn.Dropout")
        old = dropouts[0].p
        for module in dropouts:
            module.p = value
        return old
    raise commands.Refused(f"{knob}: the training data is the training loop's, not nntop's")
