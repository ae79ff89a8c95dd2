"""A JupyterLab server for the browser tests: started on a free port, waited for, stopped.

The server runs from this venv's Python (so its kernel is the venv's Python too) on 127.0.0.1, on a
free port with a random token, with fresh settings, workspace, runtime, data, config and IPython
folders. It serves a temporary folder: each test copies the folder of the notebook it opens there,
so autosave (also switched off) never writes into the repository. JupyterLab's news toast, update
check and extension manager are off, and every notebook has a kernelspec, so no dialog gets in the
way. The server is stopped through its process group and any kernel that outlives it by its PID.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from course_tools.classroom.hub import free_port
from course_tools.classroom.lab_page import write_lab_settings

SERVER_START_TIMEOUT = 120  # seconds; the machine may be busy
FOLDERS = ("root", "settings", "workspaces", "runtime", "data", "config", "ipython", "tmp")


def tail(path: Path, chars: int = 3000) -> str:
    """The end of a log file, or why it cannot be read."""
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError as exc:
        return f"(cannot read {path}: {exc})"


@dataclass
class Lab:
    """A running JupyterLab server: where it is, how to reach it, and what it serves."""

    url: str
    token: str
    root: Path
    log: Path
    process: subprocess.Popen

    def api(self, method: str, path: str):
        """Call the server's REST API; returns the decoded JSON (None for an empty body)."""
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def serve(self, notebook: Path) -> str:
        """Copy the notebook's folder into the served root; returns the notebook's served path."""
        target = self.root / notebook.parent.name
        shutil.copytree(
            notebook.parent,
            target,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
        )
        return f"{notebook.parent.name}/{notebook.name}"

    def page_url(self, served: str, workspace: str) -> str:
        """The notebook in a workspace of its own, so no tab of an earlier test is restored."""
        return f"{self.url}/lab/workspaces/{workspace}/tree/{served}?token={self.token}"

    def shut_down_kernels(self) -> None:
        """End every session's kernel, so the next notebook gets the CPU to itself."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def stop(self) -> None:
        """Stop the server's process group, then any of its kernels still running, by their PIDs."""
        try:
            kernels = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            kernels = []
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.process.pid, sig)  # the server was started in a session of its own
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        # Kernels run in sessions of their own; they exit with the server, this makes sure.
        _, alive = psutil.wait_procs(kernels, timeout=10)
        for kernel in alive:
            kernel.kill()
        psutil.wait_procs(alive, timeout=10)


def _command(port: int, token: str, folders: dict[str, Path]) -> list[str]:
    """The server's command line: this venv's JupyterLab on 127.0.0.1, in the fresh folders."""
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={folders['root']}",
        f"--LabApp.user_settings_dir={folders['settings']}",
        f"--LabApp.workspaces_dir={folders['workspaces']}",
        "--ServerApp.terminals_enabled=False",
        "--ServerApp.allow_root=True",  # CI runs as root
    ]


def _environment(folders: dict[str, Path]) -> dict[str, str]:
    """This process's variables, with Jupyter's and IPython's folders pointed at fresh ones."""
    return {
        **os.environ,  # COURSE_DATA_DIR reaches the kernel through here
        "JUPYTER_RUNTIME_DIR": str(folders["runtime"]),
        "JUPYTER_DATA_DIR": str(folders["data"]),  # no user kernelspecs: the venv's python3
        "JUPYTER_CONFIG_DIR": str(folders["config"]),
        "IPYTHONDIR": str(folders["ipython"]),
        "TMPDIR": str(folders["tmp"]),  # the kernel's temporary files (TensorFlow's autograph)
        "PYTHONUNBUFFERED": "1",
    }


def _wait_until_ready(lab: Lab) -> None:
    """Wait for the server's API to answer; fail with its log if it exits or stays silent."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if lab.process.poll() is not None:
            pytest.fail(
                f"JupyterLab exited with code {lab.process.returncode} while starting.\n"
                f"--- server log ({lab.log}) ---\n{tail(lab.log)}",
                pytrace=False,
            )
        try:
            lab.api("GET", "/api/status")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.25)
    pytest.fail(
        f"JupyterLab did not answer on {lab.url} within {SERVER_START_TIMEOUT} s.\n"
        f"--- server log ({lab.log}) ---\n{tail(lab.log)}",
        pytrace=False,
    )


def start_lab(base: Path, log: Path) -> Lab:
    """Start JupyterLab in fresh folders under ``base``, logging to ``log``; wait for its API."""
    folders = {name: base / name for name in FOLDERS}
    for folder in folders.values():
        folder.mkdir()
    write_lab_settings(folders["settings"])
    log.parent.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), secrets.token_hex(24)
    with log.open("w") as log_file:
        process = subprocess.Popen(
            _command(port, token, folders),
            cwd=folders["root"],
            env=_environment(folders),
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    lab = Lab(f"http://127.0.0.1:{port}", token, folders["root"], log, process)
    try:
        _wait_until_ready(lab)
    except BaseException:  # pytest.fail included: the server must not outlive the session
        lab.stop()
        raise
    return lab
