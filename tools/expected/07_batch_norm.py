"""Stored expected values for 07 Batch normalization (written by ``python -m tools.expected_values``).

The visible tests compare a learner's ``batch_norm`` with ``F.batch_norm`` and ``batch_norm_backward`` with
autograd; what they need from here are the recorded inputs and the values that known mistakes produce, so a
message can name the mistake without showing the code that makes it. The reference functions below (right and
wrong) live only in this file and in the notebook's hidden tests; every right value is checked against PyTorch
here, so a stored misconception differs from the right answer by exactly its mistake. The "debug this evaluation"
exercise's diagnosis is stored as a hash, so the visible test can check a letter without showing it. The two
"predict, then run" questions store only the values of wrong predictions (the right one is measured with
PyTorch after the learner's number is in, and never printed), and the module exercise stores its training
batches with the running statistics that wrong momentum=None averages give.
"""

from __future__ import annotations

import hashlib

import torch
import torch.nn.functional as F

DTYPE = torch.float64


def _channel_dims(x: torch.Tensor) -> list[int]:
    return [0] + list(range(2, x.dim()))


def _as_channel(t: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    return t.view([1, -1] + [1] * (x.dim() - 2))


def _forward(x, gamma, beta, running_mean, running_var, training, momentum, eps, *, unbiased_normalise=False,
             eps_outside=False, per_sample=False, batch_dim_only=False, eval_uses_batch=False,
             old_value_weight=False, biased_running=False, count_without_hw=False, update_in_eval=False):
    """(output, new running_mean, new running_var) of batch normalization, right or with one mistake."""
    use_batch = training or eval_uses_batch
    if per_sample:
        dims = list(range(1, x.dim()))
    elif batch_dim_only:
        dims = [0]
    else:
        dims = _channel_dims(x)
    n = x.shape[0] if count_without_hw else x.numel() // x.shape[1]
    mean = x.mean(dim=dims, keepdim=True)
    biased = ((x - mean) ** 2).mean(dim=dims, keepdim=True)
    if use_batch:
        var = biased * n / (n - 1) if unbiased_normalise else biased
    else:
        mean, var = _as_channel(running_mean, x), _as_channel(running_var, x)
    if eps_outside:
        x_hat = (x - mean) / (var.sqrt() + eps)
    else:
        x_hat = (x - mean) / (var + eps).sqrt()
    out = _as_channel(gamma, x) * x_hat + _as_channel(beta, x)
    new_mean, new_var = running_mean.clone(), running_var.clone()
    if (training or update_in_eval) and not (per_sample or batch_dim_only):
        batch_mean = x.mean(dim=_channel_dims(x))
        batch_var = ((x - _as_channel(batch_mean, x)) ** 2).mean(dim=_channel_dims(x))
        stored_var = batch_var if biased_running else batch_var * n / (n - 1)
        new_weight = 1 - momentum if old_value_weight else momentum
        new_mean = (1 - new_weight) * running_mean + new_weight * batch_mean
        new_var = (1 - new_weight) * running_var + new_weight * stored_var
    return out, new_mean, new_var


def _checked_forward(inputs: dict) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The right forward pass, checked against F.batch_norm (outputs and buffers)."""
    mine = _forward(**inputs)
    running_mean, running_var = inputs["running_mean"].clone(), inputs["running_var"].clone()
    out = F.batch_norm(inputs["x"], running_mean, running_var, inputs["gamma"], inputs["beta"],
                       inputs["training"], inputs["momentum"], inputs["eps"])
    for got, want, what in zip(mine, (out, running_mean, running_var), ("output", "running_mean", "running_var")):
        if not torch.allclose(got, want, rtol=1e-12, atol=1e-12):
            raise AssertionError(f"the reference forward pass differs from F.batch_norm in its {what}")
    return mine


def _differing(wrong: dict, right: torch.Tensor) -> dict:
    """Only the mistakes whose value differs from the right one (a mistake in dgamma leaves dx right)."""
    return {label: value for label, value in wrong.items()
            if value.shape != right.shape or not torch.allclose(value, right, rtol=1e-9, atol=1e-12)}


def _inputs(shape: tuple[int, ...], seed: int, training: bool, momentum: float = 0.1, eps: float = 1e-5) -> dict:
    g = torch.Generator().manual_seed(seed)
    channels = shape[1]
    scale = torch.rand(channels, generator=g, dtype=DTYPE) * 2 + 0.5
    shift = torch.randn(channels, generator=g, dtype=DTYPE) * 2
    x = torch.randn(shape, generator=g, dtype=DTYPE) * _as_channel(scale, torch.empty(shape)) \
        + _as_channel(shift, torch.empty(shape))
    return {"x": x, "gamma": torch.rand(channels, generator=g, dtype=DTYPE) + 0.5,
            "beta": torch.randn(channels, generator=g, dtype=DTYPE),
            "running_mean": torch.randn(channels, generator=g, dtype=DTYPE) * 0.5,
            "running_var": torch.rand(channels, generator=g, dtype=DTYPE) + 0.5,
            "training": training, "momentum": momentum, "eps": eps}


# ------------------------------------------------------------------------------- forward outputs (ex02)
_OUTPUT_MISTAKES = {
    "you normalised with the unbiased variance (divided by n - 1)":
        dict(unbiased_normalise=True),
    "you added eps outside the square root": dict(eps_outside=True),
}
_IMAGE_MISTAKES = {
    "you computed per-sample statistics over (C, H, W) instead of per-channel statistics":
        dict(per_sample=True),
    "you averaged over the batch dimension only, so every pixel got its own statistics":
        dict(batch_dim_only=True),
}
_EVAL_MISTAKES = {"in eval mode you normalised with the batch statistics": dict(eval_uses_batch=True),
                  "you added eps outside the square root": dict(eps_outside=True)}


def _output_case(inputs: dict, mistakes: dict) -> dict:
    _checked_forward(inputs)
    return {"inputs": inputs, "wrong": {label: _forward(**inputs, **flags)[0] for label, flags in mistakes.items()}}


def _output_cases() -> dict:
    return {
        "features (N, C), training": _output_case(_inputs((6, 4), 1, True), _OUTPUT_MISTAKES),
        "features (N, C), training, eps 0.25": _output_case(_inputs((6, 3), 2, True, eps=0.25), _OUTPUT_MISTAKES),
        "images (N, C, H, W), training": _output_case(_inputs((3, 2, 2, 3), 3, True),
                                                      {**_OUTPUT_MISTAKES, **_IMAGE_MISTAKES}),
        "features (N, C), eval": _output_case(_inputs((6, 3), 4, False, eps=0.1), _EVAL_MISTAKES),
        "images (N, C, H, W), eval": _output_case(_inputs((3, 2, 2, 3), 5, False, eps=0.1), _EVAL_MISTAKES),
    }


# ----------------------------------------------------------------------------- running buffers (ex02)
_RUNNING_MISTAKES = {
    "you weighted the old value by momentum (Keras's and CS231n's convention)": dict(old_value_weight=True),
    "your running variance is the biased batch variance": dict(biased_running=True),
}


def _sequence_case(shape: tuple[int, ...], seed: int, steps: int, momentum: float, mistakes: dict) -> dict:
    """Several training calls on the same buffers; the wrong values are the buffers after the last call."""
    first = _inputs(shape, seed, True, momentum)
    g = torch.Generator().manual_seed(seed + 100)
    xs = [first["x"]] + [torch.randn(shape, generator=g, dtype=DTYPE) * 1.5 + 0.7 for _ in range(steps - 1)]
    inputs = {key: value for key, value in first.items() if key != "x"} | {"xs": xs}

    def run(**flags):
        mean, var = first["running_mean"], first["running_var"]
        for x in xs:
            step = {**first, "x": x, "running_mean": mean, "running_var": var}
            if not flags:
                _checked_forward(step)
            _, mean, var = _forward(**step, **flags)
        return mean, var

    right_mean, right_var = run()
    wrong_mean = _differing({label: run(**flags)[0] for label, flags in mistakes.items()}, right_mean)
    wrong_var = _differing({label: run(**flags)[1] for label, flags in mistakes.items()}, right_var)
    unchanged = "you left the running buffers unchanged: update the tensors you were given, in place"
    wrong_mean[unchanged], wrong_var[unchanged] = first["running_mean"], first["running_var"]
    return {"inputs": inputs, "wrong_running_mean": wrong_mean, "wrong_running_var": wrong_var}


def _running_cases() -> dict:
    eval_inputs = _inputs((6, 3), 13, False)
    _checked_forward(eval_inputs)
    in_eval = _forward(**eval_inputs, update_in_eval=True)
    label = "you updated the running statistics in eval mode"
    return {
        "features, three training batches, momentum 0.1": _sequence_case((6, 3), 11, 3, 0.1, _RUNNING_MISTAKES),
        "images, one training batch, momentum 0.3": _sequence_case((3, 2, 2, 3), 12, 1, 0.3, {
            **_RUNNING_MISTAKES,
            "you counted only the batch dimension in the unbiased correction (N / (N - 1))":
                dict(count_without_hw=True)}),
        "features, eval": {"inputs": eval_inputs, "wrong_running_mean": {label: in_eval[1]},
                           "wrong_running_var": {label: in_eval[2]}},
    }


# ------------------------------------------------------------------------------------ backward (ex03)
def _backward(grad_out, x, gamma, eps, *, no_mean_terms=False, no_variance_term=False, no_mean_grad=False,
              no_gamma=False, dgamma_without_x_hat=False):
    """(dx, dgamma, dbeta) of training-mode batch normalization, right or with one mistake."""
    dims = _channel_dims(x)
    mean = x.mean(dim=dims, keepdim=True)
    invstd = 1 / (((x - mean) ** 2).mean(dim=dims, keepdim=True) + eps).sqrt()
    x_hat = (x - mean) * invstd
    g = grad_out
    mean_g = 0 if (no_mean_terms or no_mean_grad) else g.mean(dim=dims, keepdim=True)
    variance_term = 0 if (no_mean_terms or no_variance_term) else x_hat * (g * x_hat).mean(dim=dims, keepdim=True)
    scale = invstd if no_gamma else _as_channel(gamma, x) * invstd
    dx = scale * (g - mean_g - variance_term)
    dgamma = g.sum(dim=dims) if dgamma_without_x_hat else (g * x_hat).sum(dim=dims)
    return dx, dgamma, g.sum(dim=dims)


_BACKWARD_MISTAKES = {
    "you left out both mean terms, as if the batch mean and variance were constants": dict(no_mean_terms=True),
    "you left out the term from the variance (x_hat * mean(g * x_hat))": dict(no_variance_term=True),
    "you left out the mean(g) term (the batch mean depends on x)": dict(no_mean_grad=True),
    "you left gamma out of dx": dict(no_gamma=True),
    "you summed grad_out for dgamma without multiplying by x_hat": dict(dgamma_without_x_hat=True),
}


def _backward_case(shape: tuple[int, ...], seed: int, eps: float) -> dict:
    inputs = _inputs(shape, seed, True, eps=eps)
    g = torch.Generator().manual_seed(seed + 100)
    grad_out = torch.randn(shape, generator=g, dtype=DTYPE)
    with torch.enable_grad():  # tools/expected_values.py computes the cases under no_grad
        x, gamma, beta = (inputs[k].clone().requires_grad_() for k in ("x", "gamma", "beta"))
        out = F.batch_norm(x, None, None, gamma, beta, True, 0.0, eps)
        autograd = torch.autograd.grad(out, (x, gamma, beta), grad_out)
    right = _backward(grad_out, inputs["x"], inputs["gamma"], eps)
    if not all(torch.allclose(a, b, rtol=1e-10, atol=1e-12) for a, b in zip(right, autograd)):
        raise AssertionError("the reference backward pass differs from autograd")
    wrong = {label: _backward(grad_out, inputs["x"], inputs["gamma"], eps, **flags)
             for label, flags in _BACKWARD_MISTAKES.items()}
    return {"inputs": {"x": inputs["x"], "gamma": inputs["gamma"], "beta": inputs["beta"], "eps": eps,
                       "grad_out": grad_out},
            "wrong_dx": _differing({label: values[0] for label, values in wrong.items()}, right[0]),
            "wrong_dgamma": _differing({label: values[1] for label, values in wrong.items()}, right[1])}


# ------------------------------------------------------------------------- predictions (ex01, ex05)
def _running_mean_after(updates: int, batch_mean: float = 5.0, momentum: float = 0.1, *, old_weight=False,
                        no_shrink=False) -> float:
    """running_mean of a new layer after ``updates`` identical batches, right or with one mistake."""
    value = 0.0
    for _ in range(updates):
        if no_shrink:
            value += momentum * batch_mean
        elif old_weight:
            value = momentum * value + (1 - momentum) * batch_mean
        else:
            value = (1 - momentum) * value + momentum * batch_mean
    return value


def _prediction_running_mean() -> dict:
    layer = torch.nn.BatchNorm1d(1)
    for _ in range(3):
        layer(torch.tensor([[3.0], [4.0], [6.0], [7.0]]))
    if abs(layer.running_mean.item() - _running_mean_after(3)) > 1e-6:
        raise AssertionError("the reference running mean differs from nn.BatchNorm1d's")
    return {"wrong": {
        "you took (nearly) the last batch mean: no running average at all, or momentum used as the "
        "weight of the old value (Keras's convention, which gives 4.995)": 5.0,
        "you counted one update instead of three": _running_mean_after(1),
        "you counted two updates instead of three": _running_mean_after(2),
        "you added 0.1 × 5 three times without shrinking the old value": _running_mean_after(3, no_shrink=True),
    }}


def _output_of_seven(*, unbiased=False, no_division=False, by_variance=False, eps=1e-5) -> float:
    """The output for 7.0 of BatchNorm1d(1) in training mode on the batch (3.0, 7.0), right or wrong."""
    values = torch.tensor([3.0, 7.0], dtype=DTYPE)
    centred = values - values.mean()
    variance = (centred ** 2).sum() / (len(values) - 1 if unbiased else len(values))
    if no_division:
        return centred[1].item()
    scale = variance + eps if by_variance else (variance + eps).sqrt()
    return (centred[1] / scale).item()


def _prediction_batch_of_two() -> dict:
    measured = torch.nn.BatchNorm1d(1)(torch.tensor([[3.0], [7.0]]))[1, 0].item()
    if abs(measured - _output_of_seven()) > 1e-6:
        raise AssertionError("the reference output differs from nn.BatchNorm1d's")
    return {"wrong": {
        "you divided by the unbiased standard deviation (m - 1 = 1)": _output_of_seven(unbiased=True),
        "you subtracted the mean but did not divide by the standard deviation": _output_of_seven(no_division=True),
        "you divided by the variance instead of the standard deviation": _output_of_seven(by_variance=True),
        "you expected training mode to pass the value through": 7.0,
        "you expected the normalised value to be 0": 0.0,
    }}


# ------------------------------------------------------------------------------ modules, steps (ex04)
def _module_batches(shape: tuple[int, ...], seed: int, steps: int = 4) -> list[torch.Tensor]:
    """Training batches of a few significant digits (a short JSON), mean about 1, spread about 2."""
    g = torch.Generator().manual_seed(seed)
    return [torch.round((torch.randn(shape, generator=g, dtype=DTYPE) * 2 + 1) * 1000) / 1000
            for _ in range(steps)]


def _running_after(xs: list[torch.Tensor], momenta: list[float]) -> tuple[torch.Tensor, torch.Tensor]:
    """running_mean and running_var of a new layer after one training call per batch, with the given momenta."""
    channels = xs[0].shape[1]
    mean, var = torch.zeros(channels, dtype=DTYPE), torch.ones(channels, dtype=DTYPE)
    for x, m in zip(xs, momenta):
        flat = x.transpose(0, 1).reshape(channels, -1)
        n = flat.shape[1]
        batch_mean = flat.mean(1)
        unbiased = ((flat - batch_mean[:, None]) ** 2).sum(1) / (n - 1)
        mean, var = (1 - m) * mean + m * batch_mean, (1 - m) * var + m * unbiased
    return mean, var


_MODULES = {2: torch.nn.BatchNorm1d, 3: torch.nn.BatchNorm1d, 4: torch.nn.BatchNorm2d}


def _module_case(shape: tuple[int, ...], seed: int, momentum: float | None) -> dict:
    xs = _module_batches(shape, seed)
    layer = _MODULES[len(shape)](shape[1], momentum=momentum).double()
    for x in xs:
        layer(x)
    k = range(1, len(xs) + 1)
    right = _running_after(xs, [1 / i for i in k] if momentum is None else [momentum] * len(xs))
    if not all(torch.allclose(a, b, rtol=1e-12, atol=1e-12) for a, b in zip(right, (layer.running_mean,
                                                                                     layer.running_var))):
        raise AssertionError("the reference running statistics differ from PyTorch's module")
    wrong = {}
    if momentum is None:
        wrong = {
            "you ignored momentum=None (a cumulative average) and used 0.1": _running_after(xs, [0.1] * len(xs)),
            "you counted one batch too many in momentum=None's cumulative average (the initial buffers, 0 and "
            "1, were averaged in as if they were a batch)": _running_after(xs, [1 / (i + 1) for i in k]),
        }
    return {"inputs": {"xs": xs, "momentum": momentum},
            "wrong_running_mean": _differing({label: v[0] for label, v in wrong.items()}, right[0]),
            "wrong_running_var": _differing({label: v[1] for label, v in wrong.items()}, right[1])}


def _module_cases() -> dict:
    return {
        "features (8, 3), momentum 0.1": _module_case((8, 3), 31, 0.1),
        "features (8, 3), momentum None": _module_case((8, 3), 32, None),
        "sequences (2, 3, 5), momentum 0.1": _module_case((2, 3, 5), 33, 0.1),
        "images (3, 3, 3, 3), momentum None": _module_case((3, 3, 3, 3), 34, None),
    }


DIAGNOSIS = "C"  # check_pipeline ran in training mode on raw pixels: the running statistics describe them


def cases() -> dict:
    return {
        "ex01_predict_running_mean": _prediction_running_mean(),
        "ex02_batch_norm": {"outputs": _output_cases(), "running": _running_cases()},
        "ex03_batch_norm_backward": {
            "features (N, C)": _backward_case((6, 3), 21, 1e-5),
            "images (N, C, H, W)": _backward_case((2, 2, 2, 3), 22, 1e-3),
        },
        "ex04_my_batchnorm": _module_cases(),
        "ex05_predict_batch_of_two": _prediction_batch_of_two(),
        "ex06_debug_eval": {"diagnosis_sha256": hashlib.sha256(f"07_batch_norm:{DIAGNOSIS}".encode()).hexdigest()},
    }
