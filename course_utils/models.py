"""Small model builders the notebooks share (the layers, not the ideas being taught)."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from ._validation import check_int, check_type


def make_mlp(n_in: int, width: int, depth: int, n_out: int | None = None,
             activation: type[nn.Module] = nn.ReLU) -> nn.Sequential:
    """``depth`` blocks of ``Linear -> activation`` (the first maps ``n_in -> width``), then an optional head.

    Args:
        n_in: input features; the input has shape (batch, n_in).
        width: units of every hidden layer.
        depth: number of hidden ``Linear -> activation`` blocks (>= 1).
        n_out: size of a final ``Linear(width, n_out)`` head with no activation; ``None`` for no head.
        activation: an ``nn.Module`` class such as ``nn.ReLU`` or ``nn.Tanh``.
    """
    check_int("n_in", n_in, minimum=1)
    check_int("width", width, minimum=1)
    check_int("depth", depth, minimum=1)
    if n_out is not None:
        check_int("n_out", n_out, minimum=1)
    if not (isinstance(activation, type) and issubclass(activation, nn.Module)):
        raise TypeError(f"activation must be an nn.Module class such as nn.ReLU, got {activation!r}")
    layers: list[nn.Module] = []
    for i in range(depth):
        layers += [nn.Linear(n_in if i == 0 else width, width), activation()]
    if n_out is not None:
        layers.append(nn.Linear(width, n_out))
    return nn.Sequential(*layers)


@torch.no_grad()
def init_linear_layers_(model: nn.Module, weight_init: Callable[[torch.Tensor], object],
                        bias_value: float = 0.0) -> nn.Module:
    """Apply ``weight_init(weight)`` to the weight of every ``nn.Linear`` in ``model``; fill biases.

    ``weight_init`` is any in-place initializer, e.g. ``nn.init.xavier_uniform_`` or
    ``lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu")``. Returns ``model``.
    """
    check_type("model", model, nn.Module)
    if not callable(weight_init):
        raise TypeError(f"weight_init must be callable, got {type(weight_init).__name__}")
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if not linears:
        raise ValueError("model has no nn.Linear layer to initialise")
    for layer in linears:
        weight_init(layer.weight)
        if layer.bias is not None:
            layer.bias.fill_(bias_value)
    return model
