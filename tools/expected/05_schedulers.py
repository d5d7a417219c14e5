"""Stored expected values for 05 Learning-rate schedules (written by ``python -m tools.expected_values``).

The visible tests compare a learner's closed forms with ``torch.optim.lr_scheduler`` and name a misconception
by the rates it produces, stored here. Where the PyTorch rates would have to be built from the answer to
another exercise (warm-up + cosine is exercise 4's ``SequentialLR``), or where PyTorch has no scheduler (Noam),
the expected rates are stored too. The schedules that produce these values, right and wrong, live only in this
file and in the notebook's hidden tests; every right closed form is checked against PyTorch here, so a stored
misconception differs from the right answer by exactly its mistake.

Misconceptions whose values coincide in a case are reported under one joined label (a learner's result can
only match one of them), and one that gives the right values in a case is left out of that case.
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


def _distinct(right: torch.Tensor, wrong: dict, rtol: float, atol: float) -> dict:
    """The misconceptions a case can tell apart: one equal to the right values (within the test's tolerance)
    is left out, and those equal to each other are joined into one label, so that a message always fits."""
    kept: list[tuple[str, torch.Tensor]] = []
    for label, value in wrong.items():
        if value is None or torch.allclose(value, right, rtol=rtol, atol=atol):
            continue
        for i, (other_label, other) in enumerate(kept):
            if torch.allclose(value, other, rtol=rtol, atol=atol):
                kept[i] = (f"{other_label}; or {label}", other)
                break
        else:
            kept.append((label, value))
    return dict(kept)


# -------------------------------------------------------------------------------------- decays (ex01)
RATE_TOLERANCE = dict(rtol=1e-9, atol=1e-15)  # the tolerance of the notebook's schedule tests


def _cosine(t, base_lr, T_max, eta_min=0.0, one_minus=False, held=False):
    if held and t >= T_max:
        return eta_min
    cos = math.cos(math.pi * t / T_max)
    return eta_min + (base_lr - eta_min) * ((1 - cos) if one_minus else (1 + cos)) / 2


def _warmup_cosine(t, base_lr, warmup, total, start_factor, eta_min=0.0, from_zero=False, t_max_total=False,
                   t_not_shifted=False, no_eta_min=False, default_start=False):
    if default_start:
        start_factor = 0.01
    if t < warmup:
        return base_lr * t / warmup if from_zero else base_lr * (start_factor + (1 - start_factor) * t / warmup)
    return _cosine(t if t_not_shifted else t - warmup, base_lr, total if t_max_total else total - warmup,
                   0.0 if no_eta_min else eta_min)


def _sequential(o, warmup, total, start_factor, eta_min, milestone=None):
    return lr_scheduler.SequentialLR(o, [
        lr_scheduler.LinearLR(o, start_factor=start_factor, total_iters=warmup),
        lr_scheduler.CosineAnnealingLR(o, T_max=total - warmup, eta_min=eta_min)],
        milestones=[warmup if milestone is None else milestone])


def _case(function: str, inputs: dict, steps: int, right: torch.Tensor, wrong: dict, **extra) -> dict:
    return {"function": function, "inputs": inputs, "steps": steps, **extra,
            "wrong": _distinct(right, wrong, **RATE_TOLERANCE)}


def _decay_cases() -> dict:
    cases = {}
    c, steps = {"base_lr": 0.1, "step_size": 15, "gamma": 0.5}, 60
    right = _checked(_rates(lambda t: 0.1 * 0.5 ** (t // 15), steps),
                     _torch_rates(lambda o: lr_scheduler.StepLR(o, 15, 0.5), steps, 0.1), "StepLR")
    cases["step_lr"] = _case("step_lr", c, steps, right, {
        "you decayed smoothly, gamma ** (t / step_size): StepLR is a staircase":
            _rates(lambda t: 0.1 * 0.5 ** (t / 15), steps),
        "you rounded t / step_size with round(), so the rate drops halfway between two multiples of step_size":
            _rates(lambda t: 0.1 * 0.5 ** round(t / 15), steps),
        "you returned the rate of the next step (t + 1): t counts scheduler.step() calls from 0":
            _rates(lambda t: 0.1 * 0.5 ** ((t + 1) // 15), steps)})

    c, steps = {"base_lr": 0.1, "milestones": [10, 25, 40], "gamma": 0.2}, 50
    right = _checked(_rates(lambda t: 0.1 * 0.2 ** bisect.bisect_right([10, 25, 40], t), steps),
                     _torch_rates(lambda o: lr_scheduler.MultiStepLR(o, [10, 25, 40], 0.2), steps, 0.1),
                     "MultiStepLR")
    cases["multistep_lr"] = _case("multistep_lr", c, steps, right, {
        "you dropped the rate one step after each milestone (the rate changes at t = milestone)":
            _rates(lambda t: 0.1 * 0.2 ** bisect.bisect_left([10, 25, 40], t), steps)})

    milestones, steps = [30, 8, 20, 8], 40
    c = {"base_lr": 0.1, "milestones": milestones, "gamma": 0.5}
    right = _checked(_rates(lambda t: 0.1 * 0.5 ** sum(m <= t for m in milestones), steps),
                     _torch_rates(lambda o: lr_scheduler.MultiStepLR(o, milestones, 0.5), steps, 0.1),
                     "MultiStepLR, unsorted and repeated milestones")
    cases["multistep_lr, unsorted and repeated milestones"] = _case("multistep_lr", c, steps, right, {
        "you assumed the milestones are sorted (bisect on the list as given)":
            _rates(lambda t: 0.1 * 0.5 ** bisect.bisect_right(milestones, t), steps),
        "you counted a repeated milestone once (a set): MultiStepLR applies gamma once per listed milestone, "
        "so twice at a milestone listed twice":
            _rates(lambda t: 0.1 * 0.5 ** sum(m <= t for m in set(milestones)), steps),
        "you dropped the rate one step after each milestone (the rate changes at t = milestone)":
            _rates(lambda t: 0.1 * 0.5 ** sum(m < t for m in milestones), steps)})

    c, steps = {"base_lr": 0.1, "gamma": 0.95}, 40
    right = _checked(_rates(lambda t: 0.1 * 0.95 ** t, steps),
                     _torch_rates(lambda o: lr_scheduler.ExponentialLR(o, 0.95), steps, 0.1), "ExponentialLR")
    cases["exponential_lr"] = _case("exponential_lr", c, steps, right, {
        "you raised gamma to the power t + 1: t counts scheduler.step() calls from 0":
            _rates(lambda t: 0.1 * 0.95 ** (t + 1), steps)})

    c, steps = {"base_lr": 0.1, "T_max": 20, "eta_min": 0.005}, 45
    right = _checked(_rates(lambda t: _cosine(t, 0.1, 20, 0.005), steps),
                     _torch_rates(lambda o: lr_scheduler.CosineAnnealingLR(o, 20, 0.005), steps, 0.1), "cosine")
    cases["cosine_lr"] = _case("cosine_lr", c, steps, right, {
        "you used 1 - cos (a source article's formula), which rises from eta_min instead of falling from the base rate":
            _rates(lambda t: _cosine(t, 0.1, 20, 0.005, one_minus=True), steps),
        "you ignored eta_min": _rates(lambda t: _cosine(t, 0.1, 20), steps),
        "you ran the cosine over STEPS = 300 (the gallery's run) instead of T_max":
            _rates(lambda t: _cosine(t, 0.1, 300, 0.005), steps),
        "you ran the cosine over T_max - 1 steps, so it reaches eta_min one step early":
            _rates(lambda t: _cosine(t, 0.1, 19, 0.005), steps),
        "you held the rate at eta_min after T_max: CosineAnnealingLR's formula keeps going, and the rate "
        "climbs back up": _rates(lambda t: _cosine(t, 0.1, 20, 0.005, held=True), steps)})

    for name, c in [("warmup_cosine_lr", {"base_lr": 0.1, "warmup": 10, "total": 40}),
                    ("warmup_cosine_lr, start_factor and eta_min set",
                     {"base_lr": 0.1, "warmup": 7, "total": 36, "start_factor": 0.2, "eta_min": 0.004})]:
        w = {"start_factor": 0.01, "eta_min": 0.0, **c}
        steps = c["total"]
        right = _rates(lambda t: _warmup_cosine(t, **w), steps)
        pytorch = _torch_rates(lambda o: _sequential(o, w["warmup"], w["total"], w["start_factor"], w["eta_min"]),
                               steps, 0.1)
        cases[name] = _case("warmup_cosine_lr", c, steps, right, {
            "you warmed up from 0 (start_factor ignored)":
                _rates(lambda t: _warmup_cosine(t, **w, from_zero=True), steps),
            "you warmed up from 0.01 * base_lr whatever start_factor is":
                _rates(lambda t: _warmup_cosine(t, **w, default_start=True), steps),
            "you ran the cosine part over all `total` steps, as if the warm-up had not used any":
                _rates(lambda t: _warmup_cosine(t, **w, t_max_total=True), steps),
            "you evaluated the cosine at t, not at the steps since the end of the warm-up":
                _rates(lambda t: _warmup_cosine(t, **w, t_not_shifted=True), steps),
            "you ignored eta_min in the cosine part": _rates(lambda t: _warmup_cosine(t, **w, no_eta_min=True), steps)},
            expected=_checked(right, pytorch, "warm-up + cosine"))
    return cases


# --------------------------------------------------------------------------- cyclic and one-cycle (ex02)
def _cyclic(t, base_lr, max_lr, up, down=None, mode="triangular", gamma=1.0, scale_per_cycle=False,
            halved_from_first=False, zero_based=False):
    down = up if down is None else down
    total = up + down
    ratio = up / total
    cycle = math.floor(1 + t / total)
    x = 1.0 + t / total - cycle
    height = x / ratio if x <= ratio else (x - 1) / (ratio - 1)
    exponent = cycle if scale_per_cycle else t
    halvings = cycle if halved_from_first else (cycle - 2 if zero_based else cycle - 1)
    scale = {"triangular": 1.0, "triangular2": 1 / 2.0 ** halvings, "exp_range": gamma ** exponent}[mode]
    return base_lr + (max_lr - base_lr) * height * scale


def _sketched_cyclic(t, base_lr, max_lr, up, mode, gamma=1.0):
    """The cyclic sketch of a source article: x = |t/up - 2 cycle + 1| and scale_fn(cycle + x), no triangle."""
    cycle = math.floor(1 + t / (2 * up))
    x = abs(t / up - 2 * cycle + 1)
    scale = {"triangular": lambda v: 1.0, "triangular2": lambda v: 1 / 2.0 ** (v - 1),
             "exp_range": lambda v: gamma ** v}
    return base_lr + (max_lr - base_lr) * scale[mode](cycle + x)


def _one_cycle(t, max_lr, total, pct=0.3, div=25.0, final_div=1e4, peak_late=False, final_from_max=False,
               linear=False, peak=None, default_divs=False):
    if default_divs:
        div, final_div = 25.0, 1e4
    initial = max_lr / div
    final = (max_lr if final_from_max else initial) / final_div
    if peak is None:
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
        c = {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 10, "mode": mode}
        if mode == "exp_range":
            c["gamma"] = 0.99
        right = _checked(_rates(lambda t: _cyclic(t, 0.01, 0.1, 10, mode=mode, gamma=0.99), steps),
                         _torch_rates(lambda o: lr_scheduler.CyclicLR(o, 0.01, 0.1, step_size_up=10, mode=mode,
                                                                       gamma=0.99), steps, 0.1), f"CyclicLR {mode}")
        wrong = {"you followed a source article's sketch, scale_fn(cycle + x), which draws no triangle":
                 _rates(lambda t: _sketched_cyclic(t, 0.01, 0.1, 10, mode, 0.99), steps)}
        if mode == "exp_range":
            wrong["you scaled exp_range once per cycle (gamma ** cycle): it decays at every step"] = _rates(
                lambda t: _cyclic(t, 0.01, 0.1, 10, mode=mode, gamma=0.99, scale_per_cycle=True), steps)
        if mode == "triangular2":
            wrong["you halved the height from the first cycle on (1 / 2 ** c with c counted from 1)"] = _rates(
                lambda t: _cyclic(t, 0.01, 0.1, 10, mode=mode, halved_from_first=True), steps)
            wrong["your cycle number is one too small (counted from 0), so every triangle is twice as high"] = (
                _rates(lambda t: _cyclic(t, 0.01, 0.1, 10, mode=mode, zero_based=True), steps))
        cases[mode] = {"function": "cyclic_lr", "inputs": c, "steps": steps,
                       "wrong": _distinct(right, wrong, **RATE_TOLERANCE)}

    c = {"base_lr": 0.001, "max_lr": 0.05, "step_size_up": 5, "step_size_down": 15, "mode": "triangular2"}
    right = _checked(_rates(lambda t: _cyclic(t, 0.001, 0.05, 5, 15, "triangular2"), steps),
                     _torch_rates(lambda o: lr_scheduler.CyclicLR(o, 0.001, 0.05, step_size_up=5, step_size_down=15,
                                                                   mode="triangular2"), steps, 0.1), "CyclicLR up/down")
    cases["asymmetric"] = {"function": "cyclic_lr", "inputs": c, "steps": steps, "wrong": _distinct(right, {
        "you ignored step_size_down (a symmetric triangle)":
            _rates(lambda t: _cyclic(t, 0.001, 0.05, 5, 5, "triangular2"), steps),
        "you halved the height from the first cycle on (1 / 2 ** c with c counted from 1)":
            _rates(lambda t: _cyclic(t, 0.001, 0.05, 5, 15, "triangular2", halved_from_first=True), steps),
        "your cycle number is one too small (counted from 0), so every triangle is twice as high":
            _rates(lambda t: _cyclic(t, 0.001, 0.05, 5, 15, "triangular2", zero_based=True), steps)},
        **RATE_TOLERANCE)}

    c, steps = {"max_lr": 0.1, "total_steps": 100}, 100
    right = _checked(_rates(lambda t: _one_cycle(t, 0.1, 100), steps),
                     _torch_rates(lambda o: lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=100), steps, 0.1),
                     "OneCycleLR")
    cases["one_cycle_lr"] = {"function": "one_cycle_lr", "inputs": c, "steps": steps, "wrong": _distinct(right, {
        "you put the peak at step pct_start * total_steps, one step late":
            _rates(lambda t: _one_cycle(t, 0.1, 100, peak_late=True), steps),
        "you divided max_lr by final_div_factor for the final rate":
            _rates(lambda t: _one_cycle(t, 0.1, 100, final_from_max=True), steps),
        "you annealed linearly; OneCycleLR's default anneal_strategy is 'cos'":
            _rates(lambda t: _one_cycle(t, 0.1, 100, linear=True), steps)}, **RATE_TOLERANCE)}

    # pct_start * total_steps = 13.5: the peak falls between two steps
    c = {"max_lr": 0.5, "total_steps": 50, "pct_start": 0.27, "div_factor": 10.0, "final_div_factor": 100.0}
    steps, o = 50, dict(max_lr=0.5, total=50, pct=0.27, div=10.0, final_div=100.0)
    right = _checked(_rates(lambda t: _one_cycle(t, **o), steps),
                     _torch_rates(lambda opt: lr_scheduler.OneCycleLR(opt, **c), steps, 0.1), "OneCycleLR, 13.5")
    cases["one_cycle_lr, pct_start * total_steps = 13.5"] = {
        "function": "one_cycle_lr", "inputs": c, "steps": steps, "wrong": _distinct(right, {
        "you rounded pct_start * total_steps down to a whole step (int): the phase ends at the float "
        "pct_start * total_steps - 1, between two steps here":
            _rates(lambda t: _one_cycle(t, **o, peak=int(0.27 * 50) - 1), steps),
        "you rounded pct_start * total_steps to a whole step (round): the phase ends at the float "
        "pct_start * total_steps - 1, between two steps here":
            _rates(lambda t: _one_cycle(t, **o, peak=round(0.27 * 50) - 1), steps),
        "you put the peak at step pct_start * total_steps, one step late":
            _rates(lambda t: _one_cycle(t, **o, peak_late=True), steps),
        "you used the default div_factor and final_div_factor (25 and 1e4) whatever the arguments":
            _rates(lambda t: _one_cycle(t, **o, default_divs=True), steps),
        "you divided max_lr by final_div_factor for the final rate":
            _rates(lambda t: _one_cycle(t, **o, final_from_max=True), steps)}, **RATE_TOLERANCE)}
    return cases


# --------------------------------------------------------------------------------------- plateau (ex03)
PLATEAU_TOLERANCE = dict(rtol=1e-12, atol=0.0)
PLATEAU_DEFAULTS = dict(mode="min", factor=0.1, patience=10, threshold=1e-4, threshold_mode="rel", cooldown=0,
                        min_lr=0.0, eps=1e-8)


def _two_group_optimizer():
    groups = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in (0.1, 0.02)]
    return torch.optim.SGD(groups, lr=0.1)


def _plateau(metrics, settings) -> torch.Tensor:
    """Both groups' rates after each ReduceLROnPlateau(**settings).step(metric) (group rates 0.1 and 0.02)."""
    optimizer = _two_group_optimizer()
    scheduler = lr_scheduler.ReduceLROnPlateau(optimizer, **settings)
    rates = []
    for metric in metrics:
        scheduler.step(metric)
        rates.append([group["lr"] for group in optimizer.param_groups])
    return torch.tensor(rates, dtype=torch.float64)


def _my_plateau(metrics, settings, flaw=None) -> torch.Tensor:
    """The plateau rules written out, with one ``flaw`` (a learner's mistake) or none."""
    s = {**PLATEAU_DEFAULTS, **settings}
    rates, best, last = [0.1, 0.02], (math.inf if s["mode"] == "min" else -math.inf), None
    bad = cooldown_counter = 0
    out = []

    def better(metric, reference):
        rel, threshold = s["threshold_mode"] == "rel", s["threshold"]
        if s["mode"] == "min":
            bound = reference * (1 - threshold) if rel else reference - threshold
            return metric <= bound if flaw == "ties" else metric < bound
        if flaw == "max_reversed":
            bound = reference * (1 - threshold) if rel else reference - threshold
        else:
            bound = reference * (1 + threshold) if rel else reference + threshold
        return metric >= bound if flaw == "ties" else metric > bound

    for metric in metrics:
        if flaw == "cooldown_early_return" and cooldown_counter > 0:
            cooldown_counter, bad = cooldown_counter - 1, 0
            out.append(list(rates))
            continue
        reference = last if flaw == "compare_last" and last is not None else best
        if better(metric, reference):
            best, bad = metric, 0
        else:
            bad += 1
        last = metric
        if cooldown_counter > 0:
            cooldown_counter, bad = cooldown_counter - 1, 0
        if bad > s["patience"]:
            for i, old in enumerate(rates):
                new = max(old * s["factor"], s["min_lr"])
                changes = {"no_eps_check": True, "new_below_old": new < old}.get(flaw, old - new > s["eps"])
                if changes:
                    rates[i] = new
            cooldown_counter, bad = s["cooldown"], 0
        out.append(list(rates))
    return torch.tensor(out, dtype=torch.float64)


def _plateau_case(metrics, omit=(), **settings) -> dict:
    """The case's inputs and misconceptions; a label containing a text in ``omit`` is left out (where two
    mistakes give the same rates and only one of them describes what went wrong)."""
    def variant(**changes):
        return _plateau(metrics, {**settings, **changes})

    def flawed(flaw):
        return _my_plateau(metrics, settings, flaw)

    right = _checked(_my_plateau(metrics, settings), _plateau(metrics, settings), f"plateau {settings}")
    other_mode = "abs" if settings.get("threshold_mode", "rel") == "rel" else "rel"
    wrong = {
        "you reduced the rate as soon as the bad epochs reached patience; PyTorch waits until they exceed it":
            variant(patience=max(settings.get("patience", 10) - 1, 0)),
        # ignoring cooldown and decrementing its counter without resetting the bad epochs give the same rates
        "you let bad epochs accumulate during cooldown (cooldown ignored, or its counter decremented without "
        "resetting the bad epochs)": variant(cooldown=0) if settings.get("cooldown") else None,
        "during cooldown you returned early, before comparing the metric with the best: a better metric "
        "seen during cooldown must still become the best": flawed("cooldown_early_return"),
        "you compared the metric with the previous one instead of the best so far": flawed("compare_last"),
        "you counted a metric that only equals the bound as better (<= or >=): an improvement must be strict "
        "(with threshold 0, a tie with the best is not better)": flawed("ties"),
        "you swapped the threshold modes ('rel' and 'abs')":
            variant(threshold_mode=other_mode) if settings.get("threshold", 1e-4) else None,
        "you ignored mode: in 'max' mode a larger metric is better": variant(mode="min")
        if settings.get("mode") == "max" else None,
        "in 'max' mode you applied the threshold in the wrong direction (best - threshold, or best * (1 - "
        "threshold)): a larger metric must beat the best by the threshold": flawed("max_reversed")
        if settings.get("mode") == "max" else None,
        "you ignored min_lr": variant(min_lr=0.0) if settings.get("min_lr") else None,
        "you set the rate to max(lr * factor, min_lr) even where that raises it: a rate already below "
        "min_lr must stay": flawed("no_eps_check"),
        "you ignored eps: a reduction by no more than eps must leave the rate unchanged": flawed("new_below_old"),
    }
    wrong = {label: None if any(text in label for text in omit) else value for label, value in wrong.items()}
    return {"inputs": {"metrics": list(metrics), "settings": settings},
            "wrong": _distinct(right, wrong, **PLATEAU_TOLERANCE)}


PLATEAU = [1.0, 0.8, 0.7, 0.69, 0.695, 0.7, 0.69, 0.7, 0.71, 0.69, 0.6, 0.6, 0.61, 0.6, 0.62, 0.6, 0.6, 0.59,
           0.6, 0.6]
# Plateaus at 1.0, a reduction, then a better metric (0.5) inside the cooldown and metrics between the old and
# the new best after it.
BEST_IN_COOLDOWN = [1.0, 1.0, 1.0, 0.5, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7, 0.8, 0.8, 0.8, 0.8]


def _plateau_cases() -> dict:
    """Cell 1 (test_ex03_plateau): patience, cooldown, min_lr, eps. Cell 2: thresholds and modes."""
    slow = [100.0 - 0.05 * i for i in range(12)]
    ties = [1.0, 0.9, 0.9, 0.9, 0.8, 0.8, 0.85, 0.8, 0.7, 0.7, 0.7, 0.7]
    rising = [0.3, 0.5, 0.53, 0.51, 0.56, 0.55, 0.6, 0.64, 0.62, 0.61, 0.7, 0.69, 0.72, 0.71, 0.74, 0.73, 0.8, 0.79,
              0.78]
    rising_slowly = [0.3, 0.31, 0.35, 0.35, 0.37, 0.4, 0.39, 0.37, 0.4, 0.415, 0.455, 0.465, 0.475, 0.505, 0.545, 0.585,
                     0.615, 0.64]
    return {
        "plateau sequence, patience 2": _plateau_case(PLATEAU, patience=2, factor=0.5),
        "patience 1, cooldown 3": _plateau_case(PLATEAU, patience=1, factor=0.5, cooldown=3),
        "a new best during cooldown": _plateau_case(BEST_IN_COOLDOWN, patience=1, factor=0.5, cooldown=2),
        "min_lr 0.03, above the second group's rate": _plateau_case(PLATEAU * 2, patience=0, factor=0.5,
                                                                    min_lr=0.03),
        # no rate goes up here: leaving out the eps check only applies a change smaller than eps
        "min_lr within eps below the second group's rate": _plateau_case(
            PLATEAU, patience=1, factor=0.5, min_lr=0.02 - 4e-9, omit=("even where that raises it",)),
        # thresholds and modes
        "slowly improving metric near 100, rel threshold 0.01":
            _plateau_case(slow, patience=2, factor=0.5, threshold=0.01),
        "slowly improving metric near 100, abs threshold 0.01":
            _plateau_case(slow, patience=2, factor=0.5, threshold=0.01, threshold_mode="abs"),
        "abs threshold 0.05": _plateau_case(PLATEAU, patience=1, factor=0.5, threshold=0.05, threshold_mode="abs"),
        "mode max, rel threshold 0.05": _plateau_case(rising, mode="max", patience=1, factor=0.3, threshold=0.05),
        "mode max, abs threshold 0.02": _plateau_case(rising_slowly, mode="max", patience=1, factor=0.3, threshold=0.02,
                                                      threshold_mode="abs"),
        "threshold 0, ties with the best": _plateau_case(ties, patience=1, factor=0.5, threshold=0.0),
        "threshold 0, mode max, ties with the best": _plateau_case([-m for m in ties], mode="max", patience=1,
                                                                   factor=0.5, threshold=0.0, threshold_mode="abs"),
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
                                             "expected": expected, "wrong": _distinct(expected, {
            "you left out the factor d_model^-0.5": _rates(lambda t: _noam(t, d_model, warmup, no_scale=True), steps),
            "you special-cased step 0 and kept s = step, so every rate comes one step late":
                _rates(lambda t: _noam(t, d_model, warmup, late=True), steps)}, **RATE_TOLERANCE)}

    c = {"warmup": 6, "total": 40, "start_factor": 0.1, "eta_min": 0.004, "base_lr": 0.1}
    w = dict(base_lr=0.1, warmup=6, total=40, start_factor=0.1, eta_min=0.004)
    steps = 40

    def torch_variant(**changes):
        s = {"warmup": 6, "total": 40, "start_factor": 0.1, "eta_min": 0.004, **changes}
        return _torch_rates(lambda o: _sequential(o, **s), steps, 0.1)

    expected = _checked(_rates(lambda t: _warmup_cosine(t, **w), steps), torch_variant(), "SequentialLR")
    chained = _torch_rates(lambda o: lr_scheduler.ChainedScheduler([
        lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=6),
        lr_scheduler.CosineAnnealingLR(o, T_max=34, eta_min=0.004)]), steps, 0.1)
    cases["sequential"] = {"inputs": c, "steps": steps, "expected": expected, "wrong": _distinct(expected, {
        "you gave the cosine T_max = total, as if the warm-up had not used any steps":
            _rates(lambda t: _warmup_cosine(t, **w, t_max_total=True), steps),
        "your SequentialLR hands over to the cosine one step late": torch_variant(milestone=7),
        "your SequentialLR hands over to the cosine one step early": torch_variant(milestone=5),
        "you left eta_min out of the cosine": torch_variant(eta_min=0.0),
        "you warmed up from 0.01 * base_lr whatever start_factor is": torch_variant(start_factor=0.01),
        "you combined them with ChainedScheduler, which applies both at every step": chained},
        **RATE_TOLERANCE)}
    return cases


def cases() -> dict:
    return {"ex01_decays": _decay_cases(), "ex02_cyclic": _cyclic_cases(), "ex03_plateau": _plateau_cases(),
            "ex04_compose": _compose_cases()}
