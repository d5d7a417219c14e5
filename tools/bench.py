"""`make bench`: execute every solution notebook in a fresh kernel and report time and peak memory.

A report, not a test: it exits 0 whatever it measures, and marks notebooks over the guide's budget
(90 s each; the 08 case study 180 s, measured on a 2-core CPU).
"""

from __future__ import annotations

import os
import platform

import torch

from tools.nbpipeline import assignments, measure


def budget_seconds(name: str) -> int:
    return 180 if name.startswith("08") else 90


def main() -> None:
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}")
    print(f"{'notebook':<32}{'seconds':>9}{'peak MiB':>10}{'budget s':>10}  status")
    for assignment in assignments():
        seconds, peak, errors = measure(assignment.solution_path)
        budget = budget_seconds(assignment.name)
        status = "ERRORS: " + "; ".join(errors) if errors else ("over budget" if seconds > budget else "ok")
        print(f"{assignment.name:<32}{seconds:>9.1f}{peak:>10.0f}{budget:>10}  {status}", flush=True)


if __name__ == "__main__":
    main()
