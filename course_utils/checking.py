"""Helpers for the autograded test cells: compare with a reference and explain the difference.

A failing check raises ``AssertionError`` whose message says what was expected, what came, and, when the
answer equals what a known misconception would give, names that misconception.
"""

from __future__ import annotations

import copy
import inspect
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import torch

from ._validation import check_number, check_type


def _as_tensor(value: Any, name: str) -> torch.Tensor:
    if value is None:
        raise AssertionError(f"{name}: got None. Did the function forget to `return` its result?")
    if isinstance(value, torch.Tensor):
        return value.detach()
    try:
        return torch.as_tensor(value)
    except (TypeError, ValueError, RuntimeError) as error:
        raise AssertionError(f"{name}: expected a tensor or numbers, got {type(value).__name__} ({error})") from None


def explain_mismatch(actual: Any, expected: Any, rtol: float = 1e-6, atol: float = 1e-7) -> str | None:
    """Describe how ``actual`` differs from ``expected`` (shape, non-finite values, largest error).

    Returns ``None`` when they agree: ``|actual - expected| <= atol + rtol * |expected|`` everywhere.
    """
    check_number("rtol", rtol, 0.0)
    check_number("atol", atol, 0.0)
    a, e = _as_tensor(actual, "actual"), _as_tensor(expected, "expected")
    if a.shape != e.shape:
        return f"expected shape {tuple(e.shape)}, got shape {tuple(a.shape)}"
    if a.numel() == 0:
        return None
    a64, e64 = a.cpu().to(torch.float64), e.cpu().to(torch.float64)  # MPS has no float64
    if not torch.equal(a64.isfinite(), e64.isfinite()):
        bad = (a64.isfinite() != e64.isfinite()).nonzero()[0].tolist()
        return f"non-finite values differ, first at index {bad}: expected {e64[tuple(bad)].item()}, got {a64[tuple(bad)].item()}"
    if torch.allclose(a64, e64, rtol=rtol, atol=atol, equal_nan=True):
        return None
    error = (a64 - e64).abs().nan_to_num(0.0)
    index = tuple(torch.unravel_index(error.argmax(), error.shape)) if error.dim() else ()
    where = f" at index {[int(i) for i in index]}" if index else ""
    return (f"largest difference {error.max().item():.3g}{where}: expected {e64[index].item():.6g}, "
            f"got {a64[index].item():.6g} (tolerance: atol={atol:g}, rtol={rtol:g})")


def _matching_misconception(actual: Any, wrong: Mapping[str, Any] | None, rtol: float, atol: float) -> str | None:
    for label, value in (wrong or {}).items():
        if value is None:  # a misconception that does not apply to this case
            continue
        try:
            if explain_mismatch(actual, value, rtol, atol) is None:
                return label
        except AssertionError:
            continue
    return None


def assert_close(actual: Any, expected: Any, *, name: str, rtol: float = 1e-6, atol: float = 1e-7,
                 wrong: Mapping[str, Any] | None = None, hint: str | None = None) -> None:
    """Assert ``actual`` equals ``expected`` within tolerance, or explain why not.

    Args:
        actual / expected: tensors, numbers or nested lists of numbers.
        name: what is being checked, e.g. ``"xavier_uniform_(torch.empty(3, 5))"``.
        wrong: misconception label -> the value that misconception produces (``None`` where it does not
            apply to this case). When ``actual`` matches one of them, the message names it.
        hint: a sentence added to the message when no misconception matched.
    """
    check_type("name", name, str)
    problem = explain_mismatch(_as_tensor(actual, name), expected, rtol, atol)
    if problem is None:
        return
    label = _matching_misconception(actual, wrong, rtol, atol)
    advice = f" Your result matches {label}." if label else (f" {hint}" if hint else "")
    raise AssertionError(f"{name}: {problem}.{advice}")


def _same_values(actual: Any, expected: Any) -> bool:
    """Equal values, possibly of another container type: [6, 4] and (6, 4), or 2.0 and 2."""
    if isinstance(actual, (list, tuple)) and isinstance(expected, (list, tuple)):
        return list(actual) == list(expected)
    try:
        return bool(actual == expected)
    except (TypeError, RuntimeError):  # e.g. a tensor of several elements compared with an int
        return False


