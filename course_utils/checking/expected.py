"""Stored expected values for the visible tests: numbers computed once by a kept script, not code.

``tools/expected_values.py`` computes them from the inputs and seeds recorded in ``tools/expected/`` and
writes ``course_utils/expected/<assignment>.json``; a visible test cell loads them with
:func:`load_expected`, so it can name a misconception without showing the code that produces it.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import torch

from .._validation import check_type
from .integrity import assert_untampered as _assert_untampered


def decode(value: Any) -> Any:
    """JSON data -> Python values, with ``{"tensor": [...], "dtype": "float64"}`` turned into a tensor."""
    if isinstance(value, dict):
        if set(value) == {"tensor", "dtype"}:
            return torch.tensor(value["tensor"], dtype=getattr(torch, value["dtype"]))
        return {key: decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode(item) for item in value]
    return value


def encode(value: Any) -> Any:
    """The inverse of :func:`decode`: tensors become ``{"tensor": nested list, "dtype": name}``."""
    if isinstance(value, torch.Tensor):
        return {"tensor": value.detach().cpu().tolist(), "dtype": str(value.dtype).removeprefix("torch.")}
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    return value


def load_expected(assignment: str) -> dict[str, Any]:
    """The stored cases of one assignment, e.g. ``load_expected("02_losses")["ex03_cross_entropy"]``.

    Returns a dict: exercise grade_id -> case name -> {"inputs": ..., "expected": ..., "wrong": {label: value}}
    (the layout each case chooses), with every stored tensor decoded to a ``torch.Tensor`` of its dtype.
    """
    _assert_untampered()
    check_type("assignment", assignment, str)
    path = resources.files("course_utils") / "expected" / f"{assignment}.json"
    if not path.is_file():
        known = sorted(p.name.removesuffix(".json") for p in (resources.files("course_utils") / "expected").iterdir()
                       if p.name.endswith(".json"))
        raise ValueError(f"no stored expected values for {assignment!r}; stored: {known}")
    data = json.loads(path.read_text())
    return decode(data["cases"])
