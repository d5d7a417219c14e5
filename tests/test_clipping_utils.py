"""The course_utils helpers notebook 06 (gradient clipping) added: grad_norms and GradNormLog (stats.py),
train_step and StepResult (training.py), make_adding_problem (data.py)."""

import math

import pytest
import torch
from torch import nn

import course_utils as cu


def _model_with_grads(seed=0):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    nn.functional.mse_loss(model(torch.randn(5, 3)), torch.randn(5, 2)).backward()
    return model


# ----------------------------------------------------------------------------------------- grad_norms
def test_grad_norms_match_torch_per_parameter_and_skip_missing_gradients():
    model = _model_with_grads()
    model[2].bias.grad = None
    norms = cu.grad_norms(model)
    assert list(norms) == ["0.weight", "0.bias", "2.weight"]
    for name, p in model.named_parameters():
        if p.grad is not None:
            assert norms[name] == pytest.approx(torch.linalg.vector_norm(p.grad).item(), rel=1e-12)
    assert cu.grad_norms(model, math.inf)["0.weight"] == pytest.approx(model[0].weight.grad.abs().max().item())


def test_grad_norms_report_non_finite_gradients():
    model = _model_with_grads()
    model[0].weight.grad[0, 0] = math.nan
    assert math.isnan(cu.grad_norms(model)["0.weight"])


