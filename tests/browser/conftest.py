"""One JupyterLab server and one headless Chromium per test session, for the real-browser tests.

The server runs from this venv's Python (so its kernel is the venv's Python too) on 127.0.0.1, on a
free port with a random token, with fresh settings, workspace, runtime, data, config and IPython
folders. It serves a temporary folder: each test copies the folder of the notebook it opens there,
so autosave (also switched off) never writes into the repository. JupyterLab's news toast, update
check and extension manager are off, and every notebook has a kernelspec, so no dialog gets in the
way. The server is stopped through its process group and any kernel that outlives it by its PID.

Chromium is Debian's (``apt-get install -y --no-install-recommends chromium``), driven by the
Playwright package; Playwright's temporary files go to a session temp folder (``TMPDIR``).
Without Chromium (or Playwright) the tests skip, unless ``REQUIRE_BROWSER`` is set (to anything but
``0``): then they fail, as in CI.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from course_tools.classroom.lab_page import (
    ALL_CELLS_RUN,
    KERNEL_READY,
    NOTEBOOK,
    write_lab_settings,
)

# This folder's notebooks are opened by the browser tests, not executed by nbval.
collect_ignore_glob = ["*.ipynb"]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_START_TIMEOUT = 120  # seconds; the machine may be busy
RUN_ALL_TIMEOUT = 180_000  # ms: a lesson notebook runs up to ~60 s, more on a busy machine
TRAIN_TIMEOUT = 120_000  # ms: one retrain at the lesson's settings takes a few seconds


RMSE_TEXT = re.compile(r"validation RMSE (\d+\.\d+)")  # the explorer's status line after a run


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab in a real browser (Chromium)")


def require_browser(reason: str) -> None:
    """Skip the test for ``reason``, or fail it when ``REQUIRE_BROWSER`` is set."""
    if os.environ.get("REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail(f"REQUIRE_BROWSER is set but {reason}.", pytrace=False)
    pytest.skip(f"{reason} (set REQUIRE_BROWSER=1 to make this a failure)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError as exc:
        return f"(cannot read {path}: {exc})"


@dataclass
class Lab:
    """A running JupyterLab server: where it is, how to reach it, and what it serves."""

    url: str
    token: str
    root: Path
    log: Path
    process: subprocess.Popen

    def api(self, method: str, path: str):
        """Call the server's REST API; returns the decoded JSON (None for an empty body)."""
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def serve(self, notebook: Path) -> str:
        """Copy the notebook's folder into the served root; returns the notebook's served path."""
        target = self.root / notebook.parent.name
        shutil.copytree(
            notebook.parent,
            target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
        )
        return f"{notebook.parent.name}/{notebook.name}"

    def page_url(self, served: str, workspace: str) -> str:
        """The notebook in a workspace of its own, so no tab of an earlier test is restored."""
        return f"{self.url}/lab/workspaces/{workspace}/tree/{served}?token={self.token}"

    def shut_down_kernels(self) -> None:
        """End every session's kernel, so the next notebook gets the CPU to itself."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")


def _wait_until_ready(lab: Lab) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if lab.process.poll() is not None:
            pytest.fail(
                f"JupyterLab exited with code {lab.process.returncode} while starting.\n"
                f"--- server log ({lab.log}) ---\n{tail(lab.log)}",
                pytrace=False,
            )
        try:
            lab.api("GET", "/api/status")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)
    pytest.fail(
        f"JupyterLab did not answer on {lab.url} within {SERVER_START_TIMEOUT} s.\n"
        f"--- server log ({lab.log}) ---\n{tail(lab.log)}",
        pytrace=False,
    )


def _stop(process: subprocess.Popen) -> None:
    """Stop the server's process group, then any of its kernels still running, by their PIDs."""
    import psutil

    try:
        kernels = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        kernels = []
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)  # the server was started in a session of its own
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    # Kernels run in sessions of their own; they exit with the server, this makes sure.
    _, alive = psutil.wait_procs(kernels, timeout=10)
    for kernel in alive:
        kernel.kill()
    psutil.wait_procs(alive, timeout=10)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, or a skip (a failure with REQUIRE_BROWSER) when it is missing."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        require_browser(
            f"no Chromium at {CHROMIUM} (apt-get install -y --no-install-recommends chromium)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        require_browser("the playwright package is not installed (pip install -e '.[test]')")
    return CHROMIUM


