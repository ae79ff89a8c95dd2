"""The Makefile says what each target does: `make help` prints every target with its description.

Every target a person types (the ``.PHONY`` ones) carries a ``## description`` on its rule's line,
and ``make help`` prints each of them once, with that description. ``make`` alone still does what
it did before ``help`` existed: it only creates ``.venv`` with a checked Python (the first rule).
"""

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MAKEFILE = (REPO / "Makefile").read_text()
DESCRIBED = re.compile(r"^([A-Za-z][\w-]*):.*?## (.+)$", re.M)
RUN = functools.partial(subprocess.run, capture_output=True, text=True, timeout=60)

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="needs make")


def make(*args: str) -> subprocess.CompletedProcess:
    """Run make in the repository, without the flags of an outer make; nothing is built."""
    clean = dict(os.environ, MAKEFLAGS="", MAKELEVEL="")
    return RUN(["make", "--no-print-directory", *args], cwd=REPO, env=clean)


def test_every_phony_target_has_a_description():
    phony = {t for line in re.findall(r"^\.PHONY:(.*)$", MAKEFILE, re.M) for t in line.split()}
    described = dict(DESCRIBED.findall(MAKEFILE))
    assert {"lab", "test", "help", "repo-address", "test-classroom"} <= phony
    assert sorted(phony - described.keys()) == [], "add `## what it does` to these rules"


def test_make_help_prints_each_target_once_with_its_description():
    done = make("help")
    assert done.returncode == 0, done.stderr
    printed = [line.split(None, 2)[1:] for line in done.stdout.splitlines()]
    assert printed == [[target, text] for target, text in DESCRIBED.findall(MAKEFILE)]


def test_make_alone_still_only_creates_the_venv():
    done = make("--print-data-base", "--question", "--no-builtin-rules")
    assert re.search(r"^\.DEFAULT_GOAL := \.venv/bin/python$", done.stdout, re.M), (
        "`make` alone must keep creating .venv (its first rule); put new rules after it"
    )