@pytest.mark.parametrize("call, error, text", [
    (lambda m: cu.grad_norms("model"), TypeError, "model must be Module, got str"),
    (lambda m: cu.grad_norms(m, 0.0), ValueError, "norm_type must be in (0.0, None]"),
    (lambda m: cu.GradNormLog(m, norm_type="2"), TypeError, "norm_type must be a number"),
    (lambda m: cu.GradNormLog(nn.ReLU()), ValueError, "model has no parameters"),
])
def test_grad_norm_helpers_explain_bad_input(call, error, text):
    with pytest.raises(error, match=text.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        call(_model_with_grads())


# ---------------------------------------------------------------------------------------- GradNormLog
def test_grad_norm_log_records_per_parameter_and_global_norms():
    model = _model_with_grads()
    log = cu.GradNormLog(model)
    total = log.record()
    expected = nn.utils.clip_grad_norm_(model.parameters(), math.inf).item()
    assert total == pytest.approx(expected, rel=1e-6) and log.total == [total]  # float64 vs float32 sums
    model[2].bias.grad = None  # a parameter without gradient at the second step
    log.record()
    assert len(log) == 2 and math.isnan(log.per_parameter["2.bias"][1])
    table = log.as_tensor()
    assert table.shape == (2, 4) and table.dtype == torch.float64
    assert table[0, 0].item() == log.per_parameter["0.weight"][0]
    assert "steps=2" in repr(log)


def test_grad_norm_log_records_before_every_optimizer_step():
    model = _model_with_grads()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    log = cu.GradNormLog(model)
    optimizer.register_step_pre_hook(lambda *_: log.record() and None)
    for _ in range(3):
        optimizer.step()
    assert len(log) == 3


# ----------------------------------------------------------------------------------------- train_step
def _regression(seed=0):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(16, 3, generator=generator)
    return x, x @ torch.tensor([[1.0], [-2.0], [0.5]]) * 100  # large targets: large gradients


def test_train_step_clips_like_clip_grad_norm_and_reports_the_norm_before():
    x, y = _regression()
    torch.manual_seed(0)
    mine, reference = nn.Linear(3, 1), nn.Linear(3, 1)
    reference.load_state_dict(mine.state_dict())
    result = cu.train_step(mine, nn.functional.mse_loss, x, y, torch.optim.SGD(mine.parameters(), lr=0.1),
                           max_norm=1.0)
    optimizer = torch.optim.SGD(reference.parameters(), lr=0.1)
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(reference(x), y)
    loss.backward()
    norm = nn.utils.clip_grad_norm_(reference.parameters(), 1.0)
    optimizer.step()
    assert result.loss == pytest.approx(loss.item()) and result.grad_norm == pytest.approx(norm.item())
    assert result.clipped and not result.skipped and result.grad_norm > 1.0
    for p, q in zip(mine.parameters(), reference.parameters()):
        assert torch.allclose(p, q)


def test_train_step_without_max_norm_measures_and_does_not_clip():
    x, y = _regression()
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    before = [p.detach().clone() for p in model.parameters()]
    result = cu.train_step(model, nn.functional.mse_loss, x, y, torch.optim.SGD(model.parameters(), lr=1e-3))
    grads = [p.grad for p in model.parameters()]
    assert result.grad_norm == pytest.approx(torch.cat([g.flatten() for g in grads]).norm().item())
    assert not result.clipped
    moved = torch.cat([(p.detach() - b).flatten() for p, b in zip(model.parameters(), before)]).norm()
    assert moved.item() == pytest.approx(1e-3 * result.grad_norm, rel=1e-5)  # no clipping happened


def test_train_step_uses_the_given_clip_function():
    x, y = _regression()
    model = nn.Linear(3, 1)
    calls = []

    def clip(parameters, max_norm, norm_type):
        calls.append((len(parameters), max_norm, norm_type))
        return torch.tensor(7.0)

    result = cu.train_step(model, nn.functional.mse_loss, x, y, torch.optim.SGD(model.parameters(), lr=0.1),
                           max_norm=2.0, norm_type=1.0, clip_fn=clip)
    assert calls == [(2, 2.0, 1.0)] and result.grad_norm == 7.0 and result.clipped


@pytest.mark.parametrize("skip", [True, False])
def test_train_step_skips_non_finite_steps(skip):
    x, y = _regression()
    x[0, 0] = math.inf
    model = nn.Linear(3, 1)
    before = [p.detach().clone() for p in model.parameters()]
    result = cu.train_step(model, nn.functional.mse_loss, x, y, torch.optim.SGD(model.parameters(), lr=0.1),
                           max_norm=1.0, skip_nonfinite=skip)
    assert not math.isfinite(result.grad_norm) and result.skipped is skip
    unchanged = all(torch.equal(p, b) for p, b in zip(model.parameters(), before))
    assert unchanged is skip
    if skip:
        assert all(p.grad is None or not p.grad.any() for p in model.parameters())


@pytest.mark.parametrize("kwargs, error, text", [
    (dict(max_norm=0.0), ValueError, "max_norm must be in"),
    (dict(max_norm="1"), TypeError, "max_norm must be a number"),
    (dict(skip_nonfinite=1), TypeError, "skip_nonfinite must be bool"),
    (dict(clip_fn="clip"), TypeError, "clip_fn must be callable"),
    (dict(norm_type=-1.0), ValueError, "norm_type must be in"),
])
def test_train_step_explains_bad_input(kwargs, error, text):
    x, y = _regression()
    model = nn.Linear(3, 1)
    with pytest.raises(error, match=text):
        cu.train_step(model, nn.functional.mse_loss, x, y, torch.optim.SGD(model.parameters(), lr=0.1), **kwargs)


def test_train_step_checks_model_and_optimizer():
    x, y = _regression()
    with pytest.raises(TypeError, match="optimizer must be Optimizer"):
        cu.train_step(nn.Linear(3, 1), nn.functional.mse_loss, x, y, "sgd")


# ------------------------------------------------------------------------------------ adding problem
def test_adding_problem_has_two_markers_one_per_half_and_the_sum_as_target():
    x, y = cu.make_adding_problem(500, seq_len=20, seed=3)
    assert x.shape == (500, 20, 2) and y.shape == (500,) and x.dtype == y.dtype == torch.float32
    markers = x[..., 1]
    assert torch.equal(markers.sum(dim=1), torch.full((500,), 2.0))
    assert torch.equal(markers[:, :10].sum(dim=1), torch.ones(500))
    assert torch.allclose(y, (x[..., 0] * markers).sum(dim=1))
    assert ((x[..., 0] >= 0) & (x[..., 0] < 1)).all()
    assert abs(y.mean().item() - 1.0) < 0.05 and abs(y.var().item() - 1 / 6) < 0.02


def test_adding_problem_is_reproducible_and_seeded():
    a, b, c = (cu.make_adding_problem(8, 10, seed=s) for s in (1, 1, 2))
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1]) and not torch.equal(a[0], c[0])


@pytest.mark.parametrize("kwargs, error, text", [
    (dict(n_samples=0), ValueError, "n_samples must be >= 1"),
    (dict(n_samples=4, seq_len=1), ValueError, "seq_len must be >= 2"),
    (dict(n_samples=4, seed=-1), ValueError, "seed must be >= 0"),
    (dict(n_samples=4.0), TypeError, "n_samples must be an int"),
])
def test_adding_problem_explains_bad_input(kwargs, error, text):
    with pytest.raises(error, match=text):
        cu.make_adding_problem(**kwargs)
