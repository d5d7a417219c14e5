"""Stored expected values for 01 Initialization (written by ``python -m tools.expected_values``).

Each case records its inputs (explicit shapes, options and generator seeds) and the value every known mistake
produces on them, computed by the small reference functions below; the visible tests compare the learner's
answer with the PyTorch operation (``nn.init``, ``cu.record_activations`` + ``cu.std_per_layer``) or with these
values, and name the mistake whose stored value the answer equals. The reference code lives only here and in
the hidden tests.
"""

from __future__ import annotations

import math

import torch
from torch import nn

import course_utils as cu

# ----------------------------------------------------------------------------------------------------------
# ex01: count_distinct_units


def _groups(rows: torch.Tensor, atol: float) -> int:
    representatives: list[torch.Tensor] = []
    for row in rows:
        if not any((row - rep).abs().max() <= atol for rep in representatives):
            representatives.append(row)
    return len(representatives)


def _count_cases() -> dict:
    weights = {
        "three copies of one unit and one other unit":
            torch.tensor([[0.1, 0.2, 0.3], [0.1, 0.2, 0.3], [0.5, 0.1, 0.0], [0.1, 0.2, 0.3]]),
    }
    base = torch.tensor([[0.1, -0.2, 0.3, 0.4], [0.5, 0.6, -0.7, 0.8], [0.9, 1.0, 1.1, -1.2]])
    weights["three units, each repeated with 1e-7 rounding noise"] = (
        base.repeat_interleave(3, dim=0) + 1e-7 * torch.arange(9.0).unsqueeze(1))
    for constant in (True, False):  # the first layer of a small tanh net after 30 SGD steps
        torch.manual_seed(1)
        net = nn.Sequential(nn.Linear(8, 5), nn.Tanh(), nn.Linear(5, 3))
        if constant:
            for m in (net[0], net[2]):
                nn.init.constant_(m.weight, 0.3)
                nn.init.zeros_(m.bias)
        opt = torch.optim.SGD(net.parameters(), lr=0.5)
        data, labels = torch.randn(64, 8), torch.randint(0, 3, (64,))
        with torch.enable_grad():
            for _ in range(30):
                opt.zero_grad()
                nn.functional.cross_entropy(net(data), labels).backward()
                opt.step()
        start = "a constant (0.3)" if constant else "a random"
        weights[f"first layer (5 units) trained from {start} init"] = net[0].weight.detach().clone()
    mistakes = {
        "you counted distinct columns (inputs); a unit of nn.Linear is a row of its weight":
            lambda w: _groups(w.T, 1e-5),
        "you counted bit-identical rows only, ignoring the atol tolerance":
            lambda w: len(torch.unique(w, dim=0)),
        "you compared each unit with the first unit only, not with every group found so far":
            lambda w: 1 + sum(int((row - w[0]).abs().max() > 1e-5) for row in w[1:]),
    }
    cases = {}
    for name, weight in weights.items():
        expected = _groups(weight, 1e-5)
        cases[name] = {"inputs": {"weight": weight}, "expected": expected,
                       "wrong": _distinct({label: f(weight) for label, f in mistakes.items()}, expected)}
    return cases


# ----------------------------------------------------------------------------------------------------------
# ex02: compute_fans


def _fan_cases() -> dict:
    cases = {}
    for name, shape in [("nn.Linear(6, 4).weight", [4, 6]), ("nn.Conv2d(3, 16, kernel_size=5).weight", [16, 3, 5, 5])]:
        field = math.prod(shape[2:])
        expected = [shape[1] * field, shape[0] * field]
        wrong = {
            "you swapped fan_in and fan_out (the weight has shape (out, in, *kernel))":
                [shape[0] * field, shape[1] * field],
            "you left the receptive field (the kernel size) out of the fans": [shape[1], shape[0]],
            "you multiplied the receptive field into the fan-in only": [shape[1] * field, shape[0]],
        }
        cases[name] = {"inputs": {"shape": shape}, "wrong": _distinct(wrong, expected)}
    return cases


# ----------------------------------------------------------------------------------------------------------
# ex03 / ex04: Xavier and Kaiming (the draws of one generator state differ only by their scale)


def _uniform(shape: list[int], bound: float, seed: int) -> torch.Tensor:
    return torch.empty(shape).uniform_(-bound, bound, generator=torch.Generator().manual_seed(seed))


def _normal(shape: list[int], std: float, seed: int) -> torch.Tensor:
    return torch.empty(shape).normal_(0.0, std, generator=torch.Generator().manual_seed(seed))


def _fans(shape: list[int]) -> tuple[int, int]:
    field = math.prod(shape[2:])
    return shape[1] * field, shape[0] * field


STD_AS_BOUND = "you used the std as the uniform bound, without the factor sqrt(3) between them"
NO_GAIN = "you left out the gain"
FAN_IN_ONLY = "you used fan_in alone where Xavier averages fan_in and fan_out"
BOUND_AS_STD = "you used the uniform bound as the normal std"
VARIANCE_AS_STD = "you passed the variance to normal_, which takes the standard deviation"
GAIN_SQUARED = "you squared the gain: ReLU's factor 2 multiplies the variance, not the std"
SQRT3_IN_STD = "you put the uniform bound's factor sqrt(3) into the normal std"
NO_SLOPE = "you ignored the negative slope a in leaky_relu's gain"


def _xavier_stds(shape: list[int], gain: float) -> tuple[float, dict[str, float], dict[str, float]]:
    """The right std, and the std (normal) or bound (uniform) each mistake uses."""
    fan_in, fan_out = _fans(shape)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    bounds = {STD_AS_BOUND: std, FAN_IN_ONLY: gain * math.sqrt(6.0 / fan_in), NO_GAIN: math.sqrt(3.0) * std / gain}
    stds = {BOUND_AS_STD: math.sqrt(3.0) * std, VARIANCE_AS_STD: gain ** 2 * 2.0 / (fan_in + fan_out),
            FAN_IN_ONLY: gain * math.sqrt(1.0 / fan_in), NO_GAIN: std / gain}
    return std, bounds, stds


def _kaiming_stds(shape: list[int], a: float = 0.0, mode: str = "fan_in",
                  nonlinearity: str = "leaky_relu") -> tuple[float, dict[str, float], dict[str, float]]:
    fan_in, fan_out = _fans(shape)
    fan, other = (fan_in, fan_out) if mode == "fan_in" else (fan_out, fan_in)
    gain = nn.init.calculate_gain(nonlinearity, a)
    std = gain / math.sqrt(fan)
    other_name = "fan_out" if mode == "fan_in" else "fan_in"
    common = {GAIN_SQUARED: gain ** 2 / math.sqrt(fan),
              f"you used {other_name} although mode={mode!r}": gain / math.sqrt(other)}
    if nonlinearity == "leaky_relu":
        common[NO_SLOPE] = math.sqrt(2.0) / math.sqrt(fan)
    bounds = {STD_AS_BOUND: std, **{label: math.sqrt(3.0) * s for label, s in common.items()}}
    stds = {SQRT3_IN_STD: math.sqrt(3.0) * std, **common}
    return std, bounds, stds


def _exact_case(shape: list[int], std: float, bounds: dict[str, float], stds: dict[str, float], seed: int,
                names: tuple[str, str], inputs: dict) -> dict:
    uniform, normal = names
    right_u, right_n = _uniform(shape, math.sqrt(3.0) * std, seed), _normal(shape, std, seed)
    return {"test": "exact", "inputs": {"shape": shape, "seed": seed, **inputs}, "wrong": {
        uniform: _distinct({label: _uniform(shape, b, seed) for label, b in bounds.items()}, right_u),
        normal: _distinct({label: _normal(shape, s, seed) for label, s in stds.items()}, right_n)}}


def _stats_case(fill: str, shape: list[int], std: float, mistakes: dict[str, float], seed: int,
                inputs: dict) -> dict:
    """Statistics of a large draw: the std it must have (and the bound of a uniform), and each mistake's std."""
    expected = {"std": std, **({"bound": math.sqrt(3.0) * std} if fill.endswith("uniform_") else {})}
    return {"test": "statistics", "inputs": {"fill": fill, "shape": shape, "seed": seed, **inputs},
            "expected": expected, "wrong": _distinct(mistakes, std, rtol=0.05)}


def _xavier_cases() -> dict:
    cases = {}
    for name, shape, gain in [("4x6, gain 1", [4, 6], 1.0),
                              ("conv 3x2x2x2, tanh gain 5/3", [3, 2, 2, 2], nn.init.calculate_gain("tanh"))]:
        std, bounds, stds = _xavier_stds(shape, gain)
        cases[name] = _exact_case(shape, std, bounds, stds, 0, ("xavier_uniform_", "xavier_normal_"),
                                  {"gain": gain})
    shape = [500, 1500]
    std, bounds, _ = _xavier_stds(shape, 1.0)
    cases["xavier_uniform_(500x1500)"] = _stats_case(
        "xavier_uniform_", shape, std, {label: b / math.sqrt(3.0) for label, b in bounds.items()}, 3, {"gain": 1.0})
    std, _, stds = _xavier_stds(shape, 2.0)
    cases["xavier_normal_(500x1500, gain=2)"] = _stats_case("xavier_normal_", shape, std, stds, 4, {"gain": 2.0})
    return cases


