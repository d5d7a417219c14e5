"""course_utils.distributed (notebook 09): launching gloo process groups that return results, report errors with
the failing rank, never hang, and run notebook functions shipped as source; torchrun through run_script."""

import runpy
import time

import pytest
import torch

from course_utils import distributed as cud


def _sum_of_ranks(rank, world_size, offset):
    tensor = torch.tensor([float(rank)])
    cud.dist.all_reduce(tensor)
    print(f"rank {rank} of {world_size}")
    return tensor.item() + offset


def _rank_one_raises(rank, world_size):
    if rank == 1:
        raise ValueError("rank one is broken")
    cud.dist.all_reduce(torch.ones(1))


def _blank(rank, world_size):
    raise NotImplementedError()


def _rank_one_never_joins(rank, world_size):
    if rank == 1:
        time.sleep(60)
    cud.dist.all_reduce(torch.ones(1))


def test_launch_runs_an_importable_function_in_every_rank(capsys):
    assert cud.launch(_sum_of_ranks, 2, (10.0,), timeout=60) == [11.0, 11.0]
    printed = capsys.readouterr().out
    assert "[rank 0] rank 0 of 2" in printed and "[rank 1] rank 1 of 2" in printed


def test_launch_ships_the_source_of_notebook_functions_and_their_helpers(tmp_path):
    cell = tmp_path / "cell.py"  # stands for a notebook cell: functions of __main__, not importable
    cell.write_text("def double(x):\n    return 2 * x\n\n\n"
                    "def worker(rank, world_size):\n    t = torch.tensor([double(rank + 1.0)])\n"
                    "    dist.all_reduce(t)\n    return t.item()\n")
    namespace = runpy.run_path(str(cell))
    worker, double = namespace["worker"], namespace["double"]
    worker.__module__ = double.__module__ = "__main__"
    assert cud._spec(worker)[0] == "source"
    assert cud.launch(worker, 2, helpers=[double], timeout=60) == [6.0, 6.0]
    with pytest.raises(cud.ProcessFailed, match="NameError: name 'double' is not defined"):
        cud.launch(worker, 2, timeout=60, show_output=False)


def test_a_failing_rank_is_named_with_its_error_and_the_others_stop():
    start = time.monotonic()
    with pytest.raises(cud.ProcessFailed, match="rank 1 raised ValueError: rank one is broken") as error:
        cud.launch(_rank_one_raises, 2, timeout=60, show_output=False)
    assert error.value.rank == 1 and error.value.kind == "ValueError"
    assert time.monotonic() - start < 30


def test_a_blank_exercise_raises_not_implemented_error():
    with pytest.raises(NotImplementedError, match="rank 0"):
        cud.launch(_blank, 2, timeout=60, show_output=False)


def test_a_rank_that_never_joins_is_killed_at_the_deadline():
    start = time.monotonic()
    with pytest.raises(cud.ProcessFailed) as error:
        cud.launch(_rank_one_never_joins, 2, timeout=6, show_output=False)
    assert error.value.kind in ("TimeoutError", "RuntimeError", "DistBackendError")
    assert time.monotonic() - start < 20


def test_function_source_needs_source_text():
    with pytest.raises(TypeError, match="expected a function or a class"):
        cud.function_source(42)
    with pytest.raises(ValueError, match="cannot be found"):
        cud.function_source(eval("lambda: 0"))


@pytest.mark.parametrize("call, error, text", [
    (lambda: cud.launch("not a function"), TypeError, "target must be function"),
    (lambda: cud.launch(_blank, 0), ValueError, "world_size must be >= 1"),
    (lambda: cud.launch(_blank, 2, timeout=0), ValueError, "timeout must be in"),
    (lambda: cud.launch(_blank, 2, args=5), TypeError, "args must be list or tuple"),
    (lambda: cud.run_script("/nonexistent/script.py"), FileNotFoundError, "no script at"),
])
def test_inputs_are_validated(call, error, text):
    with pytest.raises(error, match=text):
        call()


def test_run_script_runs_torchrun_and_reports_failures(tmp_path):
    script = tmp_path / "job.py"
    script.write_text("import torch.distributed as dist\ndist.init_process_group('gloo')\n"
                      "print('hello from', dist.get_rank())\ndist.destroy_process_group()\n")
    output = cud.run_script(script, nproc=2, timeout=90, show_output=False)
    assert "hello from 0" in output and "hello from 1" in output
    broken = tmp_path / "broken.py"
    broken.write_text("raise SystemExit(3)\n")
    with pytest.raises(cud.ProcessFailed, match="torchrun exited with code"):
        cud.run_script(broken, nproc=1, timeout=90, show_output=False)
