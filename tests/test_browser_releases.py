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
IDS = [a.name for a in ASSIGNMENTS]


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=IDS)
def test_release_first_error_is_the_first_exercise(assignment, server, lab_page):
    page = lab_page
    first_tests = next(iter(pipeline.exercises(pipeline.read(assignment.release_path)).values()))[1]
    with lab.notebook(page, *server, f"notebooks/{assignment.name}/{assignment.notebook}"):
        lab.run_all(page)
        tracebacks = lab.tracebacks(page)
        assert tracebacks, "Run All on the release raised nothing: the first exercise's test should fail"
        index, text = tracebacks[0]
        assert index == first_tests[0], (f"the first error is in cell {index}, expected the first exercise's test cell "
                                         f"{first_tests[0]}: {text[:1500]}")
        assert "NotImplementedError" in text, f"the first error should be NotImplementedError, got: {text[:1500]}"


def test_a_wrong_answer_typed_by_a_learner_shows_its_misconception(server, lab_page):
    assignment = ASSIGNMENTS[0]
    exercise, wrongs = next(iter(pipeline.load_bank(assignment).items()))
    wrong = next(w for w in wrongs if w.names)
    exercise_index = pipeline.exercises(pipeline.read(assignment.release_path))[exercise][0]
    page = lab_page
    with lab.notebook(page, *server, f"notebooks/{assignment.name}/{assignment.notebook}"):
        page.locator(".jp-Notebook .jp-Cell").nth(exercise_index).locator(".cm-content").click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.insert_text(wrong.code)  # no key events: no auto-indentation or bracket closing
        page.keyboard.press("Escape")
        lab.run_all(page)
        tracebacks = lab.tracebacks(page)
        assert tracebacks, f"the wrong answer '{wrong.label}' raised nothing in the browser"
        assert wrong.names in tracebacks[0][1], (f"the learner should read {wrong.names!r}; the page shows: "
                                                 f"{tracebacks[0][1][:1500]}")
