"""Stored expected values for 09 Distributed (written by ``python -m tools.expected_values``).

What the visible tests need without showing an answer: the inputs of the all-reduce test (a tiny float64 MLP's
weights and a batch) with the gradients that known mistakes leave on each rank; the hashed answers of the
prediction question with the explanations of wrong batch sizes; the learning-rate schedules of four settings
(computed with PyTorch's LinearLR) with those of wrong formulas; and five LARS steps of a small MLP with the
parameters that wrong versions give. Reference code lives only here and in the notebook's hidden tests.
"""

from __future__ import annotations

import hashlib

import torch
import torch.nn.functional as F
from torch import nn
from torch.optim import lr_scheduler


def _digest(value: object) -> str:
    return hashlib.sha256(f"09_distributed:{value}".encode()).hexdigest()


# ----------------------------------------------------------------------------------------------- all-reduce
def _all_reduce_cases() -> dict:
    """3 ranks of 8 samples; the first layer frozen and a parameter the forward pass never uses (their .grad
    stays None, stored as None), as in the visible test."""
    torch.manual_seed(20)
    model = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3)).double()
    x = torch.randn(24, 6, dtype=torch.float64)
    y = torch.randint(0, 3, (24,))
    world_size, per_rank = 3, 8

    def grads(rows: slice) -> list[torch.Tensor | None]:
        copy = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3)).double()
        copy.load_state_dict(model.state_dict())
        copy[0].requires_grad_(False)
        copy.unused = nn.Parameter(torch.zeros(2, dtype=torch.float64))
        with torch.enable_grad():
            F.cross_entropy(copy(x[rows]), y[rows]).backward()
        return [None if p.grad is None else p.grad.clone() for p in copy.parameters()]

    def scaled(values: list, factor: float) -> list:
        return [None if v is None else factor * v for v in values]

    mean = grads(slice(None))
    local = [grads(slice(r * per_rank, (r + 1) * per_rank)) for r in range(world_size)]
    wrong = {
        "the sum over the 3 processes, not their mean": [scaled(mean, world_size) for _ in local],
        "the sum divided by 2, a hard-coded world size: divide by world_size": [scaled(mean, 1.5) for _ in local],
        "this process's own gradient: nothing averaged, or the average never written back into p.grad":
            local,
        "this process's gradient divided by the world size, without a collective":
            [scaled(rank, 1 / world_size) for rank in local],
        "the mean divided by the world size once more (ReduceOp.AVG already averages)":
            [scaled(mean, 1 / world_size) for _ in local],
    }
    return {"state": dict(model.state_dict()), "x": x, "y": y, "world_size": world_size, "wrong": wrong}


# ----------------------------------------------------------------------------------------------- prediction
def _prediction() -> dict:
    """2 processes x 4 micro-batches of 24 against a rate tuned for 64: every misreading gives its own
    batch and rate (no factor of the batch equals the base batch)."""
    world, accumulation, micro, base_lr, base_batch = 2, 4, 24, 0.1, 64
    batch = world * accumulation * micro

    def rate(value: float) -> str:
        return f"{value:.6g}"

    return {
        "batch_sha256": _digest(batch),
        "lr_sha256": _digest(rate(base_lr * batch / base_batch)),
        "base_lr": base_lr,
        "base_batch": base_batch,
        "batch_mistakes": {
            str(micro): "That is one micro-batch of one process.",
            str(world * micro): "That counts the processes but forgets the 4 accumulated micro-batches.",
            str(accumulation * micro): "That is one process's share: the 2 processes are averaged too.",
            str(world * accumulation): "That counts micro-batches, not samples.",
        },
        "lr_mistakes": {
            rate(base_lr): "That is the base rate, not scaled at all.",
            rate(base_lr * world): "That scales by the number of processes only.",
            rate(base_lr * accumulation): "That scales by the number of accumulation steps only.",
            rate(base_lr * world * accumulation): "That scales by processes x micro-batches, as if the rate "
                                                  "had been tuned for one micro-batch of 24, not for 64.",
            rate(base_lr * (batch / base_batch) ** 0.5): "That is square-root scaling, not linear.",
        },
        "lr_hint": "The rate grows by the factor k = B / 64 by which the batch grew from the 64 it was tuned for "
                   "(k need not be a whole number).",
    }


# ----------------------------------------------------------------------------------------------- scaled lr
def _torch_rates(base_lr: float, base_batch: int, batch: int, warmup: int, steps: int) -> list[float]:
    optimizer = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=base_lr * batch / base_batch)
    scheduler = lr_scheduler.LinearLR(optimizer, base_batch / batch, 1.0, warmup) if warmup else None
    rates = []
    for _ in range(steps):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
    return rates


