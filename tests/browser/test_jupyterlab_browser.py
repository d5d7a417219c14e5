"""Unit tests of the browser tests' helpers that need no browser (they run without Chromium)."""

import pytest

from tools import jupyterlab_browser as lab


def test_wait_until_returns_the_first_true_value():
    answers = iter([None, [], [2]])
    assert lab.wait_until(lambda: next(answers), timeout=5, interval=0.01, what="a redraw") == [2]


def test_wait_until_names_what_it_waited_for():
    with pytest.raises(TimeoutError, match="waited 0.05 s for JupyterLab to answer"):
        lab.wait_until(lambda: False, timeout=0.05, interval=0.01, what="JupyterLab to answer")


def test_screenshot_folder_is_shared_by_the_controller_and_the_workers(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    controller = lab.screenshot_folder(tmp_path)
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    assert lab.screenshot_folder(tmp_path / "popen-gw1") == controller == tmp_path / "screenshots"
