"""Write the stored expected values that the visible test cells compare with.

The visible tests must not show an answer, so the values a misconception produces (and any expected value
that PyTorch has no operation for) are computed here, once, from recorded inputs and seeds, and stored in
``course_utils/expected/<assignment>.json``; a notebook loads them with ``course_utils.load_expected``.
Each assignment's cases are in ``tools/expected/<assignment>.py``: a function ``cases()`` returning
``{exercise grade_id: {case name: {...}}}`` with tensors, numbers, strings and lists. Its reference code
lives only here and in the hidden tests.

    python -m tools.expected_values            # rewrite every stored file
    python -m tools.expected_values --check    # exit 1 if a stored file differs from what the cases give

"Differs" allows for floating-point noise: the same script on another CPU (Intel or AMD, another vector width)
rounds some float32 results differently in the last bits, so values are compared to a tolerance far below what
any test or misconception can tell apart (see :func:`differences`); everything else must be equal.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import sys
from pathlib import Path

import torch

from course_utils.checking.expected import decode, encode

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tools" / "expected"
STORED = ROOT / "course_utils" / "expected"


def assignments_with_cases() -> list[str]:
    return sorted(p.stem for p in CASES.glob("[0-9][0-9]_*.py"))


def render(assignment: str) -> str:
    """The JSON text stored for ``assignment`` (deterministic: same cases, same text)."""
    module = importlib.import_module(f"tools.expected.{assignment}")
    torch.manual_seed(0)  # every case seeds itself; this only makes a forgotten seed deterministic
    with torch.no_grad():
        cases = module.cases()
    document = {"written_by": f"python -m tools.expected_values (cases: tools/expected/{assignment}.py)",
                "cases": encode(cases)}
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


# Relative and absolute tolerance per floating dtype: a few units in the last place, accumulated over a short run.
TOLERANCE = {torch.float16: (1e-2, 1e-4), torch.bfloat16: (1e-1, 1e-3), torch.float32: (1e-4, 1e-6),
             torch.float64: (1e-10, 1e-13)}


def differences(stored: object, fresh: object, path: str = "") -> list[str]:
    """Where two decoded case trees differ beyond floating-point noise: a list of "path: what" lines."""
    if isinstance(stored, torch.Tensor) or isinstance(fresh, torch.Tensor):
        if not (isinstance(stored, torch.Tensor) and isinstance(fresh, torch.Tensor)):
            return [f"{path}: a tensor and a {type(fresh if isinstance(stored, torch.Tensor) else stored).__name__}"]
        if stored.dtype != fresh.dtype or stored.shape != fresh.shape:
            return [f"{path}: {stored.dtype}{tuple(stored.shape)} vs {fresh.dtype}{tuple(fresh.shape)}"]
        if stored.dtype in TOLERANCE:
            rtol, atol = TOLERANCE[stored.dtype]
            same = torch.allclose(stored, fresh, rtol=rtol, atol=atol, equal_nan=True)
        else:
            same = torch.equal(stored, fresh)
        return [] if same else [f"{path}: values differ"]
    if isinstance(stored, dict) and isinstance(fresh, dict):
        if stored.keys() != fresh.keys():
            return [f"{path}: keys {sorted(stored.keys() ^ fresh.keys())} in one only"]
        return [line for key in stored for line in differences(stored[key], fresh[key], f"{path}/{key}")]
    if isinstance(stored, list) and isinstance(fresh, list):
        if len(stored) != len(fresh):
            return [f"{path}: {len(stored)} vs {len(fresh)} items"]
        return [line for i, (a, b) in enumerate(zip(stored, fresh)) for line in differences(a, b, f"{path}[{i}]")]
    if isinstance(stored, float) and isinstance(fresh, float):
        return [] if math.isclose(stored, fresh, rel_tol=1e-10, abs_tol=1e-13) or stored == fresh else [
            f"{path}: {stored!r} vs {fresh!r}"]
    return [] if stored == fresh and type(stored) is type(fresh) else [f"{path}: {stored!r} vs {fresh!r}"]


def stale(assignment: str) -> list[str]:
    """How the stored file of ``assignment`` differs from what its cases compute now (empty: up to date)."""
    path = STORED / f"{assignment}.json"
    if not path.exists():
        return [f"{path.relative_to(ROOT)} is missing"]
    stored = json.loads(path.read_text())
    fresh = json.loads(render(assignment))
    return differences(decode(stored), decode(fresh)) + (
        [] if stored["written_by"] == fresh["written_by"] else ["written_by differs"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="default: every tools/expected/NN_*.py")
    parser.add_argument("--check", action="store_true", help="compare with the stored files, write nothing")
    args = parser.parse_args(argv)
    outdated = []
    for assignment in args.assignments or assignments_with_cases():
        path = STORED / f"{assignment}.json"
        if args.check:
            if stale(assignment):
                outdated.append(str(path.relative_to(ROOT)))
        else:
            path.write_text(render(assignment))
            print(f"wrote {path.relative_to(ROOT)}")
    if outdated:
        print(f"stale: {', '.join(outdated)} (run python -m tools.expected_values)", file=sys.stderr)
    return 1 if outdated else 0


if __name__ == "__main__":
    sys.exit(main())
