"""The one way the tests start Chromium: Debian's browser, headless, driven by Playwright.

The explorer's browser tests (``tests/browser``) and the learner who uses Chromium in the classroom
test (``tests/classroom/browser_learner.py``) both launch it here. The browser is Debian's
(``apt-get install -y --no-install-recommends chromium``; ``$CHROMIUM`` names another), since
Playwright cannot download one of its own where CI runs. The flags are those a root user in a
container needs, and nothing reaches out to the network. Playwright puts the browser's profile
(its user-data folder) and its other temporary files in the folder the caller gives.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["CHROMIUM", "CHROMIUM_FLAGS", "launch_chromium", "missing_chromium"]

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",  # root in a container has no sandbox to drop into
    "--disable-gpu",
    "--disable-dev-shm-usage",  # containers give /dev/shm 64 MB
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def missing_chromium() -> str | None:
    """Why Chromium cannot be launched here (no browser, no Playwright), or None when it can."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install -y --no-install-recommends chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


@contextmanager
def launch_chromium(temp_dir: Path) -> Iterator:
    """A headless Chromium (a Playwright ``Browser``), closed on leaving.

    Playwright's driver, started here, writes the browser's profile and its temporary files under
    ``temp_dir`` (through ``TMPDIR``, restored afterwards), not into the system's ``/tmp``.
    """
    from playwright.sync_api import sync_playwright

    saved = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(temp_dir)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if saved is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved
