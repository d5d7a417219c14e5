"""Stored expected values for 06 Gradient clipping (written by ``python -m tools.expected_values``).

The visible tests compare a learner's clipping functions with ``torch.nn.utils`` and name a misconception by the
values it produces, stored here. Where PyTorch has no operation (AutoClip, the diagnosis of a recorded run, one
update of the debug run under each mistake) the expected values are stored too. Every right computation below is
checked against PyTorch where PyTorch has it, so a stored misconception differs from the right answer by exactly
its mistake. The functions that produce these values, right and wrong, live only here and in the hidden tests.
"""

from __future__ import annotations

import copy
import math

import torch
import torch.nn.functional as F
from torch import nn

EPS = 1e-6  # PyTorch's clip_grad_norm_ divides by (total + 1e-6)


# ------------------------------------------------------------------------------------------- helpers
def _leaves(grads: list[torch.Tensor | None]) -> list[torch.Tensor]:
    """Fresh parameters whose .grad is a copy of each entry (None stays None)."""
    params = []
    for g in grads:
        p = torch.zeros(1 if g is None else g.shape, dtype=torch.float64 if g is None else g.dtype,
                        requires_grad=True)
        p.grad = None if g is None else g.clone()
        params.append(p)
    return params


def _flat(grads: list[torch.Tensor | None]) -> torch.Tensor:
    return torch.cat([g.flatten() for g in grads if g is not None])


def _p_norm(values: torch.Tensor, p: float) -> torch.Tensor:
    return values.abs().max() if p == math.inf else values.abs().pow(p).sum().pow(1 / p)


def _total(grads, p: float) -> torch.Tensor:
    return _p_norm(torch.stack([_p_norm(g, p) for g in grads if g is not None]), p)


def _torch_clip(grads, max_norm: float, p: float) -> tuple[torch.Tensor, torch.Tensor]:
    params = _leaves(grads)
    total = nn.utils.clip_grad_norm_(params, max_norm, p)
    return total, _flat([q.grad for q in params])


def _scaled(grads, factor) -> torch.Tensor:
    return _flat([None if g is None else g * factor for g in grads])


def _checked(mine: torch.Tensor, pytorch: torch.Tensor, what: str) -> None:
    rtol = 1e-5 if pytorch.dtype == torch.float32 else 1e-12  # float32 sums in another order
    if not torch.allclose(mine.to(pytorch.dtype), pytorch, rtol=rtol, atol=1e-15, equal_nan=True):
        raise AssertionError(f"the reference {what} differs from PyTorch's")


def _grads(seed: int, shapes, scale: float = 3.0, dtype=torch.float64, none_at: int | None = None):
    generator = torch.Generator().manual_seed(seed)
    grads = [scale * torch.randn(shape, generator=generator, dtype=dtype) for shape in shapes]
    if none_at is not None:
        grads.insert(none_at, None)
    return grads


WORKED = [torch.tensor([3.0, 4.0], dtype=torch.float64), torch.tensor([12.0], dtype=torch.float64)]
THREE = _grads(1, [(4, 3), (5,), (2, 2, 2)], none_at=1)
MODEL32 = _grads(2, [(4, 6), (4,), (2, 4), (2,)], scale=0.5, dtype=torch.float32)
NORM_TYPES = {"2.0": 2.0, "1.0": 1.0, "inf": math.inf}
GRADS = {"worked example": WORKED, "three tensors and a None": THREE, "float32 gradients of a small model": MODEL32}
EXTRA_GRADS = {"the first gradient of the worked example": [WORKED[0]], "the first of the three tensors": THREE[:1]}


