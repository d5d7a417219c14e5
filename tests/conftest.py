"""Fixtures shared by the browser tests (each test module gets its own JupyterLab and browser)."""

import pytest

from tools import jupyterlab_browser as lab


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A private JupyterLab on a free loopback port serving copies of the notebooks: (base_url, token)."""
    with lab.lab_server(tmp_path_factory.mktemp("lab")) as base_and_token:
        yield base_and_token


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Debian Chromium driven by playwright, with private settings."""
    with lab.chromium(tmp_path_factory.mktemp("chromium-config")) as chromium:
        yield chromium
