"""`make setup` / `make lab` on the Pythons newcomers have, with the real Makefile and script.

Each test copies the Makefile, ``scripts/find-python.sh`` and the files make checks first
(pyproject.toml, the lock) into an empty project folder and runs ``make`` there with a PATH that
holds only the basic tools and small shell scripts posing as Python interpreters ("shims"): a
``python3`` that says it is 3.14, a Debian ``python3`` without the ``python3.X-venv`` package, a
``python3.12`` that runs the real interpreter. The real interpreter's folder is never on that
PATH, so the Makefile sees only what the test puts there. Nothing here installs a package: a
failing check stops before pip, and the one venv that is created is made without pip (the shim
passes ``--without-pip``), which takes a fraction of a second.
"""

import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
REAL = os.path.realpath(getattr(sys, "_base_executable", sys.executable))  # not the venv's python
TOOLS = ["make", "sh", "rm", "head", "sed", "id", "touch", "mkdir", "cat", "dirname"]

pytestmark = pytest.mark.skipif(
    os.name != "posix" or not all(shutil.which(t) for t in ("make", "sh")),
    reason="needs make and a POSIX sh",
)

REPORTS_314 = """#!/bin/sh
case "$1" in --version | -V) echo "Python 3.14.0"; exit 0 ;; esac
echo "the fake Python 3.14 was asked to run: $*" >&2
exit 99
"""

# Runs the real interpreter; `-m venv` without pip, to stay fast (the Makefile cannot tell).
WRAPS_REAL = f"""#!/bin/sh
if [ "$1" = -m ] && [ "$2" = venv ]; then shift 2; exec "{REAL}" -m venv --without-pip "$@"; fi
exec "{REAL}" "$@"
"""

# Debian or Ubuntu without python3.X-venv: no ensurepip module.
DEBIAN_NO_ENSUREPIP = f"""#!/bin/sh
case "$*" in *ensurepip*)
    echo "ModuleNotFoundError: No module named 'ensurepip'" >&2; exit 1 ;;
esac
exec "{REAL}" "$@"
"""

# As Debian's venv behaves when ensurepip cannot run: it makes the folder, then gives up.
DEBIAN_VENV_FAILS = f"""#!/bin/sh
if [ "$1" = -m ] && [ "$2" = venv ]; then
    "{REAL}" -m venv --without-pip "$3" || exit 2
    v=$("{REAL}" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    echo "The virtual environment was not created successfully because ensurepip is not"
    echo "available.  On Debian/Ubuntu systems, you need to install the python3-venv"
    echo "package using the following command."
    echo
    echo "    apt install python$v-venv"
    exit 1
fi
exec "{REAL}" "$@"
"""

# A .venv/bin/python made without pip (an older Makefile on Debian without python3.X-venv).
NO_PIP = f"""#!/bin/sh
if [ "$1" = -m ] && [ "$2" = pip ]; then echo "No module named pip" >&2; exit 1; fi
exec "{REAL}" "$@"
"""


def real_version():
    return f"{sys.version_info[0]}.{sys.version_info[1]}"