# ------------------------------------------------------------------------------ global norm (ex02)
def _total_cases() -> dict:
    cases = {}
    for name, grads in GRADS.items():
        wrong = {}
        for key, p in NORM_TYPES.items():
            right = _total(grads, p)
            _checked(right, nn.utils.clip_grad_norm_(_leaves(grads), math.inf, p), f"total norm {key}")
            present = [g for g in grads if g is not None]
            norms = torch.stack([_p_norm(g, p) for g in present])
            inf_like_finite = torch.stack([g.abs().pow(p).sum() for g in present]).sum().pow(1 / p)
            wrong[key] = {
                "you added the parameters' norms instead of taking the norm of the norms": norms.sum(),
                "you returned the largest parameter norm instead of the norm of all of them": norms.max(),
                "you ignored norm_type and computed the 2-norm": _total(grads, 2.0),
                "you left out the final root (the sum of |g| ** p)": norms.pow(p).sum() if p != math.inf else None,
                "you treated norm_type = inf like a finite p (|g| ** inf)": inf_like_finite if p == math.inf else None,
            }
        cases[name] = {"inputs": {"grads": name}, "norm_types": list(NORM_TYPES), "wrong": wrong}
    return cases


def _clip_case(name: str, max_norm: float, p: float, at_threshold: bool = False, given_as: str = "list") -> dict:
    grads = {**GRADS, **EXTRA_GRADS}[name]
    total, clipped = _torch_clip(grads, max_norm, p)
    right_total = _total(grads, p)
    _checked(right_total, total, "total norm")
    factor = torch.clamp(max_norm / (right_total + EPS), max=1.0)
    _checked(_scaled(grads, factor), clipped, "clipped gradients")
    per_parameter = _flat([None if g is None else g * torch.clamp(max_norm / (_p_norm(g, p) + EPS), max=1.0)
                           for g in grads])
    wrong_grads = {
        "you clipped each parameter's gradient by its own norm instead of by the global norm": per_parameter,
        "you left out the 1e-6 in the factor max_norm / (total + 1e-6)": None if at_threshold else _scaled(
            grads, torch.clamp(max_norm / right_total, max=1.0)),
        "you did not cap the factor at 1, so gradients below max_norm were scaled up": _scaled(
            grads, max_norm / (right_total + EPS)),
        "you ignored norm_type and clipped by the 2-norm": _scaled(
            grads, torch.clamp(max_norm / (_total(grads, 2.0) + EPS), max=1.0)) if p != 2.0 else None,
        "you scaled only when the norm exceeds max_norm (or left out the 1e-6); at the threshold PyTorch "
        "still multiplies by max_norm / (max_norm + 1e-6), just below 1": _flat(grads) if at_threshold else None,
    }
    wrong_total = {
        "you returned the norm after clipping; clip_grad_norm_ returns the norm measured before it": right_total
        * factor,
        "you returned the scaling factor instead of the norm": factor,
    }
    wrong_grads = {label: None if value is None or torch.allclose(value, clipped, rtol=1e-12, atol=0.0) else value
                   for label, value in wrong_grads.items()}
    return {"inputs": {"grads": name, "max_norm": max_norm, "norm_type": "inf" if p == math.inf else str(p),
                       "given_as": given_as},
            "wrong_grads": wrong_grads, "wrong_total": wrong_total}


def _clip_cases() -> dict:
    return {
        "worked example, max_norm 5": _clip_case("worked example", 5.0, 2.0),
        "three tensors and a None, max_norm 2": _clip_case("three tensors and a None", 2.0, 2.0),
        "norm below max_norm": _clip_case("three tensors and a None", 100.0, 2.0),
        "norm exactly at max_norm": _clip_case("the first gradient of the worked example", 5.0, 2.0,
                                               at_threshold=True),
        "norm_type 1, max_norm 2": _clip_case("three tensors and a None", 2.0, 1.0),
        "norm_type inf, max_norm 0.5": _clip_case("three tensors and a None", 0.5, math.inf),
        "float32 gradients, max_norm 0.1": _clip_case("float32 gradients of a small model", 0.1, 2.0),
        "three tensors and a None as a generator, max_norm 2": _clip_case("three tensors and a None", 2.0, 2.0,
                                                                          given_as="generator"),
        "one tensor, not in a list, max_norm 2": _clip_case("the first of the three tensors", 2.0, 2.0,
                                                            given_as="tensor"),
    }


