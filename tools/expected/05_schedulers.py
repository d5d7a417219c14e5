"""Stored expected values for 05 Learning-rate schedules (written by ``python -m tools.expected_values``).

The visible tests compare a learner's closed forms with ``torch.optim.lr_scheduler`` and name a misconception
by the rates it produces, stored here. Where the PyTorch rates would have to be built from the answer to
another exercise (warm-up + cosine is exercise 4's ``SequentialLR``), or where PyTorch has no scheduler (Noam),
the expected rates are stored too. The schedules that produce these values, right and wrong, live only in this
file and in the notebook's hidden tests; every right closed form is checked against PyTorch here, so a stored
misconception differs from the right answer by exactly its mistake.
"""

from __future__ import annotations

import bisect
import math

import torch
from torch.optim import lr_scheduler


def _rates(rate_at, steps: int) -> torch.Tensor:
    return torch.tensor([rate_at(t) for t in range(steps)], dtype=torch.float64)


def _torch_rates(make, steps: int, base_lr: float) -> torch.Tensor:
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr, momentum=0.9)
    scheduler = make(optimizer)
    rates = []
    for _ in range(steps):
        rates.append(float(optimizer.param_groups[0]["lr"]))
        optimizer.step()
        scheduler.step()
    return torch.tensor(rates, dtype=torch.float64)


def _checked(right: torch.Tensor, pytorch: torch.Tensor, what: str) -> torch.Tensor:
    if not torch.allclose(right, pytorch, rtol=1e-12, atol=1e-15):
        raise AssertionError(f"the closed form of {what} differs from PyTorch's rates")
    return pytorch


# -------------------------------------------------------------------------------------- decays (ex01)
def _cosine(t, base_lr, T_max, eta_min=0.0, one_minus=False):
    cos = math.cos(math.pi * t / T_max)
    return eta_min + (base_lr - eta_min) * ((1 - cos) if one_minus else (1 + cos)) / 2


def _warmup_cosine(t, base_lr, warmup, total, start_factor, from_zero=False, t_max_total=False, t_not_shifted=False):
    if t < warmup:
        return base_lr * t / warmup if from_zero else base_lr * (start_factor + (1 - start_factor) * t / warmup)
    return _cosine(t if t_not_shifted else t - warmup, base_lr, total if t_max_total else total - warmup)


