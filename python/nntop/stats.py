"""Per-layer statistics as nntop computes them (Sources/Training/StatisticsCollector.swift).

The layers are the model's `Linear` and `Conv*` modules in registration order: the last is
nntop's `output`, the others `hidden1`, `hidden2`, ... Each layer's activations are the output of
the activation module that follows it (ReLU, Tanh, ...) when there is one before the next layer,
else the layer's own output (an activation applied with `torch.nn.functional` is not seen).
"""

import math

import torch
from torch import nn

BINS = 24
SAMPLE_LIMIT = 4096

ACTIVATIONS = {
    nn.ReLU: "relu",
    nn.Tanh: "tanh",
    nn.Sigmoid: "sigmoid",
    nn.LeakyReLU: "leaky-relu",
    nn.ELU: "elu",
}
LAYER_TYPES = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)


class Layer:
    """One watched layer: its module, the module whose output is its activation, and that activation."""

    def __init__(self, name, module, watched, activation):
        self.name = name
        self.module = module
        self.watched = watched
        self.activation = activation
        self.units = module.out_features if isinstance(module, nn.Linear) else module.out_channels
        self.captured = None
        self.handle = None
        self.before = None

    def arm(self):
        """Capture the next training forward pass's activations (the hook removes itself)."""
        if self.handle is None:
            self.handle = self.watched.register_forward_hook(self._hook)

    def _hook(self, module, inputs, output):
        if not module.training or not isinstance(output, torch.Tensor):
            return
        self.captured = output.detach()
        self.handle.remove()
        self.handle = None

    def disarm(self):
        if self.handle is not None:
            self.handle.remove()
            self.handle = None


def find_layers(model):
    """The model's layers in order, with the activation module each is followed by."""
    found = []
    pending = None
    for module in model.modules():
        if isinstance(module, LAYER_TYPES):
            if pending is not None:
                found.append(pending)
            pending = [module, module, None]
        elif pending is not None and pending[2] is None and type(module) in ACTIVATIONS:
            pending[1], pending[2] = module, ACTIVATIONS[type(module)]
    if pending is not None:
        found.append(pending)
    layers = []
    for index, (module, watched, activation) in enumerate(found):
        last = index == len(found) - 1
        # The output layer is summarised before any activation, as nntop shows logits.
        name = "output" if last else f"hidden{index + 1}"
        layers.append(Layer(name, module, module if last else watched, None if last else activation))
    return layers


def summarize(values):
    """mean, std, min, max, quartiles, histogram of a tensor, the way nntop's collector does:
    mean and spread over every value (a non-finite activation shows in them), range, bins and
    quartiles over the finite ones (`torch.histc` raised on an infinite range, in the user's loop)."""
    flat = values.reshape(-1).float()
    n = flat.numel()
    if n == 0:
        return dict(mean=0.0, std=0.0, min=0.0, max=0.0, quartiles=[0.0, 0.0, 0.0], histogram=[0] * BINS)
    # Sums in double, as nntop's collector adds them; the rest in the activations' own precision.
    mean = float(flat.sum(dtype=torch.float64)) / n
    squares = float(flat.square().sum(dtype=torch.float64)) / n
    std = max(0.0, squares - mean * mean) ** 0.5 if math.isfinite(squares) else squares
    finite = flat if bool(torch.isfinite(flat).all()) else flat[torch.isfinite(flat)]
    if finite.numel() == 0:
        nan = float("nan")
        return dict(mean=mean, std=std, min=nan, max=nan, quartiles=[nan] * 3, histogram=[0] * BINS)
    low, high = (float(v) for v in torch.aminmax(finite))
    width = high - low
    if width > 0 and math.isfinite(width):
        # Equal bins from min to max, the maximum in the last: nntop's rule, in one pass.
        histogram = [int(c) for c in torch.histc(finite, bins=BINS, min=low, max=high).tolist()]
    else:
        histogram = [finite.numel()] + [0] * (BINS - 1)
    # Quartiles from a strided sample of at most SAMPLE_LIMIT values, nearest rank: three
    # selections (a quarter of the time of sorting the sample, the costliest part of a layer).
    sample = flat[:: max(1, n // SAMPLE_LIMIT)]
    sample = sample[torch.isfinite(sample)].contiguous()
    m = sample.numel()
    quartiles = ([float(torch.kthvalue(sample, min(m - 1, int(q * (m - 1) + 0.5)) + 1).values)
                  for q in (0.25, 0.5, 0.75)] if m else [float("nan")] * 3)
    return dict(mean=mean, std=std, min=low, max=high, quartiles=quartiles, histogram=histogram)


def dead_fraction(values):
    """Units (features, or channels of a convolution) that output zero for every example."""
    if values.dim() < 2 or values.shape[0] == 0:
        return 0.0
    # A unit is alive when its largest output is above 0 (one reduction; NaN counts as dead, as
    # "never above 0" does).
    if values.dim() > 2:
        largest = values.transpose(0, 1).reshape(values.shape[1], -1).amax(dim=1)
    else:
        largest = values.amax(dim=0)
    return float((~(largest > 0)).sum()) / values.shape[1]


def saturated_fraction(values, activation):
    low, high = (0.01, 0.99) if activation == "sigmoid" else (-0.99, 0.99)
    if values.numel() == 0:
        return 0.0
    return float(((values <= low) | (values >= high)).sum()) / values.numel()


def layer_record(layer):
    """The `layers` entry of one layer, from its captured activations and its parameters."""
    values = layer.captured
    stats = summarize(values) if values is not None else summarize(torch.zeros(0))
    dead = saturated = 0.0
    if values is not None and layer.activation == "relu":
        dead = dead_fraction(values)
    if values is not None and layer.activation in ("sigmoid", "tanh"):
        saturated = saturated_fraction(values, layer.activation)
    weight = layer.module.weight.detach()
    weight_norm = float(torch.linalg.vector_norm(weight))
    grads = [p.grad for p in layer.module.parameters(recurse=False) if p.grad is not None]
    grad_norm = math.sqrt(sum(float(torch.linalg.vector_norm(g)) ** 2 for g in grads))
    ratio = 0.0
    if layer.before is not None and weight_norm > 0:
        ratio = float(torch.dist(weight, layer.before)) / weight_norm  # no difference tensor made
    layer.captured = None
    layer.before = None
    return dict(
        name=layer.name,
        units=layer.units,
        **stats,
        dead=dead,
        saturated=saturated,
        weight_norm=weight_norm,
        grad_norm=grad_norm,
        update_ratio=ratio,
    )
