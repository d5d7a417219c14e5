"""Small model builders the notebooks share (the layers, not the ideas being taught)."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from ._validation import check_choice, check_int, check_type

NormFactory = Callable[[int], nn.Module]
"""A normalisation layer builder: number of features or channels -> module (``nn.BatchNorm1d``,
``nn.LayerNorm``, ``lambda c: nn.GroupNorm(4, c)``)."""


def _check_norm(norm: NormFactory | None, norm_position: str) -> None:
    if norm is not None and not callable(norm):
        raise TypeError(f"norm must be a callable such as nn.BatchNorm1d (features -> module), got {norm!r}")
    check_choice("norm_position", norm_position, ("before", "after"))


def _normalised_block(layer: nn.Module, width: int, activation: type[nn.Module], norm: NormFactory | None,
                      norm_position: str) -> list[nn.Module]:
    """``layer -> norm -> activation`` (``"before"``) or ``layer -> activation -> norm`` (``"after"``)."""
    if norm is None:
        return [layer, activation()]
    norm_layer = norm(width)
    if not isinstance(norm_layer, nn.Module):
        raise TypeError(f"norm({width}) must return an nn.Module, got {type(norm_layer).__name__}")
    if norm_position == "before":
        return [layer, norm_layer, activation()]
    return [layer, activation(), norm_layer]


def make_mlp(n_in: int, width: int, depth: int, n_out: int | None = None,
             activation: type[nn.Module] = nn.ReLU, norm: NormFactory | None = None,
             norm_position: str = "before") -> nn.Sequential:
    """``depth`` blocks of ``Linear -> activation`` (the first maps ``n_in -> width``), then an optional head.

    Args:
        n_in: input features; the input has shape (batch, n_in).
        width: units of every hidden layer.
        depth: number of hidden ``Linear -> activation`` blocks (>= 1).
        n_out: size of a final ``Linear(width, n_out)`` head with no activation; ``None`` for no head.
        activation: an ``nn.Module`` class such as ``nn.ReLU`` or ``nn.Tanh``.
        norm: ``None`` (no normalisation) or a builder ``width -> module`` such as ``nn.BatchNorm1d``,
            ``nn.LayerNorm`` or ``lambda c: nn.GroupNorm(8, c)``, added to every hidden block. The module
            maps (batch, width) to (batch, width).
        norm_position: ``"before"`` the activation (``Linear -> norm -> activation``, as in Ioffe and
            Szegedy; the ``Linear`` then has no bias, which the normalisation would subtract anyway) or
            ``"after"`` it (``Linear -> activation -> norm``).
    """
    check_int("n_in", n_in, minimum=1)
    check_int("width", width, minimum=1)
    check_int("depth", depth, minimum=1)
    if n_out is not None:
        check_int("n_out", n_out, minimum=1)
    if not (isinstance(activation, type) and issubclass(activation, nn.Module)):
        raise TypeError(f"activation must be an nn.Module class such as nn.ReLU, got {activation!r}")
    _check_norm(norm, norm_position)
    bias = norm is None or norm_position == "after"
    layers: list[nn.Module] = []
    for i in range(depth):
        linear = nn.Linear(n_in if i == 0 else width, width, bias=bias)
        layers += _normalised_block(linear, width, activation, norm, norm_position)
    if n_out is not None:
        layers.append(nn.Linear(width, n_out))
    return nn.Sequential(*layers)


def make_cnn(in_channels: int, n_classes: int, image_size: int, channels: tuple[int, ...] = (16, 32),
             activation: type[nn.Module] = nn.ReLU, norm: NormFactory | None = None) -> nn.Sequential:
    """A small CNN: per entry of ``channels`` a block ``Conv3x3 (padding 1) -> [norm] -> activation ->
    MaxPool2d(2)``, then ``Flatten -> Linear(channels[-1] * side * side, n_classes)``.

    Args:
        in_channels / image_size: the input has shape (batch, in_channels, image_size, image_size).
        n_classes: outputs (logits) of shape (batch, n_classes).
        channels: output channels of each block; each block halves the side (floor), so ``image_size``
            must be at least ``2 ** len(channels)``. The flattened size is computed, not hard-coded.
        norm: ``None`` or a builder ``channels -> module`` such as ``nn.BatchNorm2d`` or
            ``lambda c: nn.GroupNorm(4, c)``; with a norm the convolutions have no bias.
    """
    check_int("in_channels", in_channels, minimum=1)
    check_int("n_classes", n_classes, minimum=1)
    check_int("image_size", image_size, minimum=1)
    check_type("channels", channels, (tuple, list))
    if not channels:
        raise ValueError("channels must name at least one block, e.g. (16, 32)")
    for c in channels:
        check_int("every entry of channels", c, minimum=1)
    if image_size < 2 ** len(channels):
        raise ValueError(f"image_size {image_size} is too small for {len(channels)} blocks that each halve it "
                         f"(need at least {2 ** len(channels)})")
    if not (isinstance(activation, type) and issubclass(activation, nn.Module)):
        raise TypeError(f"activation must be an nn.Module class such as nn.ReLU, got {activation!r}")
    _check_norm(norm, "before")
    layers: list[nn.Module] = []
    side, previous = image_size, in_channels
    for c in channels:
        conv = nn.Conv2d(previous, c, kernel_size=3, padding=1, bias=norm is None)
        layers += _normalised_block(conv, c, activation, norm, "before") + [nn.MaxPool2d(2)]
        side, previous = side // 2, c
    layers += [nn.Flatten(), nn.Linear(previous * side * side, n_classes)]
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
