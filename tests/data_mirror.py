"""A mirror of the datasets on 127.0.0.1 for the download tests, and the fixtures they share.

The mirror serves the real, verified file bytes, or plays a failure: a changed file, a 404, a
connection cut half-way. ``folder`` is an empty data folder named by ``COURSE_DATA_DIR``.
"""

import contextlib
import http.server
import os
import socket
import threading
from pathlib import Path

import pytest

from course_helpers import data
from course_helpers.data import DATASETS

REPO = Path(__file__).resolve().parents[1]
BIRTHS = "daily-total-female-births"
BIRTHS_FILE = f"{BIRTHS}.csv"

# Verified copies to serve: ../shared/data beside the checkout, or the folder CI fills and names in
# COURSE_DATA_DIR (read once here, before the tests below point COURSE_DATA_DIR elsewhere).
SOURCES = [REPO.parent / "shared" / "data"]
if os.environ.get("COURSE_DATA_DIR"):
    SOURCES.append(Path(os.environ["COURSE_DATA_DIR"]))
SOURCES.append(REPO / "data")


def verified_bytes(name):
    """The bytes of a verified copy of dataset ``name``; skip the test if there is none."""
    for folder in SOURCES:
        path = folder / f"{name}.csv"
        if path.is_file() and data._sha256(path) == DATASETS[name].sha256:
            return path.read_bytes()
    pytest.skip(f"no verified copy of {name}.csv in {', '.join(map(str, SOURCES))}")


def files_in(folder):
    """Every name in ``folder``, hidden ones (``.part``, ``.lock``) included."""
    return sorted(p.name for p in Path(folder).iterdir())


def umask():
    old = os.umask(0o022)
    os.umask(old)
    return old


class MirrorHandler(http.server.BaseHTTPRequestHandler):
    """Serves ``server.files``; ``server.cut`` files are announced whole and sent half."""

    def log_message(self, *args):  # no request lines in the test output
        pass

    def do_GET(self):
        server = self.server
        name = self.path.rsplit("/", 1)[-1]
        with server.count_lock:
            server.requests.append(name)
        body = server.files.get(name)
        if body is None:
            self.send_error(404, "File not found")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if name in server.cut:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            server.sent.append(len(body) // 2)
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)  # drop the connection mid-file
            return
        half = len(body) // 2
        self.wfile.write(body[:half])
        self.wfile.flush()
        server.hold()  # the concurrency test keeps the download going until all have started
        self.wfile.write(body[half:])
        self.wfile.flush()
        server.sent.append(len(body))


@contextlib.contextmanager
def mirror(files, cut=(), hold=lambda: None):
    """Serve ``files`` ({file name: bytes}) over HTTP on a free port of 127.0.0.1.

    Yields the server; ``server.url`` is its base address and ``server.requests`` the file names
    asked for, one entry per GET.
    """
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), MirrorHandler)
    server.daemon_threads = True
    server.files, server.cut, server.hold = dict(files), set(cut), hold
    server.requests, server.sent, server.count_lock = [], [], threading.Lock()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(autouse=True)
def no_mirror_from_outside(monkeypatch):
    """Whatever the shell running the tests sets, nothing is downloaded from beyond 127.0.0.1."""
    monkeypatch.delenv("COURSE_DATA_URL", raising=False)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """An empty data folder named by COURSE_DATA_DIR; no COURSE_DATA_URL unless a test sets one."""
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("COURSE_DATA_DIR", str(path))
    monkeypatch.delenv("COURSE_DATA_URL", raising=False)
    return path.resolve()


@pytest.fixture
def births():
    return verified_bytes(BIRTHS)


@pytest.fixture
def good(births, monkeypatch):
    """A mirror holding the real births file; COURSE_DATA_URL points at it."""
    with mirror({BIRTHS_FILE: births}) as server:
        monkeypatch.setenv("COURSE_DATA_URL", server.url)
        yield server


def free_port():
    """A port of 127.0.0.1 where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
