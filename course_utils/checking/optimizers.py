"""Train a learner's optimizer beside ``torch.optim``'s and compare the parameters after every step."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

import torch

from .._validation import check_type
from .integrity import assert_untampered as _assert_untampered
from .compare import explain_mismatch, fail
from .guard import forbid_calls


def _two_group_mlp(seed: int, dtype: torch.dtype) -> torch.nn.Sequential:
    from torch import nn

    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3)).to(dtype)


def assert_optimizer_matches(make_mine: Callable, make_reference: Callable, *, name: str, steps: int = 50,
                             resume_at: int | None = None, forbid: tuple[Callable, ...] | Mapping[str, Any] = (),
                             seed: int = 0,
                             rtol: float = 1e-6, atol: float = 1e-6) -> None:
    """Train two copies of a small MLP side by side and assert equal parameters after every step.

    The MLP (4 -> 8 -> 3, float64) is split into two parameter groups, the first layer with half the
    learning rate, so per-group hyperparameters are exercised. Each step uses a fresh random batch and the
    mean squared error, ``zero_grad -> backward -> step``.

    Args:
        make_mine / make_reference: ``f(param_groups, lr) -> optimizer``; ``param_groups`` is a list of two
            dicts (the first with its own ``"lr"``), ``lr`` the default rate (0.01).
        name: what is compared, e.g. ``"Adam(amsgrad=True)"``.
        steps: number of steps (>= 1).
        resume_at: if given, after that many steps ``mine`` is rebuilt from its ``state_dict`` on fresh
            model copies (as when resuming from a checkpoint) and training continues.
        forbid: what ``mine.step()`` must not run: functions, or the keyword arguments of
            :func:`forbid_calls` (``dict(modules=[torch.optim.adam], ops=["_fused_*"])``); the reference may.
    Raises:
        AssertionError naming the first step and parameter that differ (recorded instead inside ``check_all``).
    """
    _assert_untampered()
    check_type("name", name, str)
    if not (isinstance(steps, int) and steps >= 1):
        raise ValueError(f"steps must be an int >= 1, got {steps!r}")
    if resume_at is not None and not (isinstance(resume_at, int) and 0 < resume_at < steps):
        raise ValueError(f"resume_at must be an int in (0, steps={steps}), got {resume_at!r}")
    mine_model, reference_model = _two_group_mlp(seed, torch.float64), _two_group_mlp(seed, torch.float64)

    def groups(model: torch.nn.Module) -> list[dict]:
        return [{"params": list(model[0].parameters()), "lr": 0.005}, {"params": list(model[2].parameters())}]

    mine, reference = make_mine(groups(mine_model), 0.01), make_reference(groups(reference_model), 0.01)
    data = torch.Generator().manual_seed(seed + 1)
    for step in range(1, steps + 1):
        x = torch.randn(16, 4, generator=data, dtype=torch.float64)
        y = torch.randn(16, 3, generator=data, dtype=torch.float64)
        for model, optimizer in ((mine_model, mine), (reference_model, reference)):
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
        try:
            if forbid:
                with _guard(forbid, name):
                    mine.step()
            else:
                mine.step()
        except RuntimeError as error:
            return fail(f"{name}: step() raised {error}. Is step() decorated with @torch.no_grad()?")
        reference.step()
        for (param_name, p_mine), p_reference in zip(mine_model.named_parameters(), reference_model.parameters()):
            problem = explain_mismatch(p_mine.detach(), p_reference.detach(), rtol, atol)
            if problem is not None:
                resumed = (f", resumed from a state_dict after step {resume_at}"
                           if resume_at and step > resume_at else "")
                return fail(f"{name}: parameter {param_name!r} differs from torch.optim after step {step} "
                            f"(of {steps}{resumed}): {problem}")
        if step == resume_at:
            state = copy.deepcopy(mine.state_dict())
            resumed_model = _two_group_mlp(seed, torch.float64)
            resumed_model.load_state_dict(mine_model.state_dict())
            mine_model, mine = resumed_model, make_mine(groups(resumed_model), 0.01)
            mine.load_state_dict(state)


def _guard(forbid: tuple[Callable, ...] | Mapping[str, Any], task: str):
    if isinstance(forbid, Mapping):
        return forbid_calls(**{**forbid, "task": task})
    return forbid_calls(*forbid, task=task)
