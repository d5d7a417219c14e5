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


def _groups(rows: torch.Tensor, atol: float, distance=lambda d: d.abs().max(), joins=lambda dist, atol: dist <= atol,
            against: str = "first") -> int:
    """Greedy grouping; ``distance`` of two rows' difference, ``joins`` the comparison, ``against`` which
    members of a group a row is compared with ("first" row, or "any" member)."""
    groups: list[list[torch.Tensor]] = []
    for row in rows:
        for group in groups:
            members = group[:1] if against == "first" else group
            if any(bool(joins(distance(row - member), atol)) for member in members):
                group.append(row)
                break
        else:
            groups.append([row])
    return len(groups)


def _allclose_groups(rows: torch.Tensor, atol: float) -> int:
    firsts: list[torch.Tensor] = []
    for row in rows:
        if not any(torch.allclose(row, first, atol=atol) for first in firsts):
            firsts.append(row)
    return len(firsts)


def _first_unit_only(rows: torch.Tensor, atol: float) -> int:
    return 1 + sum(int((row - rows[0]).abs().max() > atol) for row in rows[1:])


COLUMNS = "you counted distinct columns (inputs); a unit of nn.Linear is a row of its weight"
BIT_IDENTICAL = "you counted bit-identical rows only, ignoring the atol tolerance"
FIRST_ONLY = "you compared each unit with the first unit only, not with every group found so far"
FIXED_ATOL = "you ignored the atol argument (a fixed tolerance of 1e-5)"
ALLCLOSE = ("you compared rows with torch.allclose, which adds a relative tolerance (rtol=1e-5 times the "
            "row's values) to atol")
STRICT = "you used a strict < atol: two rows exactly atol apart are equal within atol"
ANY_MEMBER = ("you let a row join a group when it matches ANY member; it must match the group's first "
              "row (a close to b and b close to c does not make a close to c)")
MEAN = "you compared the mean absolute difference; the rule takes the largest one (max)"
RMS = "you compared the root-mean-square difference; the rule takes the largest absolute one (max)"
EUCLIDEAN = ("you compared the Euclidean norm (or the sum) of the difference; the rule takes the largest "
             "absolute difference (max)")
NO_ABS = ("you compared the signed difference without abs(): a row far below another has a negative "
          "difference, which is always <= atol")
NO_ABS_REVERSED = ("you compared the signed difference without abs() (first row minus row): a row far above the "
                   "first row has a negative difference, which is always <= atol")
GRID = ("you rounded the weights to a grid of step atol (torch.round(w / atol), unique): two rows closer "
        "than atol can fall on two sides of a grid line")
MISTAKES = {
    COLUMNS: lambda w, atol: _groups(w.T, atol),
    BIT_IDENTICAL: lambda w, atol: len(torch.unique(w, dim=0)),
    FIRST_ONLY: _first_unit_only,
    FIXED_ATOL: lambda w, atol: _groups(w, 1e-5),
    ALLCLOSE: _allclose_groups,
    STRICT: lambda w, atol: _groups(w, atol, joins=lambda dist, atol: dist < atol),
    ANY_MEMBER: lambda w, atol: _groups(w, atol, against="any"),
    MEAN: lambda w, atol: _groups(w, atol, distance=lambda d: d.abs().mean()),
    RMS: lambda w, atol: _groups(w, atol, distance=lambda d: d.pow(2).mean().sqrt()),
    EUCLIDEAN: lambda w, atol: _groups(w, atol, distance=lambda d: d.norm()),
    NO_ABS: lambda w, atol: _groups(w, atol, distance=lambda d: d.max()),
    NO_ABS_REVERSED: lambda w, atol: _groups(w, atol, distance=lambda d: (-d).max()),
    GRID: lambda w, atol: len(torch.unique(torch.round(w / atol), dim=0)),
}


