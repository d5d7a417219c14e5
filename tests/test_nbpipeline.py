"""Unit tests of the grading pipeline's helpers, on small notebooks written here (nothing is executed)."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from tools import nbpipeline as pipeline

ANSWER = "def answer(x):\n    ### BEGIN SOLUTION\n    return 2 * x + 1\n    ### END SOLUTION\n"


def _cell(source, grade_id, outputs=(), **meta):
    cell = new_code_cell(source, metadata={"nbgrader": {"grade_id": grade_id, "schema_version": 3, **meta}})
    cell.outputs = list(outputs)
    return cell


@pytest.fixture
def solutions(tmp_path, monkeypatch):
    """A `solutions/` folder holding one assignment, 00_demo, whose exercise ex00_answer returns 2 * x + 1."""
    folder = tmp_path / "00_demo"
    folder.mkdir()
    nb = new_notebook(cells=[_cell(ANSWER, "ex00_answer", solution=True, grade=False, locked=False)])
    nbformat.write(nb, str(folder / "demo.ipynb"))
    monkeypatch.setattr(pipeline, "SOLUTIONS", tmp_path)


def test_edited_answer_replaces_each_old_by_its_new_without_the_markers(solutions):
    edited = pipeline.edited_answer("00_demo", "ex00_answer", "2 * x", "x", "+ 1", "- 1")
    assert edited == "def answer(x):\n    return x - 1\n"
    assert pipeline.edited_answer("00_demo", "ex00_answer") == "def answer(x):\n    return 2 * x + 1\n"


def test_edited_answer_rejects_an_old_that_does_not_occur_exactly_once(solutions):
    with pytest.raises(ValueError, match="'3 \\* x' occurs 0 times"):
        pipeline.edited_answer("00_demo", "ex00_answer", "3 * x", "x")
    with pytest.raises(ValueError, match="'x' occurs 2 times"):
        pipeline.edited_answer("00_demo", "ex00_answer", "x", "y")


def test_edited_answer_rejects_an_old_without_a_new(solutions):
    with pytest.raises(ValueError, match="ex00_answer: .* pairs; the last old, '\\+ 1', has no new"):
        pipeline.edited_answer("00_demo", "ex00_answer", "2 * x", "x", "+ 1")


def test_errors_outside_tests_names_every_raising_cell_but_the_graded_tests():
    error = new_output("error", ename="NotImplementedError", evalue="exercise 1", traceback=[])
    nb = new_notebook(cells=[
        _cell("def answer(x):\n    raise NotImplementedError", "ex00_answer", solution=True, grade=False),
        _cell("answer(1)", "test_ex00_answer", [error], solution=False, grade=True, locked=True, points=1),
        new_code_cell("print(answer(2))", outputs=[error]),  # a demo without a fallback
        new_code_cell("print('fine')", outputs=[new_output("stream", name="stdout", text="fine\n")]),
    ])
    assert pipeline.errors_outside_tests(nb) == {2: ["NotImplementedError: exercise 1"]}


def test_functions_that_call_an_exercise_name_are_known():
    source = "def _check_x():\n    return x() + helper(1)\n\n\ndef helper(v):\n    return v"
    nb = new_notebook(cells=[new_code_cell(source)])
    called = pipeline.names_called_in_sight(nb)
    assert called["_check_x"] == {"x", "helper"} and called["helper"] == set()