def _decay_cases() -> dict:
    cases = {}
    c, steps = {"base_lr": 0.1, "step_size": 15, "gamma": 0.5}, 60
    right = _rates(lambda t: c["base_lr"] * c["gamma"] ** (t // c["step_size"]), steps)
    _checked(right, _torch_rates(lambda o: lr_scheduler.StepLR(o, c["step_size"], c["gamma"]), steps, 0.1), "StepLR")
    cases["step_lr"] = {"inputs": c, "steps": steps, "wrong": {
        "you decayed smoothly, gamma ** (t / step_size): StepLR is a staircase":
            _rates(lambda t: 0.1 * 0.5 ** (t / 15), steps),
        "you rounded t / step_size with round(), so the rate drops halfway between two multiples of step_size":
            _rates(lambda t: 0.1 * 0.5 ** round(t / 15), steps),
        "you returned the rate of the next step (t + 1): t counts scheduler.step() calls from 0":
            _rates(lambda t: 0.1 * 0.5 ** ((t + 1) // 15), steps)}}

    c, steps = {"base_lr": 0.1, "milestones": [10, 25, 40], "gamma": 0.2}, 50
    right = _rates(lambda t: 0.1 * 0.2 ** bisect.bisect_right([10, 25, 40], t), steps)
    _checked(right, _torch_rates(lambda o: lr_scheduler.MultiStepLR(o, [10, 25, 40], 0.2), steps, 0.1), "MultiStepLR")
    cases["multistep_lr"] = {"inputs": c, "steps": steps, "wrong": {
        "you dropped the rate one step after each milestone (the rate changes at t = milestone)":
            _rates(lambda t: 0.1 * 0.2 ** bisect.bisect_left([10, 25, 40], t), steps)}}

    c, steps = {"base_lr": 0.1, "gamma": 0.95}, 40
    right = _rates(lambda t: 0.1 * 0.95 ** t, steps)
    _checked(right, _torch_rates(lambda o: lr_scheduler.ExponentialLR(o, 0.95), steps, 0.1), "ExponentialLR")
    cases["exponential_lr"] = {"inputs": c, "steps": steps, "wrong": {
        "you raised gamma to the power t + 1: t counts scheduler.step() calls from 0":
            _rates(lambda t: 0.1 * 0.95 ** (t + 1), steps)}}

    c, steps = {"base_lr": 0.1, "T_max": 30, "eta_min": 0.005}, 60
    right = _rates(lambda t: _cosine(t, 0.1, 30, 0.005), steps)
    _checked(right, _torch_rates(lambda o: lr_scheduler.CosineAnnealingLR(o, 30, 0.005), steps, 0.1), "cosine")
    cases["cosine_lr"] = {"inputs": c, "steps": steps, "wrong": {
        "you used 1 - cos (seed 003's formula), which rises from eta_min instead of falling from the base rate":
            _rates(lambda t: _cosine(t, 0.1, 30, 0.005, one_minus=True), steps),
        "you ignored eta_min": _rates(lambda t: _cosine(t, 0.1, 30), steps),
        "you ran the cosine over STEPS = 300 (the gallery's run) instead of T_max":
            _rates(lambda t: _cosine(t, 0.1, 300, 0.005), steps)}}

    c = {"base_lr": 0.1, "warmup": 10, "total": 60, "start_factor": 0.01}
    steps, w = 60, dict(base_lr=0.1, warmup=10, total=60, start_factor=0.01)
    right = _rates(lambda t: _warmup_cosine(t, **w), steps)
    pytorch = _torch_rates(lambda o: lr_scheduler.SequentialLR(o, [
        lr_scheduler.LinearLR(o, start_factor=0.01, total_iters=10), lr_scheduler.CosineAnnealingLR(o, T_max=50)],
        milestones=[10]), steps, 0.1)
    cases["warmup_cosine_lr"] = {"inputs": c, "steps": steps, "expected": _checked(right, pytorch, "warm-up + cosine"),
                              "wrong": {
        "you warmed up from 0 (start_factor ignored)": _rates(lambda t: _warmup_cosine(t, **w, from_zero=True), steps),
        "you ran the cosine part over all `total` steps, as if the warm-up had not used any":
            _rates(lambda t: _warmup_cosine(t, **w, t_max_total=True), steps),
        "you evaluated the cosine at t, not at the steps since the end of the warm-up":
            _rates(lambda t: _warmup_cosine(t, **w, t_not_shifted=True), steps)}}
    return cases


# --------------------------------------------------------------------------- cyclic and one-cycle (ex02)
def _cyclic(t, base_lr, max_lr, up, down=None, mode="triangular", gamma=1.0, scale_per_cycle=False):
    down = up if down is None else down
    total = up + down
    ratio = up / total
    cycle = math.floor(1 + t / total)
    x = 1.0 + t / total - cycle
    height = x / ratio if x <= ratio else (x - 1) / (ratio - 1)
    exponent = cycle if scale_per_cycle else t
    scale = {"triangular": 1.0, "triangular2": 1 / 2.0 ** (cycle - 1), "exp_range": gamma ** exponent}[mode]
    return base_lr + (max_lr - base_lr) * height * scale


def _seed002_cyclic(t, base_lr, max_lr, up, mode, gamma=1.0):
    """Seed 002's sketch: x = |t/up - 2 cycle + 1| and scale_fn(cycle + x), no triangle."""
    cycle = math.floor(1 + t / (2 * up))
    x = abs(t / up - 2 * cycle + 1)
    scale = {"triangular": lambda v: 1.0, "triangular2": lambda v: 1 / 2.0 ** (v - 1), "exp_range": lambda v: gamma ** v}
    return base_lr + (max_lr - base_lr) * scale[mode](cycle + x)


def _one_cycle(t, max_lr, total, pct=0.3, div=25.0, final_div=1e4, peak_late=False, final_from_max=False,
               linear=False):
    initial = max_lr / div
    final = (max_lr if final_from_max else initial) / final_div
    peak = float(pct * total) - (0 if peak_late else 1)
    if linear:
        def anneal(a, b, q):
            return a + (b - a) * q
    else:
        def anneal(a, b, q):
            return b + (a - b) / 2 * (math.cos(math.pi * q) + 1)
    return anneal(initial, max_lr, t / peak) if t <= peak else anneal(max_lr, final, (t - peak) / (total - 1 - peak))


def _cyclic_cases() -> dict:
    cases, steps = {}, 60
    for mode in ("triangular", "triangular2", "exp_range"):
        c = {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 10, "mode": mode, "gamma": 0.99}
        right = _rates(lambda t: _cyclic(t, 0.01, 0.1, 10, mode=mode, gamma=0.99), steps)
        _checked(right, _torch_rates(lambda o: lr_scheduler.CyclicLR(o, 0.01, 0.1, step_size_up=10, mode=mode,
                                                                      gamma=0.99), steps, 0.1), f"CyclicLR {mode}")
        wrong = {"you followed seed 002's sketch, scale_fn(cycle + x), which draws no triangle":
                 _rates(lambda t: _seed002_cyclic(t, 0.01, 0.1, 10, mode, 0.99), steps)}
        if mode == "exp_range":
            wrong["you scaled exp_range once per cycle (gamma ** cycle): it decays at every step"] = _rates(
                lambda t: _cyclic(t, 0.01, 0.1, 10, mode=mode, gamma=0.99, scale_per_cycle=True), steps)
        cases[mode] = {"inputs": c, "steps": steps, "wrong": wrong}

    c = {"base_lr": 0.001, "max_lr": 0.05, "step_size_up": 5, "step_size_down": 15, "mode": "triangular2"}
    right = _rates(lambda t: _cyclic(t, 0.001, 0.05, 5, 15, "triangular2"), steps)
    _checked(right, _torch_rates(lambda o: lr_scheduler.CyclicLR(o, 0.001, 0.05, step_size_up=5, step_size_down=15,
                                                                  mode="triangular2"), steps, 0.1), "CyclicLR up/down")
    cases["asymmetric"] = {"inputs": c, "steps": steps, "wrong": {
        "you ignored step_size_down (a symmetric triangle)":
            _rates(lambda t: _cyclic(t, 0.001, 0.05, 5, 5, "triangular2"), steps)}}

    c, steps = {"max_lr": 0.1, "total_steps": 100}, 100
    right = _rates(lambda t: _one_cycle(t, 0.1, 100), steps)
    _checked(right, _torch_rates(lambda o: lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=100), steps, 0.1),
             "OneCycleLR")
    cases["one_cycle_lr"] = {"inputs": c, "steps": steps, "wrong": {
        "you put the peak at step pct_start * total_steps, one step late":
            _rates(lambda t: _one_cycle(t, 0.1, 100, peak_late=True), steps),
        "you divided max_lr by final_div_factor for the final rate":
            _rates(lambda t: _one_cycle(t, 0.1, 100, final_from_max=True), steps),
        "you annealed linearly; OneCycleLR's default anneal_strategy is 'cos'":
            _rates(lambda t: _one_cycle(t, 0.1, 100, linear=True), steps)}}
    return cases


# --------------------------------------------------------------------------------------- plateau (ex03)
def _plateau(metrics, settings) -> torch.Tensor:
    """Both groups' rates after each ReduceLROnPlateau(**settings).step(metric) (group rates 0.1 and 0.02)."""
    optimizer = torch.optim.SGD([{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in (0.1, 0.02)],
                                lr=0.1)
    scheduler = lr_scheduler.ReduceLROnPlateau(optimizer, **settings)
    rates = []
    for metric in metrics:
        scheduler.step(metric)
        rates.append([group["lr"] for group in optimizer.param_groups])
    return torch.tensor(rates, dtype=torch.float64)


def _plateau_case(metrics, **settings) -> dict:
    def variant(**changes):
        return _plateau(metrics, {**settings, **changes})

    other_mode = "abs" if settings.get("threshold_mode", "rel") == "rel" else "rel"
    wrong = {
        "you reduced the rate as soon as the bad epochs reached patience; PyTorch waits until they exceed it":
            variant(patience=max(settings.get("patience", 10) - 1, 0)),
        "you ignored cooldown": variant(cooldown=0) if settings.get("cooldown") else None,
        "you swapped the threshold modes ('rel' and 'abs')":
            variant(threshold_mode=other_mode) if settings.get("threshold", 1e-4) else None,
        "you ignored mode: in 'max' mode a larger metric is better": variant(mode="min")
        if settings.get("mode") == "max" else None,
        "you ignored min_lr": variant(min_lr=0.0) if settings.get("min_lr") else None,
    }
    right = _plateau(metrics, settings)
    for label, value in wrong.items():  # a misconception must be visible in this case, or be left out
        if value is not None and torch.equal(value, right):
            wrong[label] = None
    return {"inputs": {"metrics": list(metrics), "settings": settings}, "wrong": wrong}


def _plateau_cases() -> dict:
    plateau = [1.0, 0.8, 0.7, 0.69, 0.695, 0.7, 0.69, 0.7, 0.71, 0.69, 0.6, 0.6, 0.61, 0.6, 0.62, 0.6, 0.6, 0.59,
               0.6, 0.6]
    slow = [100.0 - 0.05 * i for i in range(12)]
    return {
        "plateau sequence, patience 2": _plateau_case(plateau, patience=2, factor=0.5),
        "patience 1, cooldown 3": _plateau_case(plateau, patience=1, factor=0.5, cooldown=3),
        "abs threshold 0.05": _plateau_case(plateau, patience=1, factor=0.5, threshold=0.05, threshold_mode="abs"),
        "mode max": _plateau_case([1 - m for m in plateau], mode="max", patience=2, factor=0.3),
        "min_lr 0.03": _plateau_case(plateau * 3, patience=0, factor=0.5, min_lr=0.03),
        "slowly improving metric near 100, rel threshold 0.01":
            _plateau_case(slow, patience=2, factor=0.5, threshold=0.01),
        "slowly improving metric near 100, abs threshold 0.01":
            _plateau_case(slow, patience=2, factor=0.5, threshold=0.01, threshold_mode="abs"),
    }


# --------------------------------------------------------------------------- Noam and SequentialLR (ex04)
def _noam(step, d_model, warmup, no_scale=False, late=False):
    if late:  # a special case at step 0, then s = step
        if step == 0:
            return 0.0
        step -= 1
    s = step + 1
    factor = min(s ** -0.5, s * warmup ** -1.5)
    return factor if no_scale else d_model ** -0.5 * factor


def _compose_cases() -> dict:
    cases = {}
    for d_model, warmup in ((512, 20), (128, 8)):
        steps = 3 * warmup
        expected = _rates(lambda t: _noam(t, d_model, warmup), steps)
        _checked(expected, _torch_rates(lambda o: lr_scheduler.LambdaLR(o, lambda t: _noam(t, d_model, warmup)),
                                        steps, 1.0), "Noam")
        cases[f"noam_{d_model}_{warmup}"] = {"inputs": {"d_model": d_model, "warmup": warmup}, "steps": steps,
                                             "expected": expected, "wrong": {
            "you left out the factor d_model^-0.5": _rates(lambda t: _noam(t, d_model, warmup, no_scale=True), steps),
            "you special-cased step 0 and kept s = step, so every rate comes one step late":
                _rates(lambda t: _noam(t, d_model, warmup, late=True), steps)}}

    c = {"warmup": 10, "total": 80, "start_factor": 0.01, "eta_min": 0.0, "base_lr": 0.1}
    w = dict(base_lr=0.1, warmup=10, total=80, start_factor=0.01)
    pytorch = _torch_rates(lambda o: lr_scheduler.SequentialLR(o, [
        lr_scheduler.LinearLR(o, start_factor=0.01, total_iters=10), lr_scheduler.CosineAnnealingLR(o, T_max=70)],
        milestones=[10]), 80, 0.1)
    expected = _checked(_rates(lambda t: _warmup_cosine(t, **w), 80), pytorch, "SequentialLR")
    cases["sequential"] = {"inputs": c, "steps": 80, "expected": expected, "wrong": {
        "you gave the cosine T_max = total, as if the warm-up had not used any steps":
            _rates(lambda t: _warmup_cosine(t, **w, t_max_total=True), 80)}}
    return cases


def cases() -> dict:
    return {"ex01_decays": _decay_cases(), "ex02_cyclic": _cyclic_cases(), "ex03_plateau": _plateau_cases(),
            "ex04_compose": _compose_cases()}