@pytest.fixture(scope="session")
def lab(chromium, tmp_path_factory) -> Lab:
    """A JupyterLab server for the whole session, serving a temporary folder."""
    base = tmp_path_factory.mktemp("jupyterlab")
    folders = {
        name: base / name
        for name in (
            "root",
            "settings",
            "workspaces",
            "runtime",
            "data",
            "config",
            "ipython",
            "tmp",
        )
    }
    for folder in folders.values():
        folder.mkdir()
    write_lab_settings(folders["settings"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "jupyterlab.log"
    port, token = free_port(), secrets.token_hex(24)
    env = {
        **os.environ,  # COURSE_DATA_DIR reaches the kernel through here
        "JUPYTER_RUNTIME_DIR": str(folders["runtime"]),
        "JUPYTER_DATA_DIR": str(folders["data"]),  # no user kernelspecs: the venv's python3
        "JUPYTER_CONFIG_DIR": str(folders["config"]),
        "IPYTHONDIR": str(folders["ipython"]),
        "TMPDIR": str(folders["tmp"]),  # the kernel's temporary files (TensorFlow's autograph)
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={folders['root']}",
        f"--LabApp.user_settings_dir={folders['settings']}",
        f"--LabApp.workspaces_dir={folders['workspaces']}",
        "--ServerApp.terminals_enabled=False",
        "--ServerApp.allow_root=True",  # CI runs as root
    ]
    with log.open("w") as log_file:
        process = subprocess.Popen(
            command,
            cwd=folders["root"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Lab(f"http://127.0.0.1:{port}", token, folders["root"], log, process)
    try:
        _wait_until_ready(server)
        yield server
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def browser(chromium, tmp_path_factory):
    """A headless Chromium for the session; Playwright's temp files go to a temp folder."""
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMPDIR", str(tmp_path_factory.mktemp("playwright-tmp")))
        with sync_playwright() as playwright:
            chrome = playwright.chromium.launch(
                executable_path=str(chromium), headless=True, args=CHROMIUM_FLAGS
            )
            try:
                yield chrome
            finally:
                chrome.close()


@pytest.fixture
def page(browser, lab):
    """A fresh browser page (own cookies and storage); its kernels are shut down afterwards."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        yield context.new_page()
    finally:
        context.close()
        lab.shut_down_kernels()


@pytest.fixture
def drive_explorer(page, lab):
    """``drive_explorer(notebook)``: open, run and retrain the notebook's first explorer."""
    return lambda notebook: _reporting(page, lab, notebook, _drive_explorer)


@pytest.fixture
def stop_explorer(page, lab):
    """``stop_explorer(notebook)``: start a long run of its first explorer, stop it, train again."""
    return lambda notebook: _reporting(page, lab, notebook, _stop_explorer)


class Steps:
    """The step a browser test is at, for its failure message."""

    def __init__(self):
        self.now = "open the notebook"


def _reporting(page, lab: Lab, notebook: Path, drive) -> dict:
    """Run ``drive(page, lab, notebook, steps)``; on failure, fail naming the step.

    The failure message has the page's text, console errors and the server log's tail; a full
    page screenshot and the page's text go to test-artifacts/browser/.
    """
    from playwright.sync_api import Error as PlaywrightError

    name = notebook.stem
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.glob(f"{name}-*"):  # screenshots of an earlier session
        stale.unlink()
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    steps = Steps()
    try:
        return drive(page, lab, notebook, steps)
    except (AssertionError, PlaywrightError) as exc:  # Playwright's TimeoutError is an Error
        shot = ARTIFACTS / f"{name}-failure.png"
        text = ""
        try:
            page.screenshot(path=shot, full_page=True)
            text = page.locator("body").inner_text()
            (ARTIFACTS / f"{name}-failure.txt").write_text(text)
        except (PlaywrightError, OSError) as inner:  # the page itself may be gone
            text = f"(could not read the page: {inner})"
        failure = (
            f"{notebook.name}: failed to {steps.now}: {exc}\n"
            f"--- page text (end) ---\n{text[-3000:]}\n"
            f"--- browser console errors ---\n" + "\n".join(console[-20:]) + "\n"
            f"--- JupyterLab log (end, {lab.log}) ---\n{tail(lab.log, 2000)}\n"
            f"screenshot: {shot}"
        )
    pytest.fail(failure, pytrace=False)  # outside the except: no chained traceback


def _run_notebook(page, lab: Lab, notebook: Path, steps: Steps):
    """Open the notebook in JupyterLab, run all its cells; returns the notebook panel."""
    from playwright.sync_api import expect

    page.goto(lab.page_url(lab.serve(notebook), workspace=notebook.stem))
    panel = page.locator(NOTEBOOK)
    expect(panel).to_have_count(1, timeout=60_000)
    expect(panel.locator(".jp-Cell").first).to_be_visible(timeout=60_000)

    steps.now = "wait for the notebook's kernel"  # running earlier opens a Select Kernel dialog
    page.wait_for_function(KERNEL_READY, arg=NOTEBOOK, timeout=TRAIN_TIMEOUT, polling=100)

    steps.now = "run all cells from the Run menu"
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(ALL_CELLS_RUN, arg=NOTEBOOK, timeout=RUN_ALL_TIMEOUT, polling=250)
    dialog = page.locator(".jp-Dialog")
    assert dialog.count() == 0, f"a dialog interrupted the run: {dialog.first.inner_text()}"
    errors = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, "the notebook wrote to stderr or raised:\n" + "\n---\n".join(
        errors.all_inner_texts()
    )
    return panel


def _slider(page, explorer, label: str):
    """The explorer's slider called ``label``."""
    return explorer.locator(".widget-slider").filter(
        has=page.locator("label", has_text=re.compile(f"^{label}$"))
    )


def _drive_explorer(page, lab: Lab, notebook: Path, steps: Steps) -> dict:
    """Run the notebook in JupyterLab and retrain its first explorer through the page.

    Returns the window and validation RMSE text before and after.
    """
    from playwright.sync_api import expect

    name = notebook.stem
    started = time.monotonic()
    panel = _run_notebook(page, lab, notebook, steps)

    steps.now = "wait for the explorer and its first plot"
    explorer = panel.locator(".widget-vbox", has_text="Forecast explorer").first
    image = explorer.locator(".widget-output img").first
    status = explorer.locator(".widget-hbox .widget-html-content").first
    expect(image).to_have_attribute(
        "src", re.compile(r"^data:image/png;base64,"), timeout=TRAIN_TIMEOUT
    )
    expect(status).to_have_text(RMSE_TEXT, timeout=TRAIN_TIMEOUT)
    explorer.scroll_into_view_if_needed()
    explorer.screenshot(path=ARTIFACTS / f"{name}-1-first-plot.png")
    src_before = image.get_attribute("src")
    rmse_before = RMSE_TEXT.search(status.inner_text())[1]
    rows = explorer.locator("table.dataframe tbody tr")
    runs_before = rows.count()

    steps.now = "move the window slider with the keyboard"
    readout = _slider(page, explorer, "window").locator(".widget-readout")
    window_before = readout.inner_text().strip()
    handle = _slider(page, explorer, "window").get_by_role("slider")
    handle.focus()
    handle.press("ArrowRight")
    handle.press("ArrowRight")
    expect(readout).not_to_have_text(window_before)
    window_after = readout.inner_text().strip()

    steps.now = f"click Train (window {window_before} -> {window_after}) and wait for a new plot"
    explorer.get_by_role("button", name="Train").click()
    expect(image).not_to_have_attribute("src", src_before, timeout=TRAIN_TIMEOUT)
    expect(rows).to_have_count(runs_before + 1, timeout=TRAIN_TIMEOUT)  # the run is over
    expect(rows.last.locator("td").first).to_have_text(window_after)
    expect(status).to_have_text(RMSE_TEXT)
    rmse_after = RMSE_TEXT.search(status.inner_text())[1]
    assert rmse_after != rmse_before, f"the RMSE text stayed at {rmse_before} after retraining"
    explorer.screenshot(path=ARTIFACTS / f"{name}-2-after-train.png")
    page.screenshot(path=ARTIFACTS / f"{name}-3-page.png")
    return {
        "window before": window_before,
        "window after": window_after,
        "rmse before": rmse_before,
        "rmse after": rmse_after,
        "seconds": time.monotonic() - started,
    }


def _stop_explorer(page, lab: Lab, notebook: Path, steps: Steps) -> dict:
    """Start a long run of the notebook's first explorer, press Stop, then train a short run.

    Returns the seconds from Train to the stopped message, from Stop to it, and the status
    texts; the explorer must be usable afterwards (a short run finishes and draws its plot).
    """
    from playwright.sync_api import expect

    name = notebook.stem
    panel = _run_notebook(page, lab, notebook, steps)
    explorer = panel.locator(".widget-vbox", has_text="Forecast explorer").first
    status = explorer.locator(".widget-hbox .widget-html-content").first
    train = explorer.get_by_role("button", name="Train")
    stop = explorer.get_by_role("button", name="Stop")
    bar = explorer.locator(".widget-hprogress .progress-bar").first
    explorer.scroll_into_view_if_needed()

    steps.now = "start the long run with Train and wait for the progress bar to move"
    expect(stop).to_be_disabled()
    started = time.monotonic()
    train.click()
    expect(stop).to_be_enabled(timeout=TRAIN_TIMEOUT)
    expect(train).to_be_disabled()
    expect(bar).not_to_have_attribute("style", re.compile(r"width: 0%"), timeout=TRAIN_TIMEOUT)
    explorer.screenshot(path=ARTIFACTS / f"{name}-1-training.png")

    steps.now = "press Stop and wait for the stopped message"
    stop_pressed = time.monotonic()
    stop.click()
    expect(status).to_contain_text("Stopped after", timeout=60_000)
    stopped = time.monotonic()
    expect(train).to_be_enabled()
    expect(stop).to_be_disabled()
    stopped_text = status.inner_text()
    explorer.screenshot(path=ARTIFACTS / f"{name}-2-stopped.png")

    steps.now = "set epochs to the minimum with the Home key and train a short run"
    epochs = _slider(page, explorer, "epochs")
    handle = epochs.get_by_role("slider")
    handle.focus()
    handle.press("Home")
    expect(epochs.locator(".widget-readout")).to_have_text("10")
    train.click()
    image = explorer.locator(".widget-output img").first
    expect(image).to_have_attribute(
        "src", re.compile(r"^data:image/png;base64,"), timeout=TRAIN_TIMEOUT
    )
    expect(status).to_have_text(RMSE_TEXT, timeout=TRAIN_TIMEOUT)
    expect(explorer.locator("table.dataframe tbody tr")).to_have_count(1)
    explorer.screenshot(path=ARTIFACTS / f"{name}-3-after-stop.png")
    return {
        "train to stopped": stopped - started,
        "stop to stopped": stopped - stop_pressed,
        "stopped text": stopped_text,
        "final text": status.inner_text(),
    }
