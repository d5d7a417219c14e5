"""Fixtures shared by the browser tests (each test module gets its own JupyterLab, browser and page), and the
line at the end of the run that says where the screenshots of the solution notebooks are."""

import os
from pathlib import Path

import pytest

from tools import jupyterlab_browser as lab


def session_folder(base: Path, name: str) -> Path:
    """A folder of this pytest run that the controller and every xdist worker agree on: a worker's base
    temporary folder is the controller's plus one level (``.../pytest-N/popen-gw0``)."""
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory):
    folder = session_folder(tmp_path_factory.getbasetemp(), "screenshots")
    folder.mkdir(exist_ok=True)
    return folder


def pytest_terminal_summary(terminalreporter, config):
    folder = session_folder(config._tmp_path_factory.getbasetemp(), "screenshots")
    if folder.is_dir():
        terminalreporter.write_line(f"screenshots of the solution notebooks in JupyterLab: {folder}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A private JupyterLab on a free loopback port serving copies of the notebooks: (base_url, token)."""
    with lab.lab_server(tmp_path_factory.mktemp("lab")) as base_and_token:
        yield base_and_token


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Debian Chromium driven by playwright, with a private home."""
    with lab.chromium(tmp_path_factory.mktemp("chromium-home")) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def lab_page(server, browser):
    """One page with JupyterLab loaded; the tests open their notebooks in it one after the other."""
    page = lab.open_lab(browser, *server)
    yield page
    page.close()