# -------------------------------------------------------------------- value and per-parameter (ex03)
def _other_cases() -> dict:
    grads, clip_value = THREE, 1.5
    params = _leaves(grads)
    nn.utils.clip_grad_value_(params, clip_value)
    right = _flat([q.grad for q in params])
    _checked(_flat([None if g is None else g.clamp(-clip_value, clip_value) for g in grads]), right, "value clip")
    value = {"inputs": {"clip_value": clip_value}, "wrong": {
        "you clamped only from above (max=clip_value), so large negative entries stayed": _flat(
            [None if g is None else g.clamp(max=clip_value) for g in grads]),
        "you clamped into [0, clip_value], so every negative entry became 0": _flat(
            [None if g is None else g.clamp(0, clip_value) for g in grads]),
        "you scaled each gradient so that its largest entry is clip_value (a rescaling, not a clamp)": _flat(
            [None if g is None else g * torch.clamp(clip_value / g.abs().max(), max=1.0) for g in grads]),
    }}
    max_norm = 2.0
    per = []
    for g in grads:
        if g is None:
            continue
        leaf = _leaves([g])
        norm = nn.utils.clip_grad_norm_(leaf, max_norm)
        per.append((norm, leaf[0].grad.flatten()))
    right_norms = torch.stack([n for n, _ in per])
    total = _total(grads, 2.0)
    per_parameter = {"inputs": {"max_norm": max_norm}, "wrong": {
        "you clipped by the global norm of all parameters together": _scaled(
            grads, torch.clamp(max_norm / (total + EPS), max=1.0)),
        "you left out the 1e-6 in the factor max_norm / (norm + 1e-6)": _flat(
            [None if g is None else g * torch.clamp(max_norm / _p_norm(g, 2.0), max=1.0) for g in grads]),
    }, "wrong_norms": {
        "you returned the norms after clipping; return each parameter's norm measured before it": torch.stack(
            [_p_norm(g, 2.0) for _, g in per]),
        "you returned one global norm instead of one norm per parameter": total,
    }}
    _checked(torch.stack([_p_norm(g, 2.0) for g in grads if g is not None]), right_norms, "per-parameter norms")
    generator_value = {"inputs": {"clip_value": 0.7}, "wrong": {
        "you clamped only from above (max=clip_value), so large negative entries stayed": _flat(
            [None if g is None else g.clamp(max=0.7) for g in grads]),
        "you clamped into [0, clip_value], so every negative entry became 0": _flat(
            [None if g is None else g.clamp(0, 0.7) for g in grads])}}
    generator_per_parameter = {"inputs": {"max_norm": 1.0}, "wrong": {
        "you clipped by the global norm of all parameters together": _scaled(
            grads, torch.clamp(1.0 / (total + EPS), max=1.0)),
        "you left out the 1e-6 in the factor max_norm / (norm + 1e-6)": _flat(
            [None if g is None else g * torch.clamp(1.0 / _p_norm(g, 2.0), max=1.0) for g in grads]),
    }}
    return {"grads": grads, "value": value, "per_parameter": per_parameter,
            "value as a generator": generator_value, "per_parameter as a generator": generator_per_parameter}


# ------------------------------------------------------------------------------------ AutoClip (ex05)
def _autoclip_steps() -> list[list[torch.Tensor]]:
    generator = torch.Generator().manual_seed(5)
    steps = []
    for t in range(24):
        scale = 80.0 if t in (0, 9, 17) else 1.0 + 0.05 * t
        steps.append([scale * torch.randn(3, 2, generator=generator, dtype=torch.float64),
                      scale * torch.randn(2, generator=generator, dtype=torch.float64)])
    return steps


def _quantile(history: list[float], percentile: float, interpolation: str = "linear") -> float:
    return torch.quantile(torch.tensor(history, dtype=torch.float64), percentile / 100,
                          interpolation=interpolation).item()


