"""Process groups on one machine for the appendix (notebook 09): run a function in N CPU processes joined by
the gloo backend, collect what each returns, and never hang.

:func:`launch` starts ``world_size`` fresh Python processes (as ``torchrun`` does), joins them into one process
group and calls ``target(rank, world_size, *args)`` in each. Every wait has a deadline: connecting, each
collective (the process group's ``timeout``) and the processes themselves, which are killed when the deadline
passes or as soon as one rank fails; the process group is destroyed in every process.

A function typed in a notebook cannot be pickled into another process, so :func:`launch` sends its source
text instead (``inspect.getsource``), with the sources of the notebook functions and classes it uses
(``helpers``); each process executes them after the imports in :data:`WORKER_PRELUDE`. Functions that live in an
importable module are imported by name. Arguments and results travel through ``torch.save``/``torch.load``:
tensors, numbers, strings and lists, tuples or dicts of them.

:func:`run_script` runs a script file with ``torchrun`` (``python -m torch.distributed.run --standalone``),
under the same kind of deadline.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist

# What every worker process has imported before a notebook function's source runs in it.
WORKER_PRELUDE = """
import copy
import math
import os
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset
"""
_GRACE_S = 3.0  # how long the other ranks get to finish once one has failed
# Runs this file as a script without putting its folder first on sys.path (its data.py would shadow others).
_BOOTSTRAP = "import runpy, sys; runpy.run_path(sys.argv[1], run_name='__main__')"


class ProcessFailed(RuntimeError):
    """A worker process raised, crashed or ran past its deadline; ``rank`` says which, ``kind`` what it raised
    (``"TimeoutError"`` for a deadline, ``"crash"`` when it died without a report)."""

    def __init__(self, rank: int, kind: str, message: str) -> None:
        super().__init__(message)
        self.rank, self.kind = rank, kind


def function_source(function: Callable | type) -> str:
    """The source text of a function or class (dedented), e.g. one defined in a notebook cell."""
    if not (inspect.isfunction(function) or inspect.isclass(function)):
        raise TypeError(f"expected a function or a class, got {type(function).__name__} {function!r}")
    try:
        return textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError) as error:
        raise ValueError(f"the source of {function.__qualname__} cannot be found ({error}): define it in a "
                         "notebook cell or a file") from error


def load_functions(sources: Sequence[str], namespace: dict | None = None) -> dict:
    """Execute function and class sources after :data:`WORKER_PRELUDE`; returns the namespace they define."""
    namespace = {"__name__": "__distributed_worker__"} if namespace is None else namespace
    exec(WORKER_PRELUDE, namespace)  # noqa: S102 - the course's own imports
    for source in sources:
        exec(compile(source, "<shipped source>", "exec"), namespace)  # noqa: S102 - the notebook's own code
    return namespace


def _spec(function: Callable | type) -> tuple[str, str, str | None]:
    """("module", qualified name, None) for importable functions, ("source", name, source) for the others."""
    module = getattr(function, "__module__", None)
    if module and module != "__main__" and "<locals>" not in function.__qualname__:
        return ("module", f"{module}:{function.__qualname__}", None)
    return ("source", function.__name__, function_source(function))


def _resolve(target: tuple, helpers: list[tuple]) -> Callable:
    sources = [source for kind, _, source in [*helpers, target] if kind == "source"]
    namespace = load_functions(sources)
    kind, name, _ = target
    if kind == "source":
        return namespace[name]
    module, qualname = name.split(":")
    value: Any = importlib.import_module(module)
    for part in qualname.split("."):
        value = getattr(value, part)
    return value


def _run_worker(folder: Path, rank: int) -> None:
    """The body of one worker process: join the group, run the target, save its result or error."""
    job = torch.load(folder / "job.pt", weights_only=False)
    sys.path.extend(p for p in job["sys_path"] if p not in sys.path)  # import what the parent can import
    timeout = datetime.timedelta(seconds=job["timeout"])
    torch.set_num_threads(1)
    try:
        store = dist.TCPStore("127.0.0.1", job["port"], is_master=False, timeout=timeout)
        dist.init_process_group("gloo", store=store, rank=rank, world_size=job["world_size"], timeout=timeout)
        target = _resolve(job["target"], job["helpers"])
        report = {"ok": True, "result": target(rank, job["world_size"], *job["args"])}
    except BaseException as error:  # noqa: BLE001 - reported to the parent process
        report = {"ok": False, "kind": type(error).__name__, "message": str(error),
                  "traceback": traceback.format_exc(), "time": time.time()}
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()
    torch.save(report, folder / f"rank{rank}.part")
    os.replace(folder / f"rank{rank}.part", folder / f"rank{rank}.pt")  # complete or absent, never half-written


def _stop(processes: list[subprocess.Popen]) -> None:
    """Terminate, then kill, every process still running (each leads its own process group)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        running = [p for p in processes if p.poll() is None]
        for process in running:
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                pass
        for process in running:
            try:
                process.wait(timeout=2.0)
            except subprocess.TimeoutExpired:
                pass


def _wait(processes: list[subprocess.Popen], deadline: float) -> bool:
    """Wait until every process has exited, one has failed (others get a grace period) or the deadline passes;
    True when they all exited in time."""
    while time.monotonic() < deadline:
        codes = [p.poll() for p in processes]
        if all(code is not None for code in codes):
            return True
        if any(code not in (None, 0) for code in codes):
            deadline = min(deadline, time.monotonic() + _GRACE_S)
        time.sleep(0.02)
    return all(p.poll() is not None for p in processes)


