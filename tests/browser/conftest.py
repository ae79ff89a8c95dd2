"""One JupyterLab server and one headless Chromium per test session, for the real-browser tests.

The server is started by ``lab_server.py``, Chromium by the launcher the classroom test shares
(:mod:`course_tools.classroom.browser`), with Playwright's temporary files in a session temp
folder; what the tests do in the page is in ``explorer_steps.py``. Without Chromium (or
Playwright) the tests skip, unless ``REQUIRE_BROWSER`` is set (to anything but ``0``): then they
fail, as in CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import explorer_steps
import pytest
from lab_server import Lab, start_lab

from course_tools.classroom.browser import CHROMIUM, launch_chromium, missing_chromium

# This folder's notebooks are opened by the browser tests, not executed by nbval.
collect_ignore_glob = ["*.ipynb"]


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab in a real browser (Chromium)")


def require_browser(reason: str) -> None:
    """Skip the test for ``reason``, or fail it when ``REQUIRE_BROWSER`` is set."""
    if os.environ.get("REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail(f"REQUIRE_BROWSER is set but {reason}.", pytrace=False)
    pytest.skip(f"{reason} (set REQUIRE_BROWSER=1 to make this a failure)")


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, or a skip (a failure with REQUIRE_BROWSER) when it is missing."""
    reason = missing_chromium()
    if reason:
        require_browser(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def lab(chromium, tmp_path_factory) -> Lab:
    """A JupyterLab server for the whole session, serving a temporary folder."""
    server = start_lab(
        tmp_path_factory.mktemp("jupyterlab"), explorer_steps.ARTIFACTS / "jupyterlab.log"
    )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(chromium, tmp_path_factory):
    """A headless Chromium for the session; Playwright's temp files go to a temp folder."""
    with launch_chromium(tmp_path_factory.mktemp("playwright-tmp")) as chrome:
        yield chrome


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
    return lambda notebook: explorer_steps.reporting(page, lab, notebook, explorer_steps.drive)


@pytest.fixture
def stop_explorer(page, lab):
    """``stop_explorer(notebook)``: start a long run of its first explorer, stop it, train again."""
    return lambda notebook: explorer_steps.reporting(page, lab, notebook, explorer_steps.stop)
