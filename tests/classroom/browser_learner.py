"""A learner in Chromium: the hub's login page, the course link, "Run All Cells" in JupyterLab.

The browser is the one the browser tests launch too (:mod:`course_tools.classroom.browser`). The
visit ends with a screenshot in ``test-artifacts/``; a failure leaves one too, with the page's text.
"""

from __future__ import annotations

import time
from pathlib import Path

from course_tools.classroom.lab_page import (
    NOTEBOOK,
    STDERR,
    run_all_cells,
    wait_for_kernel,
    write_lab_settings,
)
from course_tools.classroom.learners import NotebookRun

RUN_TIMEOUT = 900_000  # ms: eight learners share two cores


def write_learner_settings(home: Path) -> None:
    """JupyterLab user settings in a learner's home: no toasts in the screenshot."""
    write_lab_settings(home / ".jupyter" / "lab" / "user-settings")


def visit(browser, link: str, name: str, password: str, shots: Path) -> NotebookRun:
    """Log in on the hub's page, follow ``link`` and run the lesson it opens, all in the browser.

    Returns the run (time from opening the link; errors shown in the notebook's outputs).
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    run = NotebookRun(link)
    started = time.monotonic()
    step = "open the course link"
    try:
        page.goto(link)
        step = "log in on the hub's login page"
        page.locator("#username_input").fill(name)
        page.locator("#password_input").fill(password)
        page.locator("#login_submit").click()
        step = "wait for the server, nbgitpuller and the lesson to open in JupyterLab"
        panel = page.locator(NOTEBOOK)
        expect(panel.locator(".jp-Cell").first).to_be_visible(timeout=RUN_TIMEOUT)
        wait_for_kernel(page, timeout=RUN_TIMEOUT, polling=250)
        step = "run all cells from the Run menu"
        run_all_cells(page, timeout=RUN_TIMEOUT, polling=500)
        run.seconds = time.monotonic() - started
        run.cells = panel.locator(".jp-CodeCell").count()
        run.errors += panel.locator(STDERR).all_inner_texts()
        dialog = page.locator(".jp-Dialog")
        if dialog.count():
            run.errors.append(f"a dialog interrupted the run: {dialog.inner_text()}")
        panel.locator(".jp-CodeCell").last.scroll_into_view_if_needed()
        page.screenshot(path=shots / "classroom-browser-learner.png")
    except (AssertionError, PlaywrightError) as exc:
        run.errors.append(f"failed to {step}: {exc}")
        try:
            page.screenshot(path=shots / "classroom-browser-failure.png", full_page=True)
            (shots / "classroom-browser-failure.txt").write_text(page.locator("body").inner_text())
        except PlaywrightError:
            pass
    finally:
        context.close()
    return run
