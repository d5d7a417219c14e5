"""Detects an answer that replaced the checking helpers (``course_utils.assert_close = lambda *a, **k: None``).

Every checking helper calls :func:`assert_untampered` first, so a test cell that still reaches one genuine
helper reports the replacement of any of them: in ``course_utils``, in ``course_utils.checking``, in
``sys.modules``, or under the names the notebook imported (``from course_utils import assert_close``).
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable

_GENUINE: dict[str, Callable] = {}
_CODES: dict[str, object] = {}  # the genuine helpers' code objects: swapping a __code__ keeps the identity
_PACKAGES = ("course_utils", "course_utils.checking", "course_utils.checking.compare", "course_utils.checking.guard",
             "course_utils.checking.expected", "course_utils.checking.optimizers")


def register(*helpers: Callable) -> None:
    """Record the genuine checking helpers (called once, when ``course_utils.checking`` is imported)."""
    for helper in helpers:
        _GENUINE[helper.__name__] = helper
        _CODES[helper.__name__] = inspect.unwrap(helper).__code__


def _replaced() -> list[str]:
    replaced = []
    modules = {name: sys.modules.get(name) for name in _PACKAGES}
    for name, genuine in _GENUINE.items():
        for package, module in modules.items():
            if module is not None and getattr(module, name, genuine) is not genuine:
                replaced.append(f"{package}.{name}")
    if len(_GENUINE) != len(_CODES):
        replaced.append("the register of genuine helpers")
    replaced += [f"the code of {name}" for name, genuine in _GENUINE.items()
                 if inspect.unwrap(genuine).__code__ is not _CODES.get(name)]
    notebook = getattr(sys.modules.get("__main__"), "__dict__", {})
    for name, genuine in _GENUINE.items():
        value = notebook.get(name)
        if value is not None and value is not genuine:
            replaced.append(f"the notebook's {name}")
    alias = notebook.get("cu")
    if alias is not None and alias is not modules["course_utils"]:
        replaced.append("the notebook's cu")
    return list(dict.fromkeys(replaced))


def assert_untampered() -> None:
    """Raise ``AssertionError`` naming every checking helper that is not the genuine one any more."""
    replaced = _replaced()
    if replaced:
        raise AssertionError(f"the checking helpers were replaced ({', '.join(replaced)}). An answer must not "
                             "patch course_utils: restart the kernel, remove that code and run the cells again.")


def restore(namespace: dict) -> None:
    """Put the genuine helpers back in ``course_utils``, ``course_utils.checking`` and ``namespace`` (the
    notebook's globals, for the names it imported). Used by the wrong-answer harness between trials."""
    for name, genuine in _GENUINE.items():
        for package in _PACKAGES:
            module = sys.modules.get(package)
            if module is not None and hasattr(module, name):
                setattr(module, name, genuine)
        if name in namespace:
            namespace[name] = genuine
    if getattr(namespace.get("cu"), "__name__", None) == "course_utils":
        namespace["cu"] = sys.modules["course_utils"]