def _count_cases() -> dict:
    # trained weights and repeated rows, at the default atol: the general mistakes
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
    general = (COLUMNS, BIT_IDENTICAL, FIRST_ONLY)
    cases = {}
    for name, weight in weights.items():
        expected = _groups(weight, 1e-5)
        cases[name] = {"inputs": {"weight": weight}, "expected": expected,
                       "wrong": _distinct({label: MISTAKES[label](weight, 1e-5) for label in general}, expected)}
    # designed weights (exact binary fractions), each with a non-default atol and the mistakes it exposes; every
    # mistake that gives the same wrong count is named with them
    designed = [
        ("two rows exactly atol apart", [[1.0, 2.0], [1.25, 2.0], [1.0, 2.5]], 0.25, (STRICT,)),
        ("rows 100 and 100 + 2^-10: close for allclose, not within atol", [[100.0], [100.0009765625]], 1e-5,
         (ALLCLOSE,)),
        ("a chain 0, 0.75, 1.5, 2.25 (neighbours within atol)", [[0.0], [0.75], [1.5], [2.25]], 1.0,
         (ANY_MEMBER, GRID)),
        ("one coordinate 1.5 apart, 15 equal (close in mean, far in max)",
         [[0.0] * 16, [0.0] * 15 + [1.5]], 0.5, (MEAN, RMS)),
        ("every coordinate 0.375 apart (far in Euclidean norm, close in max)", [[0.0] * 4, [0.375] * 4], 0.5,
         (EUCLIDEAN,)),
        ("rows 1, 0 and 2 (differences of both signs)", [[1.0, 1.0], [0.0, 0.0], [2.0, 2.0]], 0.5,
         (NO_ABS, NO_ABS_REVERSED)),
        ("rows 0.125 and 0.5625 (within atol, across a grid line)", [[0.125, 3.0], [0.5625, 3.0]], 0.5, (GRID,)),
    ]
    for name, rows, atol, exposed in designed:
        weight = torch.tensor(rows)
        expected = _groups(weight, atol)
        labels = [*exposed, *(label for label in MISTAKES if label not in exposed)]  # the case's own first
        wrong = {label: MISTAKES[label](weight, atol) for label in labels}
        assert all(value != expected for label, value in wrong.items() if label in exposed), name
        cases[f"{name}, atol={atol:g}"] = {"inputs": {"weight": weight, "atol": atol}, "expected": expected,
                                           "wrong": _distinct(wrong, expected)}
    return cases


# ----------------------------------------------------------------------------------------------------------
# ex02: compute_fans


def _fan_cases() -> dict:
    cases = {}
    for name, shape in [("nn.Linear(6, 4).weight", [4, 6]), ("nn.Conv2d(3, 16, kernel_size=5).weight", [16, 3, 5, 5]),
                        ("nn.Conv2d(4, 6, kernel_size=(3, 5)).weight", [6, 4, 3, 5]),
                        ("nn.Conv3d(2, 5, kernel_size=(3, 1, 2)).weight", [5, 2, 3, 1, 2]),
                        ("nn.Conv1d(4, 8, kernel_size=7, groups=2).weight", [8, 2, 7])]:
        field = math.prod(shape[2:])
        expected = [shape[1] * field, shape[0] * field]
        wrong = {
            "you swapped fan_in and fan_out (the weight has shape (out, in, *kernel))":
                [shape[0] * field, shape[1] * field],
            "you left the receptive field (the kernel size) out of the fans": [shape[1], shape[0]],
            "you multiplied the receptive field into the fan-in only": [shape[1] * field, shape[0]],
        }
        if len(shape) > 2:
            square = shape[2] ** (len(shape) - 2)
            wrong["you assumed a square kernel (the first kernel size for every side); kernels can be "
                  "non-square, e.g. (3, 5)"] = [shape[1] * square, shape[0] * square]
            wrong["you used the first kernel dimension only; the receptive field is the product of all "
                  "of them"] = [shape[1] * shape[2], shape[0] * shape[2]]
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
NO_SLOPE = "you ignored the negative slope a in leaky_relu's gain (ReLU's sqrt(2))"
DEFAULT_SLOPE = ("you ignored the negative slope a: calculate_gain(nonlinearity) without a uses leaky_relu's "
                 "default slope 0.01")