def _scaled_lr_cases() -> list[dict]:
    settings = [((0.1, 64, 256, 10, 15), "base 0.1 at batch 64, batch 256, 10 warm-up steps"),
                ((0.05, 16, 1024, 8, 12), "base 0.05 at batch 16, batch 1024, 8 warm-up steps"),
                ((0.2, 128, 512, 0, 4), "base 0.2 at batch 128, batch 512, no warm-up"),
                ((0.1, 32, 32, 5, 7), "base 0.1 at batch 32, batch 32 (no growth), 5 warm-up steps"),
                ((0.1, 48, 120, 6, 9), "base 0.1 at batch 48, batch 120 (k = 2.5), 6 warm-up steps")]
    cases = []
    for args, description in settings:
        base_lr, base_batch, batch, warmup, steps = args
        k = batch / base_batch
        target = base_lr * k

        def ramp(start: float, end: float, length: int, t: int) -> float:
            return end if t >= length else start + (end - start) * t / length

        wrong = {
            "no scaling: the base rate at every step": [base_lr] * steps,
            "the scale factor inverted (base_batch / batch)": [ramp(base_lr, base_lr / k, warmup, t)
                                                               for t in range(steps)],
            "square-root scaling, not linear": [ramp(base_lr, base_lr * k ** 0.5, warmup, t)
                                                for t in range(steps)],
            "the warm-up starting from 0, not from base_lr": [ramp(0.0, target, warmup, t) for t in range(steps)],
            "the warm-up reaching its end one step early (divided by warmup_steps - 1)":
                [ramp(base_lr, target, warmup - 1, t) if warmup > 1 else None for t in range(steps)],
            "the warm-up one step ahead ((step + 1) / warmup_steps)":
                [ramp(base_lr, target, warmup, t + 1) for t in range(steps)],
            "a geometric warm-up (base_lr * k ** (step / warmup_steps)), not a linear one":
                [target if t >= warmup else base_lr * k ** (t / warmup) for t in range(steps)],
            "integer division: k = batch // base_batch drops the fraction of k":
                [ramp(base_lr, base_lr * (batch // base_batch), warmup, t) for t in range(steps)],
        }
        wrong = {label: torch.tensor(values, dtype=torch.float64) for label, values in wrong.items()
                 if None not in values}
        expected = torch.tensor(_torch_rates(*args), dtype=torch.float64)
        wrong = {label: value for label, value in wrong.items()
                 if not torch.allclose(value, expected, rtol=1e-9, atol=1e-12)}
        cases.append({"args": list(args), "description": description, "expected": expected, "wrong": wrong})
    return cases


# ----------------------------------------------------------------------------------------------------- LARS
def _lars_step(params, state, lr, momentum, weight_decay, trust_coefficient, eps, *, exclude=True,
               decay_in_d=True, decay_in_ratio=True, ratio_from_d=False, ratio_on_buffer=False,
               use_momentum=True, dampening=False) -> None:
    """One LARS step, right or with one mistake."""
    for index, p in enumerate(params):
        g = p.grad
        weight = p.dim() > 1 or not exclude
        d = g + weight_decay * p if weight and decay_in_d else g.clone()
        ratio = torch.tensor(1.0, dtype=p.dtype)
        w_norm, g_norm = torch.linalg.vector_norm(p), torch.linalg.vector_norm(g)
        if weight and w_norm > 0 and g_norm > 0:
            if ratio_from_d:
                ratio = trust_coefficient * w_norm / (torch.linalg.vector_norm(d) + eps)
            else:
                ratio = trust_coefficient * w_norm / (g_norm + (weight_decay * w_norm if decay_in_ratio else 0) + eps)
        if not ratio_on_buffer:
            d = ratio * d
        buffer = state.get(index)
        if buffer is None or not use_momentum:
            buffer = d.clone()
        else:
            buffer = momentum * buffer + (1 - momentum if dampening else 1) * d
        state[index] = buffer
        p.sub_(lr * (ratio * buffer if ratio_on_buffer else buffer))


def _lars_cases() -> dict:
    torch.manual_seed(9)
    model = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 3)).double()
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    xs = [torch.randn(16, 4, dtype=torch.float64) for _ in range(5)]
    ys = [torch.randn(16, 3, dtype=torch.float64) for _ in range(5)]
    settings = {"lr": 0.5, "momentum": 0.9, "weight_decay": 0.01, "trust_coefficient": 0.05, "eps": 1e-8}

    def run(**mistake) -> list[torch.Tensor]:
        copy = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 3)).double()
        copy.load_state_dict(initial)
        params, state = list(copy.parameters()), {}
        for x, y in zip(xs, ys):
            for p in params:
                p.grad = None
            with torch.enable_grad():
                F.mse_loss(copy(x), y).backward()
            with torch.no_grad():
                _lars_step(params, state, **settings, **mistake)
        return [p.detach().clone() for p in params]

    wrong = {
        "biases not excluded: they get weight decay and a trust ratio too": run(exclude=False),
        "weight decay left out of the trust ratio's denominator": run(decay_in_ratio=False),
        "the trust ratio applied to the momentum buffer instead of to the gradient": run(ratio_on_buffer=True),
        "no momentum: each step is -lr * rho * d, the buffer never accumulates": run(use_momentum=False),
        "dampening: the buffer adds (1 - momentum) * rho * d, not rho * d": run(dampening=True),
        "the trust ratio computed from ||d|| = ||g + weight_decay * w||, not ||g|| + weight_decay * ||w||":
            run(ratio_from_d=True),
        "weight decay ignored on the weights (d = g, and no weight_decay * ||w|| in the ratio)":
            run(decay_in_d=False, decay_in_ratio=False),
        "weight decay left out of d (weight_decay * w never added to the weights' gradient)": run(decay_in_d=False),
    }
    return {"initial": initial, "x": xs, "y": ys, "settings": settings, "expected": run(), "wrong": wrong}


def cases() -> dict:
    return {"ex01_all_reduce_mean_grads": _all_reduce_cases(),
            "ex02_predict_effective_batch": _prediction(),
            "ex03_scaled_lr": _scaled_lr_cases(),
            "ex04_lars": _lars_cases()}