def _autoclip_run(steps, percentile: float, mistake: str | None = None, resume_at: int | None = None,
                  resumed_percentile: float | None = None, leaked_steps: int = 0):
    """Norms, thresholds and clipped gradients of AutoClip over ``steps``; ``mistake`` reproduces one error.

    With ``resume_at``, the history is saved after that many steps and ``leaked_steps`` more norms leak into it
    (a state_dict that returned the live list); the resumed clipper uses ``resumed_percentile``.
    """
    history: list[float] = []
    saved = None
    norms, thresholds = [], []
    for t, grads in enumerate(steps):
        if resume_at is not None and t == resume_at:
            saved = list(history) + [_total(g, 2.0).item() for g in steps[t:t + leaked_steps]]
            history, percentile = saved, resumed_percentile if resumed_percentile is not None else percentile
        norm = _total(grads, 2.0).item()
        if mistake in ("before append", "before append, norm at start"):
            start = math.inf if mistake == "before append" else norm
            threshold = _quantile(history, percentile) if history else start
            history.append(norm)
        else:
            history.append(norm)
            threshold = _quantile(history, percentile, "nearest" if mistake == "nearest" else "linear")
        params = _leaves(grads)
        after = nn.utils.clip_grad_norm_(params, threshold)
        if mistake == "clipped norms":
            history[-1] = min(norm, norm * threshold / (norm + EPS))
        norms.append(norm)
        thresholds.append(threshold)
        assert abs(after.item() - norm) < 1e-9
    return torch.tensor(norms, dtype=torch.float64), torch.tensor(thresholds, dtype=torch.float64)


def _autoclip_cases() -> dict:
    steps = _autoclip_steps()
    percentile = 25.0
    norms, thresholds = _autoclip_run(steps, percentile)
    # the right thresholds, checked against numpy-style linear interpolation written out
    for t in range(len(steps)):
        ordered = sorted(norms[:t + 1].tolist())
        position = percentile / 100 * (len(ordered) - 1)
        low, high = math.floor(position), math.ceil(position)
        value = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
        assert abs(value - thresholds[t].item()) < 1e-12 * max(1.0, value)
    run = {"inputs": {"steps": steps, "percentile": percentile}, "norms": norms, "thresholds": thresholds,
           "wrong_thresholds": {
               "you computed the percentile before adding the current norm to the history": _autoclip_run(
                   steps, percentile, "before append")[1],
               "you computed the percentile before adding the current norm to the history (the history so far "
               "leaves out the norm of this step)": _autoclip_run(steps, percentile, "before append, norm at start")[1],
               "you stored the norm after clipping in the history; AutoClip keeps the norms measured before it":
                   _autoclip_run(steps, percentile, "clipped norms")[1],
               "you took the nearest-rank percentile; use linear interpolation (numpy.percentile, torch.quantile)":
                   _autoclip_run(steps, percentile, "nearest")[1],
           }}
    resume_at = 10
    resume = {"inputs": {"percentile": percentile, "resume_at": resume_at,
                         "other_percentile": 90.0, "steps_after_saving": 5},
              "thresholds": thresholds, "wrong_thresholds": {
                  "state_dict() returned the live history: norms recorded after saving changed the saved state; "
                  "return a copy": _autoclip_run(steps, percentile, resume_at=resume_at, leaked_steps=5)[1],
                  "load_state_dict() ignored the saved percentile": _autoclip_run(
                      steps, percentile, resume_at=resume_at, resumed_percentile=90.0)[1],
              }}
    return {"run": run, "resume": resume}


# --------------------------------------------------------------------------------- debug run (ex06)
DEBUG_SEED = 1  # the notebook's colleague's run: its data, initialisation and glitches
def _glitchy_data(n: int, seed: int, glitches: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """The notebook's sensor data: y = tanh(x . w) + noise, x of shape (n, 8); glitch rows have x * 100."""
    w = torch.linspace(-1, 1, 8) / math.sqrt(8) * 2
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 8, generator=generator)
    y = torch.tanh(x @ w).unsqueeze(1) + 0.05 * torch.randn(n, 1, generator=generator)
    x[torch.randperm(n, generator=generator)[:glitches]] *= 100
    return x, y


def _micro_batches(x, y, step: int, order: torch.Tensor, micro: int = 16, count: int = 4):
    rows = order[step * micro * count:(step + 1) * micro * count]
    return [(x[rows[i * micro:(i + 1) * micro]], y[rows[i * micro:(i + 1) * micro]]) for i in range(count)]


def _regressor(seed: int, width: int = 32) -> nn.Sequential:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(8, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU(), nn.Linear(width, 1))


