"""Every solution notebook, run in a real JupyterLab through headless Chromium: no traceback, every figure
rendered, LaTeX rendered by MathJax; a full-height screenshot of each goes to the folder printed at the start.
Skipped with one line saying how to install Chromium when it is missing."""

import pytest

from tools import jupyterlab_browser as lab
from tools import nbpipeline as pipeline

pytestmark = pytest.mark.slow
if lab.skip_reason():
    pytest.skip(lab.skip_reason(), allow_module_level=True)

ASSIGNMENTS = pipeline.assignments()
IDS = [a.name for a in ASSIGNMENTS]



@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots of every solution notebook: {folder}")
    return folder


@pytest.mark.parametrize("assignment", ASSIGNMENTS, ids=IDS)
def test_solution_runs_in_jupyterlab_with_plots_and_maths(assignment, server, browser, screenshots):
    page = lab.open_notebook(browser, *server, f"solutions/{assignment.name}/{assignment.notebook}")
    try:
        lab.run_all(page)
        tracebacks = lab.tracebacks(page)
        assert not tracebacks, f"tracebacks in the solution: {tracebacks[0][1][:2000]}"
        widths = page.evaluate("() => [...document.querySelectorAll("
                               "\".jp-OutputArea-output[data-mime-type^='image/'] img\")].map(i => i.naturalWidth)")
        cells = pipeline.read(assignment.solution_path).cells
        shows = sum(c.source.count("plt.show()") for c in cells if c.cell_type == "code")
        assert len(widths) >= shows, f"{len(widths)} images rendered, expected at least {shows} (one per plt.show())"
        assert all(w > 0 for w in widths), f"{widths.count(0)} image(s) failed to load"
        assert page.locator("mjx-container").count() > 0, "no LaTeX rendered by MathJax"
        lab.screenshot(page, screenshots / f"{assignment.name}.png")
    finally:
        page.close()
        lab.shutdown_kernels(*server)
