"""What a learner meets in the released notebooks, in a real JupyterLab through headless Chromium: the first error
of Run All is the first exercise's NotImplementedError, and a typical wrong answer typed into the page shows the
message that names its misconception. Skipped with one line saying how to install Chromium when it is missing."""

import pytest

from tools import jupyterlab_browser as lab
from tools import nbpipeline as pipeline

pytestmark = pytest.mark.slow
if lab.skip_reason():
    pytest.skip(lab.skip_reason(), allow_module_level=True)

ASSIGNMENTS = pipeline.assignments()


def check_first_error(page, assignment) -> tuple[str, int, int]:
    """Run All; the first traceback must be the first exercise's NotImplementedError, in its first test cell.
    Returns (exercise id, exercise cell, test cell)."""
    release = pipeline.read(assignment.release_path)
    exercise, (exercise_cell, test_cells) = next(iter(pipeline.exercises(release).items()))
    lab.run_all(page)
    tracebacks = lab.tracebacks(page)
    assert tracebacks, "Run All on the release raised nothing: the first exercise's test should fail"
    index, text = tracebacks[0]
    assert index == test_cells[0], (f"the first error is in cell {index}, expected the first exercise's test cell "
                                    f"{test_cells[0]}: {text[:1500]}")
    assert "NotImplementedError" in text, f"the first error should be NotImplementedError, got: {text[:1500]}"
    return exercise, exercise_cell, test_cells[0]


@pytest.mark.parametrize("assignment", ASSIGNMENTS[1:], ids=[a.name for a in ASSIGNMENTS[1:]])
def test_release_first_error_is_the_first_exercise(assignment, server, lab_page):
    with lab.notebook(lab_page, *server, f"notebooks/{assignment.name}/{assignment.notebook}"):
        check_first_error(lab_page, assignment)


def test_first_error_then_a_typed_wrong_answer_shows_its_misconception(server, lab_page):
    """The first notebook, as a learner meets it: Run All stops at exercise 1's NotImplementedError; they type a
    typical wrong answer (from the bank) into the exercise cell and run on from there; the test cell's message
    names the misconception."""
    assignment, page = ASSIGNMENTS[0], lab_page
    with lab.notebook(page, *server, f"notebooks/{assignment.name}/{assignment.notebook}"):
        exercise, exercise_cell, test_cell = check_first_error(page, assignment)
        wrong = next(w for w in pipeline.load_bank(assignment)[exercise] if w.names)
        page.locator(".jp-Notebook .jp-Cell").nth(exercise_cell).locator(".cm-content").click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.insert_text(wrong.code)  # no key events: no auto-indentation or bracket closing
        page.keyboard.press("Escape")
        lab.run_from(page, exercise_cell)
        tracebacks = lab.tracebacks(page)
        assert tracebacks and tracebacks[0][0] == test_cell, (
            f"the wrong answer '{wrong.label}' should fail in test cell {test_cell}; tracebacks: {tracebacks}")
        assert wrong.names in tracebacks[0][1], (f"the learner should read {wrong.names!r}; the page shows: "
                                                 f"{tracebacks[0][1][:1500]}")
