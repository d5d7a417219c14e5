"""Command line of the grading helpers, run from the course root (instructor.mk calls it):

    python -m tools.grading fix-names 05_schedulers       # "Copy of schedulers.ipynb" -> "schedulers.ipynb"
    python -m tools.grading needs-grading 05_schedulers   # who still waits for a manual grade
    python -m tools.grading needs-grading 05_schedulers --fail   # ... and exit 1 if anyone does

Exit status 1 when a submission lacks its notebook (fix-names) or, with --fail, when grading is unfinished.
"""

import argparse
import sys
from pathlib import Path

from tools.grading.submissions import fix_notebook_names, needing_manual_grade


def _fix_names(args) -> int:
    renamed, problems = fix_notebook_names(Path.cwd(), args.assignment)
    for line in renamed:
        print(f"renamed {line}")
    for line in problems:
        print(f"NOT GRADABLE: {line}; rename it to the released name or it is graded 0", file=sys.stderr)
    return 1 if problems else 0


def _needs_grading(args) -> int:
    waiting = needing_manual_grade(Path.cwd(), args.assignment)
    if not waiting:
        print(f"{args.assignment}: no submission waits for a manual grade")
        return 0
    print(f"{args.assignment}: {len(waiting)} submission(s) wait for a manual grade in the formgrader "
          "(feedback would show 0 for these cells):")
    for student, cells in waiting.items():
        print(f"  {student}: {', '.join(cells)}")
    return 1 if args.fail else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.grading", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fix = commands.add_parser("fix-names", help="rename copies of the released notebook in submitted/")
    fix.add_argument("assignment")
    fix.set_defaults(run=_fix_names)
    needs = commands.add_parser("needs-grading", help="list submissions that wait for a manual grade")
    needs.add_argument("assignment")
    needs.add_argument("--fail", action="store_true", help="exit 1 if any submission waits")
    needs.set_defaults(run=_needs_grading)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