def assert_equal(actual: Any, expected: Any, *, name: str, wrong: Mapping[str, Any] | None = None,
                 hint: str | None = None) -> None:
    """Assert exact equality of plain values (ints, tuples, strings), naming a matching misconception."""
    check_type("name", name, str)
    if actual == expected and type(actual) is type(expected):
        return
    if _same_values(actual, expected):
        raise AssertionError(f"{name}: expected a {type(expected).__name__}, got a {type(actual).__name__} ({actual!r})")
    label = next((label for label, value in (wrong or {}).items() if actual == value), None)
    advice = f" Your result matches {label}." if label else (f" {hint}" if hint else "")
    raise AssertionError(f"{name}: expected {expected!r}, got {actual!r}.{advice}")


def _qualified_name(function: Callable) -> str:
    module = getattr(function, "__module__", None) or "torch"
    return f"{module}.{getattr(function, '__qualname__', getattr(function, '__name__', repr(function)))}"


@contextmanager
def forbid_calls(*functions: Callable, task: str = "this exercise") -> Iterator[None]:
    """Fail if the code inside the ``with`` block calls any of ``functions``, however it was imported.

    Python functions are recognised by their code object, so ``from torch.nn.init import xavier_uniform_``
    or an alias does not hide a call. Built-in (C) functions are recognised by name, so both
    ``torch.logsumexp(x)`` and ``x.logsumexp()`` count. Calls are recorded with ``sys.setprofile`` and the
    previous profiler keeps running. Raises ``AssertionError`` after the block when a forbidden call happened.
    """
    if not functions:
        raise ValueError("forbid_calls needs at least one function")
    codes: dict[Any, str] = {}
    builtin_names: dict[str, str] = {}
    for function in functions:
        if not callable(function):
            raise TypeError(f"forbid_calls takes functions, got {type(function).__name__} {function!r}")
        unwrapped = inspect.unwrap(function)
        code = getattr(unwrapped, "__code__", None)
        if code is not None:
            codes[code] = _qualified_name(unwrapped)
        else:
            builtin_names[unwrapped.__name__] = f"torch.{unwrapped.__name__}"
    called: list[str] = []
    previous = sys.getprofile()

    def profiler(frame: Any, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code in codes:
            called.append(codes[frame.f_code])
        elif event == "c_call" and getattr(arg, "__name__", None) in builtin_names:
            called.append(builtin_names[arg.__name__])
        if previous is not None:
            previous(frame, event, arg)

    sys.setprofile(profiler)
    try:
        yield
    finally:
        sys.setprofile(previous)
    if called:
        names = ", ".join(dict.fromkeys(called))
        raise AssertionError(f"{task} must be written from scratch, but it called {names}. "
                             "Use tensor operations instead of the library function you are re-implementing.")


def _two_group_mlp(seed: int, dtype: torch.dtype) -> torch.nn.Sequential:
    from torch import nn

    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3)).to(dtype)


def assert_optimizer_matches(make_mine: Callable, make_reference: Callable, *, name: str, steps: int = 50,
                             resume_at: int | None = None, forbid: tuple[Callable, ...] = (), seed: int = 0,
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
        forbid: functions that ``mine.step()`` must not call (see :func:`forbid_calls`), e.g. the
            ``torch.optim`` implementation it re-implements; the reference may call them.
    Raises:
        AssertionError naming the first step and parameter that differ.
    """
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
                with forbid_calls(*forbid, task=name):
                    mine.step()
            else:
                mine.step()
        except RuntimeError as error:
            raise AssertionError(f"{name}: step() raised {error}. Is step() decorated with @torch.no_grad()?") from None
        reference.step()
        for (param_name, p_mine), p_reference in zip(mine_model.named_parameters(), reference_model.parameters()):
            problem = explain_mismatch(p_mine.detach(), p_reference.detach(), rtol, atol)
            if problem is not None:
                raise AssertionError(f"{name}: parameter {param_name!r} differs from torch.optim after step {step} "
                                     f"(of {steps}{f', resumed from a state_dict after step {resume_at}' if resume_at and step > resume_at else ''}): {problem}.")
        if step == resume_at:
            state = copy.deepcopy(mine.state_dict())
            resumed_model = _two_group_mlp(seed, torch.float64)
            resumed_model.load_state_dict(mine_model.state_dict())
            mine_model, mine = resumed_model, make_mine(groups(resumed_model), 0.01)
            mine.load_state_dict(state)
