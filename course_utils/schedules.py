"""Learning-rate sequences of torch schedulers, for plots and for checking closed-form schedules."""

from __future__ import annotations

from collections.abc import Callable

import torch

from ._validation import check_int, check_number


def lr_sequence(make_scheduler: Callable[[torch.optim.Optimizer], object], steps: int, base_lr: float = 0.1,
                momentum: float = 0.9) -> list[float]:
    """The learning rate a scheduler sets at each of its first ``steps`` steps.

    A throw-away SGD optimizer (one parameter, ``lr=base_lr``, ``momentum`` so that cyclic schedulers can
    cycle it) is handed to ``make_scheduler``. Entry ``t`` is the rate used by the ``t``-th optimizer step,
    i.e. after ``t`` calls of ``scheduler.step()``, which are made after ``optimizer.step()`` as PyTorch expects.

    Returns:
        ``steps`` floats.
    """
    if not callable(make_scheduler):
        raise TypeError("make_scheduler must be callable as make_scheduler(optimizer), got "
                        f"{type(make_scheduler).__name__}")
    check_int("steps", steps, minimum=1)
    check_number("base_lr", base_lr, 0.0, low_inclusive=False)
    check_number("momentum", momentum, 0.0, 1.0, high_inclusive=False)
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr, momentum=momentum)
    scheduler = make_scheduler(optimizer)
    rates = []
    for _ in range(steps):
        rates.append(float(optimizer.param_groups[0]["lr"]))
        optimizer.step()  # no gradients: a no-op that keeps the call order PyTorch checks
        scheduler.step()
    return rates
