"""Every solution notebook, run in a real JupyterLab through headless Chromium: no traceback, every figure
rendered, LaTeX rendered by MathJax, every interactive explorer shown as widgets and redrawn when a learner drags
its slider; a full-height screenshot of each notebook goes to the folder printed at the end of the run.
Skipped with one line saying how to install Chromium when it is missing."""

from functools import partial

import pytest

from tools import jupyterlab_browser as lab
from tools import nbpipeline as pipeline

pytestmark = pytest.mark.slow
if lab.skip_reason():
    pytest.skip(lab.skip_reason(), allow_module_level=True)

ASSIGNMENTS = pipeline.assignments()
IDS = [a.name for a in ASSIGNMENTS]
REDRAW_TIMEOUT_S = 20


def code_count(assignment, text: str) -> int:
    return sum(c.source.count(text) for c in pipeline.read(assignment.solution_path).cells if c.cell_type == "code")


def redrawn(page, before: list) -> list[int]:
    """Indices of the explorers whose picture differs from ``before``."""
    return [i for i, (old, new) in enumerate(zip(before, lab.explorer_pictures(page))) if old != new]


def check_explorers_redraw(page, count: int) -> None:
    """Drag the first slider of each explorer and wait for its picture (and no other) to change."""
    for index in range(count):
        before = lab.explorer_pictures(page)
        old_value, new_value = lab.drag_slider(page, index)
        assert new_value != old_value, f"dragging the slider of explorer {index} left its value at {old_value}"
        moved = f"explorer {index}'s slider from {old_value} to {new_value}"
        changed = lab.wait_until(partial(redrawn, page, before), REDRAW_TIMEOUT_S, 0.2,
                                 f"a redraw after moving {moved}")
        assert changed == [index], f"moving {moved} should redraw its plot only; plots redrawn: {changed}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=IDS)
def test_solution_runs_in_jupyterlab(assignment, server, lab_page, screenshots):
    page = lab_page
    with lab.notebook(page, *server, f"solutions/{assignment.name}/{assignment.notebook}"):
        lab.run_all(page)
        tracebacks = lab.tracebacks(page)
        assert not tracebacks, f"tracebacks in the solution: {tracebacks[0][1][:2000]}"
        widths = page.evaluate("() => [...document.querySelectorAll("
                               "\".jp-OutputArea-output[data-mime-type^='image/'] img\")].map(i => i.naturalWidth)")
        shows = code_count(assignment, "plt.show()")
        assert len(widths) >= shows, f"{len(widths)} images rendered, expected at least {shows} (one per plt.show())"
        assert all(w > 0 for w in widths), f"{widths.count(0)} image(s) failed to load"
        assert page.locator("mjx-container").count() > 0, "no LaTeX rendered by MathJax"
        explorers = code_count(assignment, "_explorer(")
        pictures = lab.explorer_pictures(page)
        assert len(pictures) == explorers, (f"{len(pictures)} explorers shown as widgets, expected {explorers}: "
                                            "is the ipywidgets JupyterLab extension (jupyterlab_widgets) installed?")
        assert all(width > 0 for _, _, width in pictures), "an explorer's picture failed to load"
        lab.screenshot(page, screenshots / f"{assignment.name}.png")
        check_explorers_redraw(page, explorers)
