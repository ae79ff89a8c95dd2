"""Binder's build, checked without Docker: the Dockerfile repo2docker would build from binder/.

Binder installs the lock: ``binder/requirements.txt`` (written by ``make lock``, exact versions with
hashes) on the Python of ``binder/runtime.txt``, then runs ``binder/postBuild``.

``repo2docker --no-build --debug`` picks a buildpack from the repository's files and prints the
Dockerfile it would build, without contacting a Docker daemon (a dry run never opens the container
engine), so this runs on any machine that has the ``jupyter-repo2docker`` package. The user id and
name are the ones mybinder.org uses.
"""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"


@pytest.fixture(scope="module")
def dockerfile():
    """The Dockerfile repo2docker renders for this repository (its stdout), and its log."""
    if importlib.util.find_spec("repo2docker") is None:
        pytest.fail("jupyter-repo2docker is not installed; `pip install -e '.[test]'` brings it")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "repo2docker",
            "--no-build",
            "--debug",
            "--user-id",
            "1000",
            "--user-name",
            "jovyan",
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


def line_of(text, pattern):
    """Index of the first line of ``text`` matching regex ``pattern`` (fails if none)."""
    for i, line in enumerate(text.splitlines()):
        if re.search(pattern, line):
            return i
    pytest.fail(f"no line matches {pattern!r} in the Dockerfile")


def test_python_buildpack_python_311(dockerfile):
    text, log = dockerfile
    assert "Building conda environment for python=3.11" in log  # binder/runtime.txt: python-3.11
    assert text.lstrip().startswith("FROM docker.io/library/buildpack-deps:")


def test_installs_the_locked_binder_requirements(dockerfile):
    text, _ = dockerfile
    copy = line_of(
        text, r"^COPY .*src/binder/requirements\.txt \$\{REPO_DIR\}/binder/requirements\.txt$"
    )
    install = line_of(text, r'pip install --no-cache-dir -r "binder/requirements\.txt"$')
    assert copy < install
    # only binder/ counts: no environment file, and the root's requirements are not read
    assert "environment.yml" not in text
    assert "src/requirements" not in text
    assert len(re.findall(r"pip install .*-r ", text)) == 1


def test_runs_postbuild_as_the_user_after_the_requirements(dockerfile):
    text, _ = dockerfile
    install = line_of(text, r'-r "binder/requirements\.txt"')
    copy_repo = line_of(text, r"^COPY .*src/ \$\{REPO_DIR\}/$")
    postbuild = line_of(text, r"^RUN \./binder/postBuild$")
    # the requirements come first, from binder/ alone, so Docker reuses that layer while only the
    # lessons change; the package and the data need the whole checkout
    assert install < copy_repo < postbuild
    users = [line for line in text.splitlines()[:postbuild] if line.startswith("USER ")]
    assert users[-1] == "USER ${NB_USER}"  # not root: the files it writes belong to the learner


def test_binder_requirements_are_the_hashed_lock():
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    assert lines[1].strip() == "#    make lock", "binder/requirements.txt is written by make lock"
    pins = [line for line in lines if re.match(r"^[A-Za-z0-9]", line)]
    assert pins and all("==" in line for line in pins)
    assert sum(line.strip().startswith("--hash=sha256:") for line in lines) >= len(pins)


def test_postbuild_script():
    script = BINDER / "postBuild"
    assert os.access(script, os.X_OK), (
        "binder/postBuild must be executable (git update-index --chmod=+x)"
    )
    commands = [
        line.strip()
        for line in script.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert script.read_text().startswith("#!/bin/bash\n")
    assert commands[0] == "set -e"  # any failing step fails the Binder build
    assert "pip install --no-cache-dir --no-deps -e ." in commands  # the lock, and nothing else
    assert "python -m course_helpers.download" in commands
    assert not any("labextension" in c for c in commands)  # ipywidgets 8 needs no extension step