def _update(model, optimizer, micro_batches, max_norm, mistake: str | None = None):
    """One gradient-accumulation update; ``mistake`` reproduces one error (None: the right order)."""
    if mistake != "no zero_grad":
        optimizer.zero_grad()
    total = None
    for x, y in micro_batches:
        loss = F.mse_loss(model(x), y)
        if mistake != "not divided":
            loss = loss / len(micro_batches)
        if mistake == "clip before backward":
            total = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        loss.backward()
        if mistake == "clip each micro-batch":
            total = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    if mistake not in ("clip before backward", "clip each micro-batch"):
        total = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    optimizer.step()
    return total


def _buggy_log() -> tuple[list[str], torch.Tensor]:
    """Per-parameter gradient norms, as the optimizer receives them, of the notebook's buggy run."""
    x, y = _glitchy_data(2048, seed=DEBUG_SEED, glitches=4)
    model = _regressor(seed=DEBUG_SEED)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    order = torch.cat([torch.randperm(2048, generator=torch.Generator().manual_seed(s)) for s in range(5)])
    rows = []
    names = [name for name, _ in model.named_parameters()]
    optimizer.register_step_pre_hook(lambda *_: rows.append(
        [torch.linalg.vector_norm(p.grad).item() for p in model.parameters()]))
    for step in range(150):
        _update(model, optimizer, _micro_batches(x, y, step, order), 1.0, "clip before backward")
    return names, torch.tensor(rows, dtype=torch.float64)


def _explosion(names, log: torch.Tensor, factor: float = 10.0, warmup: int = 5, mistake: str | None = None):
    totals = log.pow(2).sum(dim=1).sqrt()
    if mistake == "largest":
        step = int(torch.nan_to_num(totals, nan=-1.0).argmax())
    else:
        step = None
        for t in range(warmup, len(totals)):
            earlier = totals[:t]
            typical = earlier.mean() if mistake == "mean" else earlier.median()
            if totals[t] > factor * typical:
                step = t
                break
    if step is None:
        return None
    column = int(torch.nan_to_num(log, nan=-1.0).max(dim=0).values.argmax()) if mistake == "layer over run" \
        else int(log[step].argmax())
    return [step + (1 if mistake == "from 1" else 0), names[column]]


FIND_MISTAKES = {
    "mean": "you compared each update with the mean of the earlier updates; one earlier spike inflates the mean: "
            "use the median",
    "median with t": "your median included update t itself; take the median of the updates before t",
    "no warmup": "you ignored warmup: updates before warmup can be noisy and must not be reported",
    "sum": "you added the parameters' norms; the global norm is the 2-norm of the parameters' norms",
    "max": "you took the largest parameter's norm as the global norm; use the 2-norm of all the parameters' norms",
    ">=": "you reported an update whose norm is exactly factor times the median; it must be more than that",
    "last 5": "you took the median of the last few updates only; use every update before t",
}


def _find(per_parameter: dict, factor: float = 10.0, warmup: int = 5, mistake: str | None = None,
          median=lambda values: values.median()):
    """find_explosion written out, or with one ``mistake`` (a key of FIND_MISTAKES)."""
    names = list(per_parameter)
    log = torch.tensor([per_parameter[name] for name in names], dtype=torch.float64).T
    totals = {"sum": log.sum(dim=1), "max": log.max(dim=1).values}.get(mistake, log.pow(2).sum(dim=1).sqrt())
    for t in range(1 if mistake == "no warmup" else warmup, len(totals)):
        earlier = {"median with t": totals[:t + 1], "last 5": totals[max(0, t - 5):t]}.get(mistake, totals[:t])
        typical = earlier.mean() if mistake == "mean" else median(earlier)
        if totals[t] >= factor * typical if mistake == ">=" else totals[t] > factor * typical:
            return [t, names[int(log[t].argmax())]]
    return None


def _designed_log(base: list[float], spikes: dict[int, list[float]], steps: int = 20) -> dict:
    """Per-parameter norms: ``base`` at every update except the updates in ``spikes``."""
    names = ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"][:len(base)]
    rows = [spikes.get(t, base) for t in range(steps)]
    return {name: [row[i] for row in rows] for i, name in enumerate(names)}


def _level(total: float) -> list[float]:
    """Two parameters whose global norm is exactly ``total`` (a multiple of 5): norms 3k and 4k."""
    return [3 * total / 5, 4 * total / 5]


