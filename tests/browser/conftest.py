"""Fixtures of the browser tests: each test module gets its own JupyterLab, browser and page; the screenshots of
a run go to one folder, which tests/conftest.py names at the end of the run."""

import pytest

from tools import jupyterlab_browser as lab


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory):
    folder = lab.screenshot_folder(tmp_path_factory.getbasetemp())
    folder.mkdir(exist_ok=True)
    return folder


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
