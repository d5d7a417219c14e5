"""Driving a private JupyterLab with Debian's Chromium through playwright, for the browser tests.

Everything lives in temporary folders: copies of the notebooks, private Jupyter/IPython/Chromium settings, a
server on a free loopback port. `lab_server` and `chromium` are context managers that shut everything down.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tools import nbpipeline as pipeline

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"]
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none", "autoStartDefaultKernel": True},
}
RUN_TIMEOUT_S = 240


def skip_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if CHROMIUM is None:
        return "browser tests skipped: Chromium not found (as root: apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests skipped: the playwright package is missing (make setup installs it)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def lab_server(home: Path) -> Iterator[tuple[str, str]]:
    """A JupyterLab serving copies of solutions/ and notebooks/ from ``home``; yields (base_url, token)."""
    root = home / "work"
    shutil.copytree(pipeline.SOLUTIONS, root / "solutions")
    shutil.copytree(pipeline.RELEASES, root / "notebooks")
    settings = home / "settings"
    for name, value in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    port, token = _free_port(), os.urandom(16).hex()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_DATA_DIR": str(home / "data"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "IPYTHONDIR": str(home / "ipython"),
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={settings}",
         f"--LabApp.workspaces_dir={home / 'workspaces'}"],
        env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise RuntimeError(f"JupyterLab did not start; log:\n{(home / 'server.log').read_text()[-3000:]}") from None
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@contextmanager
def chromium(config_home: Path):
    """A headless Debian Chromium under playwright, with its settings in ``config_home``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             env={**os.environ, "XDG_CONFIG_HOME": str(config_home)})
        try:
            yield browser
        finally:
            browser.close()


def shutdown_kernels(base: str, token: str) -> None:
    for session in json.load(urllib.request.urlopen(f"{base}/api/sessions?token={token}")):
        urllib.request.urlopen(urllib.request.Request(f"{base}/api/sessions/{session['id']}?token={token}", method="DELETE"))


def open_notebook(browser, base: str, token: str, relative_path: str):
    """A new page with the notebook open, its kernel idle."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/lab/tree/{relative_path}?reset&token={token}")
    page.locator(".lm-TabBar-tab.lm-mod-current", has_text=Path(relative_path).name).wait_for(timeout=60_000)
    page.get_by_text("| Idle").first.wait_for(timeout=60_000)
    return page


def run_all(page) -> None:
    """Run > Run All Cells, then wait until no cell is queued or running (Run All stops at the first error)."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    prompts = "() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')].map(p => p.innerText)"
    deadline = time.time() + RUN_TIMEOUT_S
    while time.time() < deadline:
        texts = page.evaluate(prompts)
        if not any("*" in t for t in texts) and any(any(ch.isdigit() for ch in t) for t in texts):
            time.sleep(1.0)  # outputs may still be rendering
            if not any("*" in t for t in page.evaluate(prompts)):
                return
        time.sleep(0.5)
    raise AssertionError(f"Run All did not finish within {RUN_TIMEOUT_S} s")


def tracebacks(page) -> list[tuple[int, str]]:
    """(cell index, text) of every traceback shown, in order (one round trip to the page)."""
    return [tuple(item) for item in page.evaluate("""() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]
        .flatMap((cell, index) => [...cell.querySelectorAll(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")]
            .map(output => [index, output.innerText])
            .filter(([, text]) => text.includes('Traceback')))""")]  # tqdm's progress bars also write to stderr


def screenshot(page, path: Path) -> None:
    """A full-height screenshot of the open notebook."""
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('.jp-WindowedPanel-outer, .jp-Notebook')]"
                           ".map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 1400, "height": min(max(int(height) + 200, 1000), 30000)})
    page.evaluate("() => document.querySelectorAll('.jp-WindowedPanel-outer, .jp-Notebook').forEach(e => e.scrollTop = 0)")
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)
