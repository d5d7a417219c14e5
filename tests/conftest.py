"""Fixtures shared by the unit tests, and the line at the end of a run that says where the browser tests
(tests/browser/) put their screenshots: that hook stays here because under xdist the controller, which writes the
summary, loads this conftest but not tests/browser/conftest.py when it is given the folder `tests`."""

import pytest

import course_utils as cu
from tools import jupyterlab_browser as lab


@pytest.fixture
def moons():
    """(train, test) loaders over 400 two-moons points, batches of 32."""
    return cu.make_loaders(cu.load_moons_data(n_samples=400, noise=0.1), batch_size=32)


def pytest_terminal_summary(terminalreporter, config):
    folder = lab.screenshot_folder(config._tmp_path_factory.getbasetemp())
    if folder.is_dir():
        terminalreporter.write_line(f"screenshots of the solution notebooks in JupyterLab: {folder}")