def _designed_cases() -> dict:
    """Logs designed so that each mistake of FIND_MISTAKES gives another answer than the right one on one of them,
    and so that the median of an even number of updates (numpy's mean of the two middle values or torch's lower
    one) never matters."""
    alternating = {t: _level(15.0 if t % 2 == 0 else 5.0) for t in range(10)}
    logs = {
        "a spike during the warm-up, then a smaller one": (
            _designed_log(_level(5.0), {2: [300.0, 400.0], 9: [60.0, 80.0]}), {}),
        "updates alternating between two levels, then a spike": (
            _designed_log(_level(5.0), {**alternating, 10: [75.0, 100.0], 11: _level(5.0),
                                        15: [240.0, 320.0]}), {}),
        "a spike exactly factor times the median": (
            _designed_log(_level(5.0), {7: [30.0, 40.0], 12: [36.0, 48.0]}), {}),
        "spikes that only some ways of adding norms see": (
            _designed_log([3.0, 4.0, 0.01], {6: [24.0, 24.5, 23.5], 8: [0.0, 45.0, 0.01], 12: [300.0, 400.0, 0.01]}),
            {}),
        "a level shift, then a spike": (
            _designed_log(_level(5.0), {**{t: _level(15.0) for t in range(10, 15)}, 15: [75.0, 100.0]}), {}),
        "no explosion after the warm-up": (
            _designed_log(_level(5.0), {1: [300.0, 400.0], 11: _level(40.0), 16: _level(45.0)}), {}),
        "another factor and warm-up": (
            _designed_log([1.0, 0.5, 0.25], {2: [9.0, 0.5, 0.25], 6: [1.0, 4.0, 0.25]}), {"factor": 3.0, "warmup": 3}),
    }
    cases, named = {}, set()
    for case, (per_parameter, options) in logs.items():
        right = _find(per_parameter, **options)
        numpy_median = _find(per_parameter, **options, median=lambda v: torch.quantile(v, 0.5))
        if numpy_median != right:
            raise AssertionError(f"{case}: the answer depends on how the median of an even count is taken")
        results = {mistake: _find(per_parameter, **options, mistake=mistake) for mistake in FIND_MISTAKES}
        wrong = {}
        for mistake, value in results.items():
            unique = sum(other == value for other in results.values()) == 1
            if value != right and unique:
                wrong[FIND_MISTAKES[mistake]] = value
                named.add(mistake)
        cases[case] = {"inputs": {"per_parameter": per_parameter, "options": options}, "expected": right,
                       "wrong": wrong}
    if named != set(FIND_MISTAKES):
        raise AssertionError(f"no designed log names {sorted(set(FIND_MISTAKES) - named)}")
    if not any(case["expected"] is None for case in cases.values()):
        raise AssertionError("one designed log must have no explosion")
    return cases


