"""`make test-gpu`: the notebooks and the device tests on CUDA, and each notebook's GPU time beside its CPU time.

Without a CUDA device it prints one line and exits 1. With one (the GPUs ``CUDA_VISIBLE_DEVICES`` leaves visible):

1. pytest runs every solution notebook under nbval, and ``tests/test_device_hygiene.py``, whose CUDA cases run only
   where CUDA is;
2. each notebook is executed once more on the GPU and once on the CPU (CUDA hidden from the kernel), timed as
   ``make bench`` times it (``tools.nbpipeline.measure``), and the two times and their ratio are printed.

It exits with pytest's status, or 1 if a timed run raised in a cell.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import torch

from tools.nbpipeline import ROOT, assignments, measure


def cuda_problem() -> str | None:
    """One line saying why this machine cannot run the GPU checks, or None when it can."""
    if torch.cuda.is_available():
        return None
    build = f"a CUDA {torch.version.cuda} build" if torch.version.cuda else "a CPU-only build"
    return (f"make test-gpu: no CUDA device here (torch {torch.__version__} is {build}); run it on a machine with "
            "an NVIDIA GPU and a CUDA build of torch (README, section GPU)")


@contextmanager
def cuda_hidden() -> Iterator[None]:
    """Kernels started inside the block see no GPU, so the notebooks choose the CPU."""
    saved = os.environ.get("CUDA_VISIBLE_DEVICES")
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    try:
        yield
    finally:
        if saved is None:
            del os.environ["CUDA_VISIBLE_DEVICES"]
        else:
            os.environ["CUDA_VISIBLE_DEVICES"] = saved


@dataclass(frozen=True)
class Timing:
    """One notebook's run times in seconds, and the errors its cells raised in either run."""

    name: str
    gpu_seconds: float
    cpu_seconds: float
    errors: tuple[str, ...] = ()


def time_notebooks(run: Callable = measure) -> list[Timing]:
    """Execute every solution notebook on the GPU, then on the CPU; ``run(path) -> (seconds, peak MiB, errors)``."""
    timings = []
    for assignment in assignments():
        gpu_seconds, _, gpu_errors = run(assignment.solution_path)
        with cuda_hidden():
            cpu_seconds, _, cpu_errors = run(assignment.solution_path)
        errors = tuple(f"GPU: {e}" for e in gpu_errors) + tuple(f"CPU: {e}" for e in cpu_errors)
        timings.append(Timing(assignment.name, gpu_seconds, cpu_seconds, errors))
        print(format_timings(timings[-1:], header=len(timings) == 1), flush=True)
    return timings


def format_timings(timings: list[Timing], header: bool = True) -> str:
    """A table: notebook, CPU seconds, GPU seconds, CPU/GPU ratio (above 1: the GPU is faster), status."""
    lines = [f"{'notebook':<32}{'CPU s':>9}{'GPU s':>9}{'CPU/GPU':>9}  status"] if header else []
    for t in timings:
        status = "ERRORS: " + "; ".join(t.errors) if t.errors else "ok"
        lines.append(f"{t.name:<32}{t.cpu_seconds:>9.1f}{t.gpu_seconds:>9.1f}{t.cpu_seconds / t.gpu_seconds:>9.2f}"
                     f"  {status}")
    return "\n".join(lines)


def main() -> int:
    problem = cuda_problem()
    if problem is not None:
        print(problem)
        return 1
    names = ", ".join(torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count()))
    print(f"make test-gpu on {names}; torch {torch.__version__}, CUDA {torch.version.cuda}", flush=True)
    status = subprocess.call([sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadfile", "--nbval-lax",
                              "--nbval-current-env", "solutions", "tests/test_device_hygiene.py"], cwd=ROOT)
    timings = time_notebooks()
    return status or (1 if any(t.errors for t in timings) else 0)


if __name__ == "__main__":
    sys.exit(main())
