"""Real `nbgrader autograde` in a throw-away course: solution full marks, release and tampering zero, and the
unedited release runs to the end with only its test cells failing."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tools import nbpipeline as pipeline

pytestmark = pytest.mark.slow

ASSIGNMENTS = pipeline.assignments()


def _autograded(scores):
    """Only the test cells: written answers wait for a human."""
    return {name: score for name, score in scores.items() if name.startswith("test_")}


def check_release_runs_to_the_end(release):
    """A learner who skips every exercise still sees every demo: in the release as nbgrader executed it, only
    graded test cells raised (demos fall back to PyTorch), and the last code cell ran."""
    stray = pipeline.errors_outside_tests(release)
    first_lines = {i: release.cells[i].source.split("\n", 1)[0][:80] for i in stray}
    assert not stray, "cells other than tests raised in the unedited release:\n" + "\n".join(
        f"cell {i} ({first_lines[i]!r}): {errors}" for i, errors in stray.items())
    last = [cell for cell in release.cells if cell.cell_type == "code"][-1]
    assert last.execution_count is not None, "the release's last code cell never ran"


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=[a.name for a in ASSIGNMENTS])
def test_solution_scores_full_marks_and_release_or_tampering_zero(assignment, tmp_path):
    scores = pipeline.autograde(assignment.solution_path, {
        "solution": pipeline.filled_submission(assignment),
        "release": pipeline.read(assignment.release_path),
        "tampered": pipeline.tampered_submission(assignment),
    }, tmp_path)
    solution = _autograded(scores["solution"])
    assert solution, "no autograded cell was graded"
    lost = {name: s for name, s in solution.items() if s[0] != s[1]}
    assert not lost, f"the solution lost points on {lost}"
    for student in ("release", "tampered"):
        earned = {name: s for name, s in _autograded(scores[student]).items() if s[0] != 0}
        assert not earned, f"the {student} submission earned points on {earned}"
    check_release_runs_to_the_end(pipeline.autograded_notebook(assignment.solution_path, tmp_path, "release"))
    score, total = sum(s[0] for s in solution.values()), sum(s[1] for s in solution.values())
    print(f"{assignment.name}: solution {score:g}/{total:g}, release 0 and runs to the end, tampered 0")


def _cell(source, grade_id, **meta):
    return new_code_cell(source, metadata={"nbgrader": {"grade_id": grade_id, "schema_version": 3, "task": False,
                                                        "grade": False, "solution": False, "locked": False, **meta}})


def test_an_infinite_loop_costs_its_cell_not_the_grading_run(tmp_path):
    source = tmp_path / "source" / "00_timeout" / "timeout.ipynb"
    source.parent.mkdir(parents=True)
    nb = new_notebook(cells=[
        _cell("def answer():\n    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION", "ex00_answer",
              solution=True),
        _cell("assert answer() == 42", "test_ex00_answer", grade=True, locked=True, points=1),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, str(source))
    looping = nbformat.read(str(source), as_version=4)
    looping.cells[0].source = "while True:\n    pass"
    correct = nbformat.read(str(source), as_version=4)
    correct.cells[0].source = "def answer():\n    return 42"
    course = tmp_path / "course"
    course.mkdir()
    scores = pipeline.autograde(source, {"looping": looping, "correct": correct}, course, "--Execute.timeout=5")
    assert scores["looping"]["test_ex00_answer"] == (0.0, 1.0)
    assert scores["correct"]["test_ex00_answer"] == (1.0, 1.0)