def write_exe(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@pytest.fixture
def project(tmp_path):
    """A project folder with the real Makefile and script, and the files the set-up rule names
    as prerequisites (pyproject.toml, the lock in requirements/), so that make gets to the venv."""
    root = tmp_path / "course"
    (root / "scripts").mkdir(parents=True)
    for name in ("Makefile", "pyproject.toml", "scripts/find-python.sh"):
        shutil.copy(REPO / name, root / name)
    if (REPO / "requirements").is_dir():
        shutil.copytree(REPO / "requirements", root / "requirements")
    return root


@pytest.fixture
def shims(tmp_path):
    """A folder for fake interpreters, first on PATH."""
    folder = tmp_path / "shims"
    folder.mkdir()
    return folder


@pytest.fixture
def run(project, shims, tmp_path):
    """Run make in the project with PATH = the shims, then links to the basic tools only."""
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        if found:
            (tools / tool).symlink_to(found)

    def run_make(*args):
        env = {
            k: v
            for k, v in os.environ.items()
            # an outer `make test` passes its flags and variables (PYTHON=...) down: not here
            if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "PYTHON"}
            and k not in {"VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH"}
        }
        env["PATH"] = f"{shims}{os.pathsep}{tools}"
        return subprocess.run(
            ["make", "--no-print-directory", *args],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run_make


def assert_nothing_installed(project, done):
    assert not (project / ".venv").exists()
    assert "pip install" not in done.stdout + done.stderr


def error_lines(stderr):
    """The script's message: everything before make's own "make: *** ..." line."""
    return [line for line in stderr.splitlines() if not line.startswith("make: ")]


def test_only_python_314_stops_with_one_message(project, shims, run):
    write_exe(shims / "python3", REPORTS_314)
    done = run("setup")
    assert done.returncode != 0
    message = "\n".join(error_lines(done.stderr))
    assert message.startswith("error: python3 is Python 3.14, too new for TensorFlow 2.21")
    assert message.count("error:") == 1  # one message, not a cascade
    assert "No matching distribution found for tensorflow" in message  # what pip would have said
    assert "The course needs Python 3.11 to 3.13" in message
    assert "no python3.13, python3.12 or python3.11 is on your PATH" in message
    assert "sudo apt install python3.12-venv" in message
    assert "pyenv install 3.12" in message and "python.org" in message
    assert message.rstrip().endswith("then run:  make setup PYTHON=python3.12")
    assert "fake Python 3.14 was asked to run" not in done.stderr  # only asked its version
    assert_nothing_installed(project, done)


def test_too_old_a_python_stops_with_one_message(project, shims, run):
    write_exe(shims / "python3", REPORTS_314.replace("3.14.0", "3.10.12").replace("3.14", "3.10"))
    done = run("lab")
    assert done.returncode != 0
    message = "\n".join(error_lines(done.stderr))
    assert message.startswith("error: python3 is Python 3.10, too old for the course.")
    assert "No matching distribution" not in message
    assert "The course needs Python 3.11 to 3.13" in message
    assert message.rstrip().endswith("then run:  make lab PYTHON=python3.12")
    assert_nothing_installed(project, done)


def test_a_supported_python_on_the_path_is_picked(project, shims, run):
    write_exe(shims / "python3", REPORTS_314)
    shim = write_exe(shims / "python3.12", WRAPS_REAL)
    done = run("python-check")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{shim} (Python {real_version()})"
    assert "note: python3 is Python 3.14, too new for TensorFlow 2.21" in done.stderr
    assert f"Using python3.12 (Python {real_version()}) instead." in done.stderr

    done = run(".venv/bin/python")  # the rule `make setup` runs first
    assert done.returncode == 0, done.stderr
    assert f"Creating .venv with {shim}" in done.stdout
    assert (project / ".venv" / "bin" / "python").exists()
    assert (project / ".venv" / "pyvenv.cfg").exists()


def test_python3_is_used_when_it_fits(project, shims, run):
    python3 = write_exe(shims / "python3", WRAPS_REAL)
    write_exe(shims / "python3.12", REPORTS_314)  # never asked for more than its version
    done = run("python-check")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{python3} (Python {real_version()})"
    assert done.stderr == ""


def test_an_explicit_python_is_checked_not_replaced(project, shims, run):
    write_exe(shims / "python3.14", REPORTS_314)
    write_exe(shims / "python3.12", WRAPS_REAL)
    done = run("setup", "PYTHON=python3.14")
    assert done.returncode != 0
    message = "\n".join(error_lines(done.stderr))
    assert message.startswith("error: PYTHON=python3.14 is Python 3.14, too new")
    assert "make setup PYTHON=python3.12" in message
    assert_nothing_installed(project, done)

    done = run("python-check", "PYTHON=python3.12")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{shims / 'python3.12'} (Python {real_version()})"


def test_an_explicit_python_that_is_not_there(project, shims, run):
    write_exe(shims / "python3", WRAPS_REAL)
    done = run("lab", "PYTHON=python3.12")
    assert done.returncode != 0
    message = "\n".join(error_lines(done.stderr))
    assert message.startswith("error: PYTHON=python3.12: there is no such command on your PATH.")
    assert "make lab PYTHON=python3.12" in message
    assert_nothing_installed(project, done)


# A Python that cannot make a venv: none on the PATH, Debian's without python3.X-venv, and Debian's
# venv giving up half-way. Each case: the shim posing as python3 (None: no Python at all), and
# how the one message begins, the line it ends with, and the apt package it names ({v}: the real
# interpreter's version).
NO_VENV = {
    "no Python at all": (
        None,
        "error: No Python 3 is on your PATH",
        "then run:  make setup PYTHON=python3.12",
        "sudo apt install python3.12-venv",
    ),
    "Debian without the venv package": (
        DEBIAN_NO_ENSUREPIP,
        "error: python3 (Python {v}) cannot create virtual environments",
        "then run:  make setup",
        "sudo apt install python{v}-venv",
    ),
    "Debian's venv failing half-way": (
        DEBIAN_VENV_FAILS,
        "error: python3 (Python {v}) cannot create virtual environments",
        "(Nothing was left behind: the half-made .venv was removed.)",
        "sudo apt install python{v}-venv",
    ),
}


@pytest.mark.parametrize("case", NO_VENV)
def test_no_python_that_can_make_a_venv_stops_with_one_message(project, shims, run, case):
    shim, starts, ends, package = NO_VENV[case]
    if shim:
        write_exe(shims / "python3", shim)
    done = run("setup")
    assert done.returncode != 0
    message = "\n".join(error_lines(done.stderr))
    assert message.startswith(starts.format(v=real_version()))
    assert message.rstrip().endswith(ends)
    assert message.count("error:") == 1
    assert package.format(v=real_version()) in message
    assert_nothing_installed(project, done)


# A .venv from before these checks: make does not recreate it, so the check must speak. Each case:
# the .venv's python, and how the message begins and what else it says.
OLD_VENV = {
    "made with Python 3.14": (
        REPORTS_314,
        "error: .venv was made with Python 3.14, which does not fit",
        "rm -rf .venv && make setup",
    ),
    "without pip": (NO_PIP, "error: .venv has no pip", "python3.X-venv"),
}


@pytest.mark.parametrize("case", OLD_VENV)
def test_an_old_venv_that_does_not_fit_is_explained(project, run, case):
    python, starts, says = OLD_VENV[case]
    write_exe(project / ".venv" / "bin" / "python", python)
    done = run("setup")
    assert done.returncode != 0
    message = "\n".join(error_lines(done.stderr))
    assert message.startswith(starts)
    assert says in message and "rm -rf .venv && make setup" in message
    assert "pip install" not in done.stdout + done.stderr


def test_the_script_and_pyproject_agree_on_the_oldest_python():
    """scripts/find-python.sh repeats requires-python; the two must not drift apart."""
    floor = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    script = (REPO / "scripts" / "find-python.sh").read_text()
    min_minor = re.search(r"^MIN_MINOR=(\d+)", script, re.MULTILINE).group(1)
    assert floor == f">=3.{min_minor}"
