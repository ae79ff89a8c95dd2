"""A JupyterHub for a class on this machine, started and stopped from Python.

:class:`LocalHub` runs ``classroom/jupyterhub_config.py`` (the README's single-machine hub) on
127.0.0.1 at free ports, with its state, the learners' home folders, a read-only copy of the
datasets and the served course repository all in one temporary folder, and stops everything it
started at the end, even after a failure. The proxy is ``configurable-http-proxy`` from
``classroom/node_modules`` (``npm ci --prefix classroom``).

When run as root the hub keeps root's user but loses the capabilities that let root ignore file
permissions (``setpriv``, ``CAP_DAC_OVERRIDE``), so the ``chmod``-ed data folder is read-only to
every learner's kernel, as it would be to an ordinary user.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

from .learners import Learner, course_link

__all__ = ["REPO", "LocalHub", "commit_all", "fingerprint", "served_copy"]

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "classroom" / "jupyterhub_config.py"
PROXY = REPO / "classroom" / "node_modules" / ".bin" / "configurable-http-proxy"
COURSE_NAME = "dl-forecasting-course"  # the folder nbgitpuller clones into, as from GitHub
DROP_ROOT_OVERRIDE = [
    "setpriv",
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
]
GIT_AS = ["-c", "user.name=Instructor", "-c", "user.email=instructor@example.org"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def git(folder: Path, *args: str) -> str:
    """Run git in ``folder``; returns its output, raises on failure."""
    done = subprocess.run(
        ["git", *GIT_AS, *args], cwd=folder, capture_output=True, text=True, timeout=120
    )
    if done.returncode:
        raise RuntimeError(f"git {' '.join(args)} failed in {folder}:\n{done.stderr}")
    return done.stdout


def copy_checkout(source: Path, dest: Path) -> Path:
    """Copy what a fresh clone of ``source`` would hold (tracked or new, not ignored) to ``dest``.

    Files come from the working tree, so uncommitted work is copied too; files deleted but not yet
    staged are skipped. Returns ``dest``.
    """
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=source,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listing.split("\0")):
        path = Path(source) / name
        if path.is_file():
            (Path(dest) / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, Path(dest) / name)
    return Path(dest)


def served_copy(target: Path, source: Path = REPO) -> Path:
    """The course as the instructor publishes it: a git repository of ``source``'s files.

    Takes the files git would (tracked and untracked, not ignored) from ``source``'s working tree,
    so uncommitted work is served too, into ``target/dl-forecasting-course`` with one commit on
    ``main``. Returns that folder.
    """
    folder = copy_checkout(source, target / COURSE_NAME)
    git(folder, "init", "-q", "-b", "main")
    commit_all(folder, "The course as published")
    return folder


def commit_all(folder: Path, message: str) -> None:
    """Commit every change in the repository at ``folder`` as the instructor."""
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", message)


def fingerprint(folder: Path) -> dict[str, str]:
    """Each file's name in ``folder`` with its sha256: to see that nothing was changed."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def read_only_copy(source: Path, target: Path) -> Path:
    """Copy the datasets (``*.csv``) of ``source`` into ``target`` and make it read-only."""
    target.mkdir(parents=True)
    for csv in sorted(source.glob("*.csv")):
        shutil.copy2(csv, target / csv.name)
        (target / csv.name).chmod(0o444)
    target.chmod(0o555)
    return target


