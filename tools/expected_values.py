"""Write the stored expected values that the visible test cells compare with.

The visible tests must not show an answer, so the values a misconception produces (and any expected value
that PyTorch has no operation for) are computed here, once, from recorded inputs and seeds, and stored in
``course_utils/expected/<assignment>.json``; a notebook loads them with ``course_utils.load_expected``.
Each assignment's cases are in ``tools/expected/<assignment>.py``: a function ``cases()`` returning
``{exercise grade_id: {case name: {...}}}`` with tensors, numbers, strings and lists. Its reference code
lives only here and in the hidden tests.

    python -m tools.expected_values            # rewrite every stored file
    python -m tools.expected_values --check    # exit 1 if a stored file differs from what the cases give
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

import torch

from course_utils.checking.expected import encode

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="default: every tools/expected/NN_*.py")
    parser.add_argument("--check", action="store_true", help="compare with the stored files, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for assignment in args.assignments or assignments_with_cases():
        text, path = render(assignment), STORED / f"{assignment}.json"
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print(f"stale: {', '.join(stale)} (run python -m tools.expected_values)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
