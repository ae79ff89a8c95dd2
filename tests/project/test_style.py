"""Lint and format checks with ruff, configured in pyproject.toml ([tool.ruff]).

To fix what these report: ``ruff check --fix PATH`` and ``ruff format PATH`` (then read the diff).
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Folders and files ruff checks (a notebook: format it, then `make execute` to refresh its outputs).
CHECKED = ["course_helpers", "course_tools", "tests", "notebooks"]


def ruff(*args):
    """Run ruff from the test environment in the project folder; return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module", autouse=True)
def ruff_installed():
    if ruff("--version").returncode != 0:
        pytest.fail("ruff is not installed in this environment; `pip install -e '.[test]'`")


def test_paths_exist():
    missing = [p for p in CHECKED if not (ROOT / p).exists()]
    assert not missing, f"CHECKED lists paths that do not exist: {missing}"


def test_ruff_check():
    done = ruff("check", "--output-format", "concise", "--no-cache", *CHECKED)
    assert done.returncode == 0, f"ruff check found problems:\n{done.stdout}{done.stderr}"


def test_ruff_format():
    done = ruff("format", "--check", "--no-cache", *CHECKED)
    assert done.returncode == 0, (
        f"ruff format would change these files (run `ruff format {' '.join(CHECKED)}`):\n"
        f"{done.stdout}{done.stderr}"
    )