@torch.enable_grad()  # tools.expected_values computes the cases under no_grad
def _debug_cases() -> dict:
    names, log = _buggy_log()
    log = torch.tensor([[float(f"{v:.4g}") for v in row] for row in log.tolist()], dtype=torch.float64)
    right = _explosion(names, log)
    wrong = {}
    for mistake, label in [
        ("largest", "you returned the step with the largest norm of the whole run; the explosion starts earlier"),
        ("mean", "you compared each step with the mean of the earlier steps; earlier spikes inflate the mean: "
                 "use the median"),
        ("from 1", "you numbered the steps from 1; count them from 0, like the rows of the log"),
        ("layer over run", "you took the parameter with the largest norm over the whole run, not at that step"),
    ]:
        value = _explosion(names, log, mistake=mistake)
        if value != right:
            wrong[label] = value
    diagnosis = {"inputs": {"names": names, "log": log}, "expected": right, "wrong": wrong}
    if _explosion(names, log) != right:
        raise AssertionError("rounding the stored log changed its diagnosis")

    # One update on a small regressor: the right order against each mistake, from the same start. The test
    # cell builds the same inputs from the same seeds.
    generator = torch.Generator().manual_seed(11)
    x = torch.randn(64, 8, generator=generator)
    y = torch.randn(64, 1, generator=generator)
    x[20] *= 100  # a glitch in the second micro-batch
    torch.manual_seed(12)
    small = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 1))
    state = {key: value.clone() for key, value in small.state_dict().items()}
    micro = [(x[i * 16:(i + 1) * 16], y[i * 16:(i + 1) * 16]) for i in range(4)]
    updates = {}
    for case, max_norm in [("max_norm 1 (clipping binds)", 1.0), ("max_norm 1000 (clipping idle)", 1000.0)]:
        results = {}
        for mistake in (None, "clip before backward", "clip each micro-batch", "not divided", "no zero_grad"):
            model = copy.deepcopy(small)
            model.load_state_dict(state)
            for p in model.parameters():
                p.grad = torch.ones_like(p)  # stale gradients from an earlier update
            optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
            total = _update(model, optimizer, micro, max_norm, mistake)
            results[mistake] = (torch.cat([p.detach().flatten() for p in model.parameters()]), total)
        big = copy.deepcopy(small)
        big.load_state_dict(state)
        optimizer = torch.optim.SGD(big.parameters(), lr=0.05, momentum=0.9)
        optimizer.zero_grad()
        F.mse_loss(big(x), y).backward()
        big_total = nn.utils.clip_grad_norm_(big.parameters(), max_norm)
        optimizer.step()
        big_params = torch.cat([p.detach().flatten() for p in big.parameters()])
        if not torch.allclose(results[None][0], big_params, rtol=1e-5, atol=1e-7):
            raise AssertionError("accumulating 4 micro-batches then clipping differs from the big-batch step")
        labels = {"clip before backward": "you clipped before backward(), so the last micro-batch's gradient was "
                                          "never clipped",
                  "clip each micro-batch": "you clipped after every micro-batch instead of once after accumulating",
                  "not divided": "you did not divide each micro-batch loss by the number of micro-batches, so "
                                 "the accumulated gradient is their sum, not their mean",
                  "no zero_grad": "you did not zero the gradients first, so stale gradients were added in"}
        updates[case] = {"max_norm": max_norm, "wrong_params": {
            label: results[m][0] for m, label in labels.items()
            if not torch.allclose(results[m][0], big_params, rtol=1e-4, atol=1e-6)},
            "expected_norm": big_total}
    return {"diagnosis": diagnosis, "designed": _designed_cases(),
            "update": {"inputs": {"data_seed": 11, "glitch_row": 20, "model_seed": 12}, "cases": updates}}


# ------------------------------------------------------------------------- predictions (ex01, ex04)
def _prediction_cases() -> dict:
    params = _leaves(WORKED)
    returned = nn.utils.clip_grad_norm_(params, 5.0).item()
    after = _flat([p.grad for p in params]).norm().item()
    if returned != 13.0:
        raise AssertionError("clip_grad_norm_ no longer returns 13 for the worked example")
    grads = _grads(4, [(6, 4), (5,)], scale=300.0)
    clipped = _leaves(grads)
    nn.utils.clip_grad_norm_(clipped, 1.0)
    cosine = F.cosine_similarity(_flat(grads), _flat([p.grad for p in clipped]), dim=0).item()
    return {
        "ex01_predict_return": {"answer": returned, "wrong": {
            "you predicted the norm after clipping (about max_norm)": after,
            "you added the two norms (5 + 12)": 17.0,
            "you predicted the scaling factor, not the norm": 5 / (13 + EPS)}},
        "ex04_predict_cosine": {"answer": cosine, "wrong_ranges": {
            "you predicted orthogonal gradients": [-1e-4, 1e-4],
            "you predicted how much the length shrinks (about max_norm / norm, a small positive number), "
            "not the cosine": [1e-4, 0.05],
            "you predicted the opposite direction; the factor is positive": [-1.001, -0.999]}},
    }


def cases() -> dict:
    return {
        **_prediction_cases(),
        "ex02_clip_grad_norm": {"grads": {**GRADS, **EXTRA_GRADS},
                                "total": _total_cases(), "clip": _clip_cases()},
        "ex03_other_clippers": _other_cases(),
        "ex05_autoclip": _autoclip_cases(),
        "ex06_debug_run": _debug_cases(),  # trains: see the decorator
    }
