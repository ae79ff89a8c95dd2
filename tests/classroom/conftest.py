"""Shared set-up of the classroom tests: which run when, and where their inputs come from.

The tests here are slow and marked ``classroom`` (a real hub with eight learners, nbgrader's
whole round): they run only under ``make test-classroom``, which installs what they need and sets
``COURSE_CLASSROOM=1``; there a missing piece is a failure, not a skip. The quick tests of the
classroom modules (the measurements against the README, the Zero to JupyterHub values, the
conversion of the lessons' tasks) are in ``tests/tools/classroom`` and always run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
NBGRADER = REPO / "classroom" / ".venv-nbgrader" / "bin" / "nbgrader"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "classroom: slow test of a class on a real hub or nbgrader (make test-classroom)"
    )


def classroom_enabled() -> bool:
    """True under ``make test-classroom`` (``COURSE_CLASSROOM`` set to anything but 0)."""
    return os.environ.get("COURSE_CLASSROOM", "") not in ("", "0")


def pytest_collection_modifyitems(config, items):
    if classroom_enabled():
        return
    skip = pytest.mark.skip(reason="a slow classroom test: run it with `make test-classroom`")
    for item in items:
        if item.get_closest_marker("classroom"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def data_source() -> Path:
    """Verified copies of the datasets: ``$COURSE_DATA_DIR``, else ``../shared/data``."""
    for folder in (os.environ.get("COURSE_DATA_DIR"), REPO.parent / "shared" / "data"):
        if folder and len(list(Path(folder).glob("*.csv"))) >= 6:
            return Path(folder)
    pytest.fail("no verified datasets: set COURSE_DATA_DIR or put them in ../shared/data")