def _kaiming_cases() -> dict:
    cases = {}
    for name, shape, options in [
            ("8x3, relu, fan_in", [8, 3], {"a": 0.0, "mode": "fan_in", "nonlinearity": "relu"}),
            ("8x3, relu, fan_out", [8, 3], {"a": 0.0, "mode": "fan_out", "nonlinearity": "relu"}),
            ("4x6, leaky_relu a=sqrt(5) (nn.Linear's default)", [4, 6],
             {"a": math.sqrt(5.0), "mode": "fan_in", "nonlinearity": "leaky_relu"})]:
        std, bounds, stds = _kaiming_stds(shape, **options)
        cases[name] = _exact_case(shape, std, bounds, stds, 0, ("kaiming_uniform_", "kaiming_normal_"),
                                  {"options": options})
    shape = [400, 2000]
    options = {"nonlinearity": "relu"}
    std, _, stds = _kaiming_stds(shape, **options)
    cases["kaiming_normal_(400x2000, relu)"] = _stats_case("kaiming_normal_", shape, std, stds, 3,
                                                           {"options": options})
    options = {"mode": "fan_out", "nonlinearity": "relu"}
    std, bounds, _ = _kaiming_stds(shape, **options)
    cases["kaiming_uniform_(400x2000, fan_out, relu)"] = _stats_case(
        "kaiming_uniform_", shape, std, {label: b / math.sqrt(3.0) for label, b in bounds.items()}, 4,
        {"options": options})
    return cases


# ----------------------------------------------------------------------------------------------------------
# ex05: per_layer_activation_std


def _walk(model: nn.Sequential, x: torch.Tensor, measure) -> torch.Tensor:
    values, h = [], x
    for module in model:
        before, h = h, module(h)
        if isinstance(module, cu.ACTIVATION_TYPES):
            values.append(measure(before, h))
    return torch.stack(values)


def _activation_cases() -> dict:
    cases = {}
    for name, seed, (n_in, width, depth, n_out, activation), batch in [
            ("tanh MLP 6-8-8-8-8", 0, (6, 8, 4, None, "Tanh"), 5),
            ("ReLU MLP 5-7-7-7 with a Linear(7, 3) head", 1, (5, 7, 3, 3, "ReLU"), 4)]:
        torch.manual_seed(seed)
        model = cu.make_mlp(n_in, width, depth, n_out=n_out, activation=getattr(nn, activation))
        x = torch.randn(batch, n_in)
        right = _walk(model, x, lambda before, h: h.std())
        wrong = {
            "you measured each Linear output, before its activation": _walk(model, x, lambda before, h: before.std()),
            "you used the biased std (correction=0)": _walk(model, x, lambda before, h: h.std(correction=0)),
            "you took the std of each unit over the batch and averaged over units":
                _walk(model, x, lambda before, h: h.std(dim=0).mean()),
        }
        cases[name] = {"inputs": {"n_in": n_in, "width": width, "depth": depth, "n_out": n_out,
                                  "activation": activation, "state": dict(model.state_dict()), "x": x},
                       "wrong": _distinct(wrong, right)}
    return cases


# ----------------------------------------------------------------------------------------------------------


def _same(a, b, rtol: float) -> bool:
    if isinstance(a, torch.Tensor) or isinstance(b, torch.Tensor):
        a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
        return a.shape == b.shape and torch.allclose(a, b, rtol=rtol, atol=1e-12)
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=rtol)
    return a == b


def _distinct(wrong: dict, right, rtol: float = 1e-4) -> dict:
    """The mistakes whose value differs from the right one; mistakes that give the same value share one
    entry whose label names each of them ("A, or B")."""
    kept: list[list] = []
    for label, value in wrong.items():
        if _same(value, right, rtol):
            continue
        same = next((entry for entry in kept if _same(value, entry[1], rtol)), None)
        if same is None:
            kept.append([label, value])
        else:
            same[0] = f"{same[0]}, or {label}"
    return dict(kept)


def cases() -> dict:
    return {"ex01_symmetry": _count_cases(), "ex02_fans": _fan_cases(), "ex03_xavier": _xavier_cases(),
            "ex04_kaiming": _kaiming_cases(), "ex05_activation_std": _activation_cases()}
