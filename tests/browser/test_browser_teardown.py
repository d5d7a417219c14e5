"""A browser session (JupyterLab server, kernel, Chromium) tears down completely, writes nothing into the
repository or the home folder, and a second session right after the first passes the same way."""

import hashlib
from pathlib import Path

import pytest

from tools import jupyterlab_browser as lab
from tools import nbpipeline as pipeline

pytestmark = pytest.mark.slow
if lab.skip_reason():
    pytest.skip(lab.skip_reason(), allow_module_level=True)

# Where JupyterLab (settings, workspaces, server files) and Chromium (profile, caches, certificates) write by
# default; a session must leave them as they were. (Not all of ~/.jupyter: any Jupyter application, nbgrader in
# the grading tests say, may write its one-off ~/.jupyter/migrated marker meanwhile.)
HOME_FOLDERS = [".jupyter/lab", ".local/share/jupyter/runtime", ".config/chromium", ".cache/chromium", ".cache/dconf",
                ".pki"]


def snapshot() -> dict[str, str]:
    """Path -> content hash of the course notebooks and of the default Jupyter/Chromium folders in the home."""
    roots = [pipeline.SOLUTIONS, pipeline.RELEASES] + [Path.home() / folder for folder in HOME_FOLDERS]
    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest()
            for root in roots for path in sorted(root.rglob("*")) if path.is_file()}


def test_two_sessions_in_a_row_leave_nothing_behind(tmp_path):
    assignment = pipeline.assignments()[0]
    before = snapshot()
    for attempt in (1, 2):
        home = tmp_path / f"session{attempt}"
        with lab.lab_server(home / "lab") as server, lab.chromium(home / "chromium") as browser:
            lab.open_lab(browser, *server)  # JupyterLab saves its workspace and settings
            lab.start_session(*server, f"notebooks/{assignment.name}/{assignment.notebook}")
            running = lab.processes_mentioning(str(home))
            assert len(running) >= 3, f"session {attempt}: expected a server, a kernel and Chromium, found {running}"
        left = lab.processes_mentioning(str(home))
        assert not left, f"session {attempt} left processes running: {left}"
    assert snapshot() == before, "a browser session wrote into the repository's notebooks or the home folder"