class LocalHub:
    """The single-machine hub of ``classroom/jupyterhub_config.py`` in a temporary folder.

    ``LocalHub(data_source, users)`` prepares the folder; ``with hub:`` starts the hub and stops
    it (and every server and kernel it started) on leaving. ``hub.link(notebook)`` is the
    course's nbgitpuller link, ``hub.learner(name)`` a :class:`Learner` for it.
    """

    def __init__(self, data_source: Path, users: list[str], base: Path | None = None):
        self.base = Path(base or tempfile.mkdtemp(prefix="course-hub-"))
        self.users = users
        self.password = secrets.token_urlsafe(12)
        self.instructor_token = secrets.token_hex(24)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.homes = self.base / "homes"
        self.state = self.base / "state"
        self.log = self.base / "jupyterhub.log"
        for folder in (self.homes, self.state):
            folder.mkdir(parents=True, exist_ok=True)
        self.data_dir = read_only_copy(Path(data_source), self.base / "shared-data")
        self.repo = served_copy(self.base / "served")
        self.process: subprocess.Popen | None = None
        self._started: list[psutil.Process] = []

    @property
    def enforces_read_only(self) -> bool:
        """True when the learners' kernels cannot write to the chmod-ed data folder."""
        return os.geteuid() != 0 or shutil.which("setpriv") is not None

    def environment(self) -> dict[str, str]:
        """The variables ``jupyterhub_config.py`` reads, for this hub."""
        return {
            "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.state),
            "LANG": os.environ.get("LANG", "C.UTF-8"),
            "COURSE_HUB_PASSWORD": self.password,
            "COURSE_HUB_USERS": ",".join(self.users),
            "COURSE_HUB_STATE": str(self.state),
            "COURSE_HUB_HOMES": str(self.homes),
            "COURSE_HUB_IP": "127.0.0.1",
            "COURSE_HUB_PORT": str(self.port),
            "COURSE_HUB_API_PORT": str(free_port()),
            "COURSE_HUB_PROXY_API_PORT": str(free_port()),
            "COURSE_HUB_PROXY": str(PROXY),
            "COURSE_HUB_INSTRUCTOR_TOKEN": self.instructor_token,
            "COURSE_DATA_DIR": str(self.data_dir),
        }

    def start(self, timeout: float = 120) -> None:
        """Start JupyterHub and wait until its API answers."""
        if not PROXY.exists():
            raise RuntimeError(f"{PROXY} is missing: run `npm ci --prefix classroom` first")
        command = [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(CONFIG)]
        if os.geteuid() == 0 and shutil.which("setpriv"):
            command = DROP_ROOT_OVERRIDE + command
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.state,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited while starting:\n{self.log_tail()}")
            try:
                self.api("GET", "/hub/api/")
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError(f"JupyterHub did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def api(self, method: str, path: str):
        """Call the hub's REST API as the instructor's service; returns the decoded JSON."""
        request = urllib.request.Request(
            self.url + path,
            method=method,
            headers={"Authorization": f"token {self.instructor_token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def processes(self) -> list[psutil.Process]:
        """The hub and everything it started that still runs (proxy, servers, kernels)."""
        if self.process is None:
            return []
        try:
            hub = psutil.Process(self.process.pid)
            found = [hub, *hub.children(recursive=True)]
        except psutil.NoSuchProcess:
            found = []
        known = {p.pid for p in found}
        seen = {p.pid for p in self._started}
        self._started += [p for p in found if p.pid not in seen]  # orphans are still ours
        return found + [p for p in self._started if p.pid not in known and p.is_running()]

    def kernels(self) -> dict[str, list[psutil.Process]]:
        """Each learner's running kernels, found by their working folder in the learner's home."""
        found: dict[str, list[psutil.Process]] = {}
        for process in self.processes():
            try:
                if "ipykernel_launcher" not in " ".join(process.cmdline()):
                    continue
                relative = Path(process.cwd()).relative_to(self.homes)
            except (psutil.Error, ValueError):
                continue
            found.setdefault(relative.parts[0], []).append(process)
        return found

    def link(self, notebook: str) -> str:
        """The course's nbgitpuller link on this hub, opening ``notebook`` (a repo path)."""
        return course_link(self.url, f"file://{self.repo}", notebook)

    def learner(self, name: str) -> Learner:
        """A learner of this hub (see :class:`course_tools.classroom.learners.Learner`)."""
        return Learner(self.url, name, self.password)

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the hub's log (hub, proxy and single-user servers)."""
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError as exc:
            return f"(no log: {exc})"

    def stop(self) -> None:
        """Stop the hub (which stops the servers), then anything of it still running."""
        if self.process is None:
            return
        leftovers = self.processes()
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        _, alive = psutil.wait_procs(leftovers, timeout=15)
        for process in alive:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(alive, timeout=10)
        self.process = None

    def __enter__(self) -> LocalHub:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def remove(self) -> None:
        """Delete the temporary folder (the read-only data folder is made writable first)."""
        if self.data_dir.exists():
            self.data_dir.chmod(0o755)
        shutil.rmtree(self.base, ignore_errors=True)