def _child_environment() -> dict[str, str]:
    package_root = str(Path(__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in [package_root, os.environ.get("PYTHONPATH", "")] if p)
    return {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": path}


def launch(target: Callable, world_size: int = 2, args: Sequence[Any] = (), *,
           helpers: Sequence[Callable | type] = (), timeout: float = 60.0, show_output: bool = True) -> list[Any]:
    """Run ``target(rank, world_size, *args)`` in ``world_size`` processes joined by a gloo process group.

    Args:
        target: a function of a notebook (sent as source) or of an importable module (imported by name).
        world_size: number of processes (>= 1).
        args: extra arguments, the same for every rank (tensors, numbers, strings, containers of them).
        helpers: notebook functions and classes ``target`` uses, defined in each process before it.
        timeout: seconds for the whole run, and the limit of each collective; then every process is killed.
        show_output: print what each process printed, prefixed with its rank, once they have finished.
    Returns:
        the list of what ``target`` returned, indexed by rank.
    Raises:
        NotImplementedError when every failing rank raised it (an exercise left blank); otherwise
        ProcessFailed naming the first rank that failed, what it raised and its traceback.
    """
    from ._validation import check_int, check_number, check_type

    check_type("target", target, type(launch))
    check_int("world_size", world_size, 1)
    check_type("args", args, (list, tuple))
    check_number("timeout", timeout, 0.0, low_inclusive=False)
    store = dist.TCPStore("127.0.0.1", 0, None, True, timeout=datetime.timedelta(seconds=timeout),
                          wait_for_workers=False)  # the parent holds the store: port 0 lets the OS pick a free one
    with tempfile.TemporaryDirectory(prefix="course_launch_") as name:
        folder = Path(name)
        torch.save({"port": store.port, "world_size": world_size, "timeout": timeout, "args": tuple(args),
                    "target": _spec(target), "helpers": [_spec(h) for h in helpers], "sys_path": sys.path},
                   folder / "job.pt")
        processes, logs = [], []
        try:
            for rank in range(world_size):
                logs.append(open(folder / f"rank{rank}.log", "w+"))  # noqa: SIM115 - closed below
                command = [sys.executable, "-c", _BOOTSTRAP, __file__, str(folder), str(rank)]
                processes.append(subprocess.Popen(command, stdout=logs[-1], stderr=subprocess.STDOUT,
                                                  stdin=subprocess.DEVNULL, env=_child_environment(),
                                                  start_new_session=True))
            finished = _wait(processes, time.monotonic() + timeout)
        finally:
            _stop(processes)
            outputs = []
            for log in logs:
                log.seek(0)
                outputs.append(log.read())
                log.close()
            del store
        if show_output:
            for rank, output in enumerate(outputs):
                for line in output.splitlines():
                    print(f"[rank {rank}] {line}")
        reports = [torch.load(folder / f"rank{r}.pt", weights_only=False) if (folder / f"rank{r}.pt").exists()
                   else None for r in range(world_size)]
    return _results(reports, outputs, finished, timeout)


def _results(reports: list[dict | None], outputs: list[str], finished: bool, timeout: float) -> list[Any]:
    failed = [(rank, report) for rank, report in enumerate(reports) if report is None or not report["ok"]]
    if not failed:
        return [report["result"] for report in reports]
    if all(report is not None and report["kind"] == "NotImplementedError" for _, report in failed):
        rank, report = failed[0]
        raise NotImplementedError(f"rank {rank}: {report['message']}")
    raised = sorted([(rank, report) for rank, report in failed if report is not None], key=lambda f: f[1]["time"])
    rank, report = raised[0] if raised else failed[0]  # the first to raise: the others often only lost their peer
    if report is not None:
        raise ProcessFailed(rank, report["kind"], f"rank {rank} raised {report['kind']}: {report['message']}\n"
                                                  f"{report['traceback']}")
    if not finished:
        raise ProcessFailed(rank, "TimeoutError", f"rank {rank} did not finish within {timeout:g} s and was killed "
                                                  "(a collective that the other ranks never joined?)")
    raise ProcessFailed(rank, "crash", f"rank {rank} died without a report; its output:\n{outputs[rank][-2000:]}")


def run_script(path: str | os.PathLike, nproc: int = 2, args: Sequence[str] = (), *, timeout: float = 60.0,
               show_output: bool = True) -> str:
    """Run a script with ``torchrun --standalone --nproc_per_node=nproc`` (a free port is chosen for it) and
    return what it printed; raise ``ProcessFailed`` (rank -1) if it fails or runs past ``timeout`` seconds."""
    from ._validation import check_int, check_number

    check_int("nproc", nproc, 1)
    check_number("timeout", timeout, 0.0, low_inclusive=False)
    if not Path(path).is_file():
        raise FileNotFoundError(f"no script at {path}")
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={nproc}",
               str(path), *map(str, args)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               stdin=subprocess.DEVNULL, env=_child_environment(), start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop([process])
        output, _ = process.communicate()
        raise ProcessFailed(-1, "TimeoutError", f"torchrun did not finish within {timeout:g} s and was killed; "
                                                f"its output:\n{output[-2000:]}") from None
    finally:
        _stop([process])
    if show_output:
        print(output, end="")
    if process.returncode != 0:
        raise ProcessFailed(-1, "crash", f"torchrun exited with code {process.returncode}; its output:\n"
                                         f"{output[-3000:]}")
    return output


if __name__ == "__main__":  # a worker process started by launch()
    _run_worker(Path(sys.argv[2]), int(sys.argv[3]))
