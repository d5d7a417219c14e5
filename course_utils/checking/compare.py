"""Compare an answer with a reference and explain the difference in terms of the likely mistake.

A failing check raises ``AssertionError`` whose message says what was expected and what came, with enough
digits to see the difference, and then the most specific diagnosis available: the misconception whose value
the answer equals, a constant factor between answer and reference, or a float32-sized difference.
Inside :func:`check_all` the failures are collected and reported together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import torch

from .._validation import check_number, check_type
from .integrity import assert_untampered as _assert_untampered

_COLLECTORS: list[list[str]] = []
# Relative differences up to this size come from float32 rounding (eps = 1.2e-7, accumulated over a few
# dozen operations), not from a wrong formula.
FLOAT32_LEVEL = 2e-5
FLOAT32_EPS = torch.finfo(torch.float32).eps


def _as_tensor(value: Any, name: str) -> torch.Tensor:
    if value is None:
        raise AssertionError(f"{name}: got None. Did the function forget to `return` its result?")
    if isinstance(value, torch.Tensor):
        if type(value) not in (torch.Tensor, torch.nn.Parameter):  # a subclass could compute its value later
            raise AssertionError(f"{name}: expected a plain torch.Tensor, got a {type(value).__name__} "
                                 "(a subclass of torch.Tensor)")
        return value.detach()
    try:
        values = torch.as_tensor(value)
        # Python floats become float64, not torch's default float32, so that no digit is lost
        return torch.as_tensor(value, dtype=torch.float64) if values.is_floating_point() else values
    except (TypeError, ValueError, RuntimeError) as error:
        raise AssertionError(f"{name}: expected a tensor or numbers, got {type(value).__name__} ({error})") from None


def format_pair(expected: float, actual: float) -> tuple[str, str]:
    """Both numbers with the fewest significant digits (6 to 17) that show they differ."""
    for digits in range(6, 18):
        e, a = f"{expected:.{digits}g}", f"{actual:.{digits}g}"
        if e != a:
            return e, a
    return repr(expected), repr(actual)


def _constant_ratio(a: torch.Tensor, e: torch.Tensor, atol: float) -> float | None:
    """The factor r with a = r e everywhere (at least two elements with e != 0), else None."""
    mask = e.abs() > max(atol, 1e-300)
    if mask.sum() < 2 or not torch.equal(a[~mask].abs() <= atol, torch.ones_like(a[~mask], dtype=torch.bool)):
        return None
    ratios = a[mask] / e[mask]
    ratio = ratios.mean().item()
    constant = torch.allclose(ratios, torch.full_like(ratios, ratio), rtol=1e-6, atol=1e-12)
    if abs(ratio - 1) < 1e-6 or abs(ratio) < 1e-12 or not constant:
        return None
    return ratio


def _at_float32_level(a: torch.Tensor, e: torch.Tensor) -> bool:
    """Whether the differences are what float32 rounding makes: judged relative to the values' scale (an
    element near 0 must not hide it) or element by element over the elements not tiny against that scale (values
    that span orders of magnitude, like a decaying trajectory, must not hide it either)."""
    scale = e.abs().max().item() if e.numel() else 0.0
    if scale == 0:
        return False
    error = (a - e).abs()
    relative_to_scale = error.max().item() / scale
    sizable = e.abs() >= 1e-3 * scale
    relative_each = (error[sizable] / e[sizable].abs()).max().item()
    return any(FLOAT32_EPS / 4 <= r <= FLOAT32_LEVEL for r in (relative_to_scale, relative_each))


def _diagnosis(a: torch.Tensor, e: torch.Tensor, atol: float, actual_dtype: torch.dtype) -> str:
    """A sentence on the kind of difference: a constant factor, or float32 rounding."""
    ratio = _constant_ratio(a, e, atol)
    if ratio is not None:
        if abs(ratio + 1) < 1e-6:
            return " Every value has the opposite sign of the expected one: check the sign."
        return (f" Every value is {format_pair(1.0, ratio)[1]} times the expected one: a constant factor is off "
                "(a gain, a bound, a scale or a normalising constant).")
    if _at_float32_level(a, e):
        if actual_dtype == torch.float32:
            return (" The differences are float32 rounding, and your result is float32: float32 arithmetic; "
                    "work in float64.")
        return (" The differences are the size of float32 rounding: if any step "
                "runs in float32 (a tensor made without dtype=torch.float64, torch.tensor(0.9)), that is float32 "
                "arithmetic; work in float64. If none does, a small term is off.")
    return ""


def explain_mismatch(actual: Any, expected: Any, rtol: float = 1e-6, atol: float = 1e-7,
                     diagnose: bool = True) -> str | None:
    """Describe how ``actual`` differs from ``expected``: shape, non-finite values, largest error and, with
    ``diagnose``, the kind of difference (a constant factor, float32 rounding).

    Returns ``None`` when they agree: ``|actual - expected| <= atol + rtol * |expected|`` everywhere.
    """
    check_number("rtol", rtol, 0.0)
    check_number("atol", atol, 0.0)
    a, e = _as_tensor(actual, "actual"), _as_tensor(expected, "expected")
    if a.shape != e.shape:
        return f"expected shape {tuple(e.shape)}, got shape {tuple(a.shape)}."
    if a.numel() == 0:
        return None
    a64, e64 = a.cpu().to(torch.float64), e.cpu().to(torch.float64)  # MPS has no float64
    same_non_finite = (a64 == e64) | (a64.isnan() & e64.isnan())  # inf, -inf and nan where expected
    differs = (a64.isfinite() != e64.isfinite()) | (~e64.isfinite() & ~same_non_finite)
    if differs.any():
        bad = tuple(differs.nonzero()[0].tolist())
        where = f", first at index {list(bad)}" if bad else ""
        return f"non-finite values differ{where}: expected {e64[bad].item()}, got {a64[bad].item()}."
    if torch.allclose(a64, e64, rtol=rtol, atol=atol, equal_nan=True):
        return None
    finite = e64.isfinite()
    error = torch.where(finite, (a64 - e64).abs(), torch.zeros_like(a64))
    index = tuple(torch.unravel_index(error.argmax(), error.shape)) if error.dim() else ()
    where = f" at index {[int(i) for i in index]}" if index else ""
    shown_e, shown_a = format_pair(e64[index].item(), a64[index].item())
    return (f"largest difference {error.max().item():.3g}{where}: expected {shown_e}, got {shown_a} "
            f"(tolerance: atol={atol:g}, rtol={rtol:g})."
            f"{_diagnosis(a64[finite], e64[finite], atol, a.dtype) if diagnose else ''}")


def _matching_misconception(actual: Any, wrong: Mapping[str, Any] | None, rtol: float, atol: float) -> str | None:
    for label, value in (wrong or {}).items():
        if value is None:  # a misconception that does not apply to this case
            continue
        try:
            if explain_mismatch(actual, value, rtol, atol, diagnose=False) is None:
                return label
        except AssertionError:
            continue
    return None


def fail(message: str) -> None:
    """Report a failed check: raise ``AssertionError``, or record it inside :func:`check_all`."""
    if _COLLECTORS:
        _COLLECTORS[-1].append(message)
    else:
        raise AssertionError(message)


def expect(condition: bool, message: str) -> None:
    """Report ``message`` as a failed check unless ``condition`` holds (collected inside :func:`check_all`)."""
    if not condition:
        fail(message)


@contextmanager
def check_all(title: str) -> Iterator[None]:
    """Run several checks and report every one that fails in one message, not only the first.

    ``assert_close``, ``assert_equal``, ``assert_raises`` and ``expect`` inside the block record their failure
    and carry on; an ``AssertionError`` raised otherwise ends the block and joins the report, as does any other
    exception once a failure was recorded (before that, it passes through unchanged).
    """
    check_type("title", title, str)
    _assert_untampered()
    failures: list[str] = []
    _COLLECTORS.append(failures)
    try:
        yield
    except AssertionError as error:
        failures.append(str(error))
    except Exception as error:
        if not failures:  # e.g. a NotImplementedError of a blank answer: show it as it is
            raise
        failures.append(f"then it raised {type(error).__name__}: {error}")
    finally:
        _COLLECTORS.remove(failures)
    if len(failures) == 1:
        raise AssertionError(failures[0])
    if failures:
        listed = "\n".join(f"  {i}. {failure}" for i, failure in enumerate(failures, start=1))
        raise AssertionError(f"{title}: {len(failures)} checks failed.\n{listed}")


def assert_close(actual: Any, expected: Any, *, name: str, rtol: float = 1e-6, atol: float = 1e-7,
                 wrong: Mapping[str, Any] | None = None, hint: str | None = None) -> None:
    """Assert ``actual`` equals ``expected`` within tolerance, or explain why not.

    Args:
        actual / expected: tensors, numbers or nested lists of numbers.
        name: what is being checked, e.g. ``"xavier_uniform_(torch.empty(3, 5))"``.
        wrong: misconception -> the value it produces (``None`` where it does not apply to this case). The
            label states the learner's mistake ("the bias correction left out"), never the right formula.
        hint: a sentence added to the message when no misconception matched.
    """
    _assert_untampered()
    check_type("name", name, str)
    try:
        problem = explain_mismatch(_as_tensor(actual, name), expected, rtol, atol, diagnose=False)
    except AssertionError as error:
        return fail(str(error))
    if problem is None:
        return None
    label = _matching_misconception(actual, wrong, rtol, atol)
    if not label:  # the named mistake says more than a diagnosis of the numbers
        problem = explain_mismatch(actual, expected, rtol, atol)
    advice = f" Your result matches a known mistake: {label}." if label else (f" {hint}" if hint else "")
    return fail(f"{name}: {problem}{advice}")


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
    _assert_untampered()
    check_type("name", name, str)
    if actual == expected and type(actual) is type(expected):
        return None
    if _same_values(actual, expected):
        return fail(f"{name}: expected a {type(expected).__name__}, got a {type(actual).__name__} ({actual!r})")
    label = next((label for label, value in (wrong or {}).items() if _same_values(actual, value)), None)
    advice = f" Your result matches a known mistake: {label}." if label else (f" {hint}" if hint else "")
    return fail(f"{name}: expected {expected!r}, got {actual!r}.{advice}")


def assert_raises(call: Callable[[], Any], exception: type[BaseException], *, name: str, why: str) -> None:
    """Assert that ``call()`` raises ``exception``; ``why`` says what is wrong with the input."""
    _assert_untampered()
    check_type("name", name, str)
    try:
        call()
    except exception:
        return None
    except Exception as error:  # noqa: BLE001 - reported to the learner
        return fail(f"{name}: expected {exception.__name__} ({why}), got {type(error).__name__}: {error}")
    return fail(f"{name}: expected {exception.__name__} ({why}), but nothing was raised")
