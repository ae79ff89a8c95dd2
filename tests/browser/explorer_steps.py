"""What the browser tests do in the page: run a notebook, then train and stop its forecast explorer.

Each step names itself in :class:`Steps` before it starts; :func:`reporting` turns a failure into
one message that says which step failed, with the page's text, the browser console's errors and
the end of the server's log, and saves a full page screenshot and the page's text in
``test-artifacts/browser/``. Screenshots of the steps that worked go there too.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from lab_server import Lab, tail

from course_tools.classroom.lab_page import NOTEBOOK, STDERR, run_all_cells, wait_for_kernel

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "browser"
RUN_ALL_TIMEOUT = 180_000  # ms: a lesson notebook runs up to ~60 s, more on a busy machine
TRAIN_TIMEOUT = 120_000  # ms: one retrain at the lesson's settings takes a few seconds
RMSE_TEXT = re.compile(r"validation RMSE (\d+\.\d+)")  # the explorer's status line after a run


class Steps:
    """The step a browser test is at, for its failure message."""

    def __init__(self):
        self.now = "open the notebook"


def reporting(page, lab: Lab, notebook: Path, drive) -> dict:
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


def run_notebook(page, lab: Lab, notebook: Path, steps: Steps):
    """Open the notebook in JupyterLab, run all its cells; returns the notebook panel."""
    from playwright.sync_api import expect

    page.goto(lab.page_url(lab.serve(notebook), workspace=notebook.stem))
    panel = page.locator(NOTEBOOK)
    expect(panel).to_have_count(1, timeout=60_000)
    expect(panel.locator(".jp-Cell").first).to_be_visible(timeout=60_000)

    steps.now = "wait for the notebook's kernel"  # running earlier opens a Select Kernel dialog
    wait_for_kernel(page, timeout=TRAIN_TIMEOUT, polling=100)

    steps.now = "run all cells from the Run menu"
    run_all_cells(page, timeout=RUN_ALL_TIMEOUT, polling=250)
    dialog = page.locator(".jp-Dialog")
    assert dialog.count() == 0, f"a dialog interrupted the run: {dialog.first.inner_text()}"
    errors = panel.locator(STDERR)
    assert errors.count() == 0, "the notebook wrote to stderr or raised:\n" + "\n---\n".join(
        errors.all_inner_texts()
    )
    return panel


def _slider(page, explorer, label: str):
    """The explorer's slider called ``label``."""
    return explorer.locator(".widget-slider").filter(
        has=page.locator("label", has_text=re.compile(f"^{label}$"))
    )


def _first_plot(explorer):
    """Wait for the explorer's plot and validation RMSE; returns the image and status locators."""
    from playwright.sync_api import expect

    image = explorer.locator(".widget-output img").first
    status = explorer.locator(".widget-hbox .widget-html-content").first
    expect(image).to_have_attribute(
        "src", re.compile(r"^data:image/png;base64,"), timeout=TRAIN_TIMEOUT
    )
    expect(status).to_have_text(RMSE_TEXT, timeout=TRAIN_TIMEOUT)
    return image, status


def drive(page, lab: Lab, notebook: Path, steps: Steps) -> dict:
    """Run the notebook in JupyterLab and retrain its first explorer through the page.

    Returns the window and validation RMSE text before and after.
    """
    from playwright.sync_api import expect

    name = notebook.stem
    started = time.monotonic()
    panel = run_notebook(page, lab, notebook, steps)

    steps.now = "wait for the explorer and its first plot"
    explorer = panel.locator(".widget-vbox", has_text="Forecast explorer").first
    image, status = _first_plot(explorer)
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


def stop(page, lab: Lab, notebook: Path, steps: Steps) -> dict:
    """Start a long run of the notebook's first explorer, press Stop, then train a short run.

    Returns the seconds from Train to the stopped message, from Stop to it, and the status
    texts; the explorer must be usable afterwards (a short run finishes and draws its plot).
    """
    from playwright.sync_api import expect

    name = notebook.stem
    panel = run_notebook(page, lab, notebook, steps)
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
    _first_plot(explorer)
    expect(explorer.locator("table.dataframe tbody tr")).to_have_count(1)
    explorer.screenshot(path=ARTIFACTS / f"{name}-3-after-stop.png")
    return {
        "train to stopped": stopped - started,
        "stop to stopped": stopped - stop_pressed,
        "stopped text": stopped_text,
        "final text": status.inner_text(),
    }
