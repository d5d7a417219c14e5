"""2-D test functions, and torch optimizers run on them to draw their paths on contour plots."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch

from ._validation import check_int


@dataclass(frozen=True)
class Landscape:
    """A 2-D test function with a start point and a plotting window."""

    name: str
    f: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
    start: tuple[float, float]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    levels: int = 25


LANDSCAPES = {
    landscape.name: landscape for landscape in (
        Landscape("x1^2 + 2 x2^2", lambda a, b: a ** 2 + 2 * b ** 2, (-5.0, -2.0), (-5.5, 5.5), (-3.5, 3.5)),
        Landscape("0.1 x1^2 + 2 x2^2 (ill-conditioned)", lambda a, b: 0.1 * a ** 2 + 2 * b ** 2, (-5.0, -2.0),
                  (-5.5, 2.0), (-3.0, 3.0)),
        Landscape("Rosenbrock valley", lambda a, b: (1 - a) ** 2 + 10 * (b - a ** 2) ** 2, (-1.5, 2.0),
                  (-2.0, 2.0), (-1.0, 3.0), levels=40),
    )
}
"""The 2-D test functions of notebooks 03 and 04, by name."""


def optimizer_trajectory(f: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], x0: Sequence[float],
                         make_optimizer: Callable[[list[torch.Tensor]], torch.optim.Optimizer],
                         steps: int) -> torch.Tensor:
    """Minimise ``f(x1, x2)`` from ``x0`` with an optimizer and return every point visited.

    Args:
        f: a scalar function of two scalar tensors, e.g. ``lambda a, b: 0.1 * a**2 + 2 * b**2``.
        x0: the start, two numbers.
        make_optimizer: ``params -> optimizer``, e.g. ``lambda p: torch.optim.Adam(p, lr=0.1)``.
        steps: number of optimizer steps (>= 0).

    Returns:
        float64 tensor of shape (steps + 1, 2), starting with ``x0``.
    """
    if not callable(f) or not callable(make_optimizer):
        raise TypeError("f and make_optimizer must be callable")
    check_int("steps", steps, minimum=0)
    start = torch.as_tensor(x0, dtype=torch.float64)
    if start.shape != (2,):
        raise ValueError(f"x0 must hold two numbers, got shape {tuple(start.shape)}")
    x = start.clone().requires_grad_()
    optimizer = make_optimizer([x])
    path = [start]
    for _ in range(steps):
        optimizer.zero_grad()
        f(x[0], x[1]).backward()
        optimizer.step()
        path.append(x.detach().clone())
    return torch.stack(path)