NO_NONLINEARITY = "you ignored the nonlinearity argument (ReLU's gain sqrt(2) whatever the activation)"


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
        common[DEFAULT_SLOPE] = nn.init.calculate_gain("leaky_relu") / math.sqrt(fan)
    elif nonlinearity != "relu":
        common[NO_NONLINEARITY] = math.sqrt(2.0) / math.sqrt(fan)
    bounds = {STD_AS_BOUND: std, **{label: math.sqrt(3.0) * s for label, s in common.items()}}
    stds = {SQRT3_IN_STD: math.sqrt(3.0) * std, **common}
    return std, bounds, stds


def _exact_case(shape: list[int], std: float, bounds: dict[str, float], stds: dict[str, float], seed: int,
                names: tuple[str, str], inputs: dict) -> dict:
    uniform, normal = names
    right_u, right_n = _uniform(shape, math.sqrt(3.0) * std, seed), _normal(shape, std, seed)
    return {"test": "exact", "inputs": {"shape": shape, "seed": seed, **inputs}, "wrong": {
        # merged only when equal within the tests' own tolerance (leaky_relu's slope 0.01 is 5e-5 from slope 0)
        uniform: _distinct({label: _uniform(shape, b, seed) for label, b in bounds.items()}, right_u, rtol=1e-7),
        normal: _distinct({label: _normal(shape, s, seed) for label, s in stds.items()}, right_n, rtol=1e-7)}}


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
             {"a": math.sqrt(5.0), "mode": "fan_in", "nonlinearity": "leaky_relu"}),
            ("3x4, tanh, fan_in", [3, 4], {"a": 0.0, "mode": "fan_in", "nonlinearity": "tanh"}),
            ("conv 3x2x2, selu, fan_out", [3, 2, 2], {"a": 0.0, "mode": "fan_out", "nonlinearity": "selu"})]:
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


def _walk(model: nn.Sequential, x: torch.Tensor, measure,
          counted=lambda module: isinstance(module, cu.ACTIVATION_TYPES)) -> torch.Tensor:
    values, h = [], x
    for module in model:
        before, h = h, module(h)
        if counted(module):
            values.append(measure(before, h))
    return torch.stack(values)


def _layers(model: nn.Sequential) -> list:
    """The model as [[nn class name, constructor arguments], ...]: the test cell rebuilds it from that."""
    arguments = {nn.Linear: lambda m: [m.in_features, m.out_features], nn.LeakyReLU: lambda m: [m.negative_slope],
                 nn.ELU: lambda m: [m.alpha], nn.Dropout: lambda m: [m.p]}
    return [[type(m).__name__, arguments.get(type(m), lambda m: [])(m)] for m in model]


