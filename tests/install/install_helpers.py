"""What the install tests share: a clean copy of the checkout, a fresh environment, a data mirror.

Each install test builds a new virtual environment the way one way in (Binder, Colab, the lowest or
newest versions pyproject.toml allows) builds it, and runs a lesson in it. The pieces here keep
those environments apart from this machine's: a new home folder, no Jupyter or course variables,
this machine's pip cache and pip settings (an index or proxy set there) kept so that a second run
is quick and works where the first did.
"""

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from course_tools.classroom.hub import copy_checkout

ROOT = Path(__file__).resolve().parents[2]
INSTALL_TIMEOUT = 1800  # seconds; a cold pip cache on a slow link
LESSON_TIMEOUT = 600  # seconds for one cell


def clean_checkout(dest):
    """Copy the files git would give a fresh clone (tracked or new, not ignored) into ``dest``."""
    return copy_checkout(ROOT, dest)


def git_snapshot(dest):
    """A clean checkout in ``dest`` that is itself a git repository with one commit.

    ``pip install "course-helpers @ git+file://..."`` clones it the way Colab clones the public
    repository, so what is tested is the working tree as it is now, committed or not.
    """
    clean_checkout(dest)
    identity = ["-c", "user.name=install test", "-c", "user.email=install-test@localhost"]
    for cmd in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", *cmd], cwd=dest, check=True, capture_output=True)
    return dest


def host_pip_cache():
    """This machine's pip cache folder (pip knows where it is on each system), or None if off."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True
    )
    return done.stdout.strip() if done.returncode == 0 else None


def user_pip_config():
    """The pip settings file in this user's home folder, if there is one."""
    home = Path.home()
    for path in [
        home / ".config" / "pip" / "pip.conf",
        home / ".pip" / "pip.conf",
        home / "Library" / "Application Support" / "pip" / "pip.conf",
    ]:
        if path.is_file():
            return str(path)
    return None


def fresh_env(venv, home):
    """Environment variables for commands in ``venv``, as if activated by a new user at ``home``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "PYTHONHOME", "COURSE_DATA_DIR", "COURSE_DATA_URL"}
        and k not in {"VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV", "PIP_USER"}
        and k not in {"XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"}
        and not k.startswith(("JUPYTER", "IPYTHON", "MPL", "UV_"))
    }
    cache = host_pip_cache()
    if cache:  # the new home has no pip cache: share this machine's, so a second run is quicker
        env["PIP_CACHE_DIR"] = cache
    config = user_pip_config()
    if config and "PIP_CONFIG_FILE" not in env:  # keep a proxy or index set in the real home
        env["PIP_CONFIG_FILE"] = config
    env.update(
        HOME=str(home),  # a new learner: no Jupyter, Keras or matplotlib files yet
        VIRTUAL_ENV=str(venv),
        PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
    )
    return env


def run(cmd, env, cwd, timeout, timings, step):
    """Run ``cmd``; on failure show its output. Record the seconds it took under ``step``."""
    start = time.perf_counter()
    done = subprocess.run(
        [str(c) for c in cmd], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    timings[step] = round(time.perf_counter() - start, 1)
    assert done.returncode == 0, (
        f"{step} failed ({' '.join(map(str, cmd))}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    )
    return done


def pinned(requirements_file):
    """``{name: version}`` of the ``name==version`` lines of a requirements or constraints file."""
    pins = {}
    for line in Path(requirements_file).read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if match:
            pins[canonical(match[1])] = match[2]
    return pins


def canonical(name):
    """A distribution name as pip compares them: lower case, runs of ``-_.`` as one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def find_python(version):
    """A working interpreter for ``version`` ("3.13"), from pyenv's folder or PATH; else None.

    pyenv's shims are on PATH even for versions not selected, and fail when run: each candidate is
    tried before it is chosen.
    """
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = sorted(root.glob(f"{version}.*/bin/python{version}")) if root.is_dir() else []
    candidates = [str(c) for c in reversed(candidates)] + [shutil.which(f"python{version}")]
    for candidate in filter(None, candidates):
        works = subprocess.run([candidate, "-c", "import ensurepip, venv"], capture_output=True)
        if works.returncode == 0:
            return candidate
    return None


class DataMirror:
    """The verified datasets served over HTTP on 127.0.0.1, like a classroom's own copy.

    ``url`` is the address for ``COURSE_DATA_URL``; ``requests`` lists the paths asked for.
    """

    def __init__(self, folder):
        self.requests = []
        mirror = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):  # quiet: record instead of printing
                mirror.requests.append(self.path)

        handler = functools.partial(Handler, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def copy_datasets(dest):
    """The verified datasets ($COURSE_DATA_DIR's or data/'s, else downloaded) copied to ``dest``."""
    from course_helpers.data import fetch_all

    dest.mkdir(parents=True, exist_ok=True)
    for path in fetch_all():
        shutil.copy2(path, dest / path.name)
    return dest


def kernelspec(folder, name, python, env=None):
    """A Jupyter kernel named ``name`` run by ``python``, in ``folder`` (put it on JUPYTER_PATH)."""
    spec = folder / "kernels" / name
    spec.mkdir(parents=True)
    kernel = {
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": name,
        "language": "python",
        "env": env or {},
    }
    (spec / "kernel.json").write_text(json.dumps(kernel, indent=1))
    return folder


def notebook_report(executed):
    """Errors, stderr lines and outputs per cell of an executed notebook (nbformat dict)."""
    errors, stderr = [], []
    for index, cell in enumerate(executed["cells"]):
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                errors.append(f"cell {index}: {out['ename']}: {out['evalue']}")
            elif out["output_type"] == "stream" and out["name"] == "stderr":
                stderr.append((index, out["text"]))
    return errors, stderr


# Runs a notebook with nbclient: ``python run_notebook.py IN OUT KERNEL_NAME CELL_TIMEOUT``.
# Errors do not stop it (allow_errors), so the report shows every failing cell, not just the first.
RUN_NOTEBOOK = """
import sys
import nbclient, nbformat

source, target, kernel, timeout = sys.argv[1:5]
nb = nbformat.read(source, as_version=4)
try:
    nbclient.NotebookClient(nb, timeout=int(timeout), kernel_name=kernel, allow_errors=True,
                            resources={"metadata": {"path": "."}}).execute()
finally:
    nbformat.write(nb, target)
"""


def require(condition, message):
    """Fail (not skip) with ``message`` when a test cannot do what it is for."""
    if not condition:
        pytest.fail(message, pytrace=False)
