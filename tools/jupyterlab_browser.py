"""Driving a private JupyterLab with Debian's Chromium through playwright, for the browser tests.

Everything lives in temporary folders: copies of the notebooks, private Jupyter/IPython/Chromium settings, a
server on a free loopback port. `lab_server` and `chromium` are context managers that shut everything down.
JupyterLab is loaded once per page (`open_lab`, about 3 s) and notebooks are opened in it one after the other
(`notebook`, about 2.5 s with the kernel start).
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from tools import nbpipeline as pipeline

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"]
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none",
                                                                   "autoStartDefaultKernel": True},
}
# A learner's JupyterLab has no nbgrader (an instructor tool): its extensions are switched off, which also
# makes JupyterLab load faster.
NBGRADER_SERVER_EXTENSIONS = ["formgrader", "validate_assignment", "assignment_list", "course_list"]
DISABLED_LAB_EXTENSIONS = ["@jupyter/nbgrader"]
RUN_TIMEOUT_S = 240
T = TypeVar("T")


def skip_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if CHROMIUM is None:
        return "browser tests skipped: Chromium not found (as root: apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests skipped: the playwright package is missing (make setup installs it)"
    return None


def wait_until(predicate: Callable[[], T], timeout: float, interval: float, what: str) -> T:
    """Call ``predicate`` every ``interval`` seconds until it returns something true, and return that.

    Raises TimeoutError naming ``what`` (e.g. "JupyterLab to answer") when ``timeout`` seconds pass first.
    """
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:g} s for {what}")
        time.sleep(interval)
    return result


def screenshot_folder(base_temp: Path) -> Path:
    """The screenshot folder of a pytest run, the same in the controller and in every xdist worker: a worker's
    base temporary folder is the controller's plus one level (``.../pytest-N/popen-gw0``)."""
    return (base_temp.parent if os.environ.get("PYTEST_XDIST_WORKER") else base_temp) / "screenshots"


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
    config = home / "config"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": dict.fromkeys(DISABLED_LAB_EXTENSIONS, True)}))
    (config / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {"jpserver_extensions": {
        f"nbgrader.server_extensions.{name}": False for name in NBGRADER_SERVER_EXTENSIONS}}}))
    port, token = _free_port(), os.urandom(16).hex()
    # HOME too: whatever falls back to the home folder (matplotlib's cache, say) stays in the temporary one.
    env = {**os.environ, "HOME": str(home / "home"), "JUPYTER_CONFIG_DIR": str(config),
           "JUPYTER_DATA_DIR": str(home / "data"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "IPYTHONDIR": str(home / "ipython"),
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={home / 'workspaces'}"],
        env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        if server.poll() is not None:
            raise RuntimeError("JupyterLab exited at start")
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
        except OSError:
            return False
        return True

    try:
        try:
            wait_until(answers, 60, 0.5, "JupyterLab to answer")
        except (RuntimeError, TimeoutError) as error:
            raise RuntimeError(f"{error}; log:\n{(home / 'server.log').read_text()[-3000:]}") from None
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@contextmanager
def chromium(home: Path):
    """A headless Debian Chromium under playwright whose home, settings and caches are in ``home``
    (without that it writes ~/.cache/dconf and ~/.config/chromium); its profile is a temporary folder of
    playwright's."""
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_CACHE_HOME": str(home / ".cache")}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
        try:
            yield browser
        finally:
            browser.close()


def shutdown_kernels(base: str, token: str) -> None:
    for session in json.load(urllib.request.urlopen(f"{base}/api/sessions?token={token}")):
        url = f"{base}/api/sessions/{session['id']}?token={token}"
        urllib.request.urlopen(urllib.request.Request(url, method="DELETE"))


def start_session(base: str, token: str, path: str) -> None:
    """What opening a notebook does on the server: a session with a running kernel."""
    body = json.dumps({"path": path, "type": "notebook", "kernel": {"name": "python3"}}).encode()
    request = urllib.request.Request(f"{base}/api/sessions?token={token}", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=60)


def open_lab(browser, base: str, token: str):
    """A new page with JupyterLab loaded and no notebook open (a fresh workspace)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/lab?reset&token={token}")
    page.locator(".lm-MenuBar-itemLabel", has_text="File").first.wait_for(timeout=60_000)
    return page


def _menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


@contextmanager
def notebook(page, base: str, token: str, relative_path: str) -> Iterator[None]:
    """Open a notebook in the loaded JupyterLab (File > Open from Path) and wait for its kernel to be idle;
    afterwards close it without saving and shut its kernel down, so that one notebook is in the page at a time."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    _menu(page, "File", "Open from Path")
    page.locator(".jp-Dialog input").fill(relative_path)
    page.keyboard.press("Enter")
    page.locator(".lm-TabBar-tab.lm-mod-current", has_text=Path(relative_path).name).wait_for(timeout=60_000)
    page.get_by_text("| Idle").first.wait_for(timeout=60_000)
    try:
        yield
    finally:
        page.keyboard.press("Escape")  # leave a cell editor or a dialog
        _menu(page, "File", "Close Tab")
        try:  # the tab is marked modified as soon as the kernel connects
            page.locator(".jp-Dialog button", has_text="Discard").click(timeout=2_000)
        except PlaywrightTimeoutError:
            pass
        page.locator(".jp-Notebook").wait_for(state="detached", timeout=20_000)
        shutdown_kernels(base, token)


PROMPTS = ("() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]"
           ".map(c => c.querySelector('.jp-InputArea-prompt')?.innerText ?? '')")


def run_all(page) -> None:
    """Run > Run All Cells, then wait until no cell is queued or running (Run All stops at the first error)."""
    _run(page, "Run All Cells")


def run_from(page, cell: int) -> None:
    """Select a cell and Run > Run Selected Cell and All Below (stops at the first error), then wait."""
    page.locator(".jp-Notebook .jp-Cell").nth(cell).locator(".jp-InputArea-prompt").click()
    _run(page, "Run Selected Cell and All Below", cell)


def _run(page, item: str, first: int | None = None) -> None:
    """Run a Run-menu item and wait until it has finished: no prompt says [*] and some prompt shows a number
    (a new one in cell ``first`` when given), twice in a row half a second apart (outputs may still render)."""
    before = page.evaluate(PROMPTS)

    def finished() -> bool:
        texts = page.evaluate(PROMPTS)
        started = texts[first] != before[first] if first is not None else any(c.isdigit() for t in texts for c in t)
        return started and not any("*" in t for t in texts)

    def finished_twice() -> bool:
        if not finished():
            return False
        time.sleep(0.5)
        return finished()

    _menu(page, "Run", item)
    wait_until(finished_twice, RUN_TIMEOUT_S, 0.5, f"'{item}' to finish")


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
    viewport = page.viewport_size
    page.set_viewport_size({"width": 1400, "height": min(max(int(height) + 200, 1000), 30000)})
    page.evaluate("() => document.querySelectorAll('.jp-WindowedPanel-outer, .jp-Notebook')"
                  ".forEach(e => e.scrollTop = 0)")
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)


def processes_mentioning(text: str) -> list[str]:
    """Command lines of the running processes whose command line or environment contains ``text`` (Linux)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
            environ = (proc / "environ").read_bytes()
        except OSError:  # gone meanwhile, or not ours
            continue
        if text.encode() in cmdline or text.encode() in environ:
            found.append(cmdline.replace(b"\0", b" ").decode(errors="replace").strip())
    return found


EXPLORER = ".jp-OutputArea-output:has(img.widget-image)"


def explorer_pictures(page) -> list[tuple[int, int, int]]:
    """(byte length, checksum, rendered width) of the picture of every explorer widget in the page, in order."""
    return [tuple(item) for item in page.evaluate("""async (selector) => Promise.all(
        [...document.querySelectorAll(selector + ' img.widget-image')].map(async img => {
            const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
            let checksum = 0;
            for (const b of bytes) checksum = (checksum * 31 + b) >>> 0;
            return [bytes.length, checksum, img.naturalWidth];
        }))""", EXPLORER)]


def drag_slider(page, explorer: int, slider: int = 0, dx: float = 80) -> tuple[str, str]:
    """Drag a slider of an explorer ``dx`` pixels to the right with the mouse, as a learner does.

    Returns the slider's readout (value text) before and after the drag."""
    widget = page.locator(EXPLORER).nth(explorer).locator(".widget-slider").nth(slider)
    readout = widget.locator(".widget-readout")
    before = readout.inner_text()
    widget.scroll_into_view_if_needed()
    box = widget.locator(".noUi-handle").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=8)
    page.mouse.up()
    return before, readout.inner_text()