def _activation_cases() -> dict:
    models = {}
    for name, seed, (n_in, width, depth, n_out, activation), batch in [
            ("tanh MLP 6-8-8-8-8", 0, (6, 8, 4, None, "Tanh"), 5),
            ("ReLU MLP 5-7-7-7 with a Linear(7, 3) head", 1, (5, 7, 3, 3, "ReLU"), 4)]:
        torch.manual_seed(seed)
        model = cu.make_mlp(n_in, width, depth, n_out=n_out, activation=getattr(nn, activation))
        models[name] = (model, torch.randn(batch, n_in))
    torch.manual_seed(2)  # every activation type, with an Identity and a Dropout (not activations), in eval mode
    mixed = nn.Sequential(nn.Linear(5, 4), nn.LeakyReLU(0.1), nn.Linear(4, 4), nn.SiLU(), nn.Identity(),
                          nn.Linear(4, 4), nn.ELU(), nn.Dropout(0.5), nn.Linear(4, 4), nn.GELU(), nn.Linear(4, 4),
                          nn.ReLU(), nn.Linear(4, 4), nn.Sigmoid(), nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 2))
    mixed.eval()
    models["every activation type, an Identity and a Dropout, in eval mode"] = (mixed, torch.randn(4, 5))
    torch.manual_seed(3)  # float64 weights and input
    double = nn.Sequential(nn.Linear(4, 5), nn.ELU(), nn.Identity(), nn.Linear(5, 5), nn.Tanh()).double()
    models["float64 Linear-ELU-Identity-Linear-Tanh"] = (double, torch.randn(3, 4, dtype=torch.float64))
    cases = {}
    for name, (model, x) in models.items():
        right = _walk(model, x, lambda before, h: h.std())
        wrong = {
            "you measured each Linear output, before its activation": _walk(model, x, lambda before, h: before.std()),
            "you used the biased std (correction=0)": _walk(model, x, lambda before, h: h.std(correction=0)),
            "you took the std of each unit over the batch and averaged over units":
                _walk(model, x, lambda before, h: h.std(dim=0).mean()),
            "you listed activation types yourself and missed some (LeakyReLU, SiLU, ELU, GELU, Sigmoid...); "
            "cu.ACTIVATION_TYPES names them all":
                _walk(model, x, lambda before, h: h.std(), lambda m: isinstance(m, (nn.ReLU, nn.Tanh))),
            "you measured every module that is not an nn.Linear; Identity and Dropout are not activations":
                _walk(model, x, lambda before, h: h.std(), lambda m: not isinstance(m, nn.Linear)),
        }
        cases[name] = {"inputs": {"layers": _layers(model), "state": dict(model.state_dict()), "x": x,
                                  "train": model.training},
                       "wrong": _distinct(wrong, right)}
    return cases


# ----------------------------------------------------------------------------------------------------------
# The two graded predictions ("predict, then run"): the value each known mistake predicts


def _leaky_gain_squared(a: float) -> float:
    return 2.0 / (1.0 + a ** 2)


def _prediction_cases() -> dict:
    n = 100.0  # any fan_in: it cancels
    default_variance = _leaky_gain_squared(math.sqrt(5.0)) / n  # U(-b, b), b = sqrt(3) gain / sqrt(n): b^2 / 3
    kaiming_relu_variance = 2.0 / n
    right = default_variance / kaiming_relu_variance
    default_init = {
        "you expected the default to be Kaiming-ReLU: the slope a = sqrt(5) changes leaky_relu's gain": 1.0,
        "you compared standard deviations (or bounds), not variances": math.sqrt(right),
        "you took the default's bound b for its standard deviation: U(-b, b) has variance b^2 / 3":
            3.0 * default_variance / kaiming_relu_variance,
        "you left ReLU's factor 2 out of Kaiming's variance (its gain is sqrt(2))": default_variance / (1.0 / n),
        "you used a instead of a^2 in leaky_relu's gain": (2.0 / (1.0 + math.sqrt(5.0)) / n) / kaiming_relu_variance,
        "you inverted the ratio (Kaiming-ReLU's variance over the default's)": 1.0 / right,
    }
    relu_fraction = math.sqrt((math.pi - 1.0) / (2.0 * math.pi))  # std(relu(z)) / std(z) for a normal z
    right_factor = math.sqrt(0.5)
    xavier_relu = {
        "you gave the factor of the variance; the question asks for the standard deviation": 0.5,
        "you expected Xavier to keep the std constant; it assumes an activation that keeps both signs with "
        "slope 1 at 0, and ReLU does not": 1.0,
        "you gave the std of relu(z) relative to the std of z (about 0.58); that factor occurs at every layer "
        "alike, so it cancels from one layer to the next": relu_fraction,
        "you gave the change over all 30 layers, not the factor per layer": right_factor ** 29,
        "you inverted the factor (layer l over layer l + 1)": 1.0 / right_factor,
    }
    return {"ex06_predict_default_init": {"prediction": {"wrong": _distinct(default_init, right, rtol=0.02)}},
            "ex07_predict_xavier_relu": {"prediction": {"wrong": _distinct(xavier_relu, right_factor, rtol=0.02)}}}


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
            "ex04_kaiming": _kaiming_cases(), "ex05_activation_std": _activation_cases(), **_prediction_cases()}
