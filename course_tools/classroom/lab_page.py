"""JupyterLab as browser tests meet it: quiet user settings, the page probes, "Run All Cells".

Shared by the explorer's browser tests (``tests/browser``) and the learner who uses Chromium in the
classroom test (``tests/classroom/browser_learner.py``). The probes are JavaScript functions of the
notebook's CSS selector, for ``page.wait_for_function(PROBE, arg=NOTEBOOK)``; the page steps take a
Playwright ``Page`` (Chromium is launched by :mod:`course_tools.classroom.browser`).
"""

from __future__ import annotations

import json
from pathlib import Path

# User settings: no news or update toasts, no autosave, no extension manager, every cell in the DOM.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/extensionmanager-extension/plugin": {"enabled": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in the current tab
STDERR = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
# The notebook's kernel is connected and idle (before that its toolbar says "No Kernel" beside an
# idle indicator):
KERNEL_READY = """notebook => {
    const toolbar = document.querySelector(`${notebook} .jp-NotebookPanel-toolbar`);
    const status = toolbar && toolbar.querySelector('.jp-Notebook-ExecutionIndicator');
    const kernel = toolbar && toolbar.querySelector('[data-jp-item-name=kernelName]');
    const name = kernel ? kernel.textContent.trim() : '';
    return !!status && status.dataset.status === 'idle' && name !== '' && name !== 'No Kernel';
}"""
# Every code cell has an execution count (the run is over), or a dialog came up:
ALL_CELLS_RUN = """notebook => !!document.querySelector('.jp-Dialog') ||
    [...document.querySelectorAll(`${notebook} .jp-CodeCell .jp-InputArea-prompt`)]
        .every(prompt => /\\[\\d+\\]/.test(prompt.textContent))"""


def write_lab_settings(folder: Path) -> None:
    """Write :data:`LAB_SETTINGS` into a JupyterLab user-settings folder (created if missing)."""
    for plugin, values in LAB_SETTINGS.items():
        path = Path(folder) / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2))


def wait_for_kernel(page, timeout: float, polling: float) -> None:
    """Wait until the notebook's kernel is connected and idle (``timeout``, ``polling`` in ms)."""
    page.wait_for_function(KERNEL_READY, arg=NOTEBOOK, timeout=timeout, polling=polling)


def run_all_cells(page, timeout: float, polling: float) -> None:
    """Choose Run > Run All Cells, then wait until every code cell ran or a dialog came up."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(ALL_CELLS_RUN, arg=NOTEBOOK, timeout=timeout, polling=polling)
