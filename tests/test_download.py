"""The real download path of the datasets, against mirrors on 127.0.0.1 that the tests start.

Every test starts from an empty data folder (``COURSE_DATA_DIR``) and points ``COURSE_DATA_URL`` at
a small HTTP server in this process that serves the real, verified file bytes, or plays a failure:
a changed file, a 404, a connection cut half-way, no server at all. After any failure the data
folder must hold nothing new: no file, no ``.part`` file, no lock file. One test runs eight real
processes that fetch the same missing file into one folder at once.
"""

import contextlib
import http.server
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pooch
import pytest

from course_helpers import data
from course_helpers.data import DATASETS, DatasetError, fetch, fetch_all, load_series

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


# --- a good download ----------------------------------------------------------------------------


def test_good_download_is_verified_and_cached(folder, good, births):
    path = fetch(BIRTHS)
    assert path == folder / BIRTHS_FILE
    assert path.read_bytes() == births
    assert files_in(folder) == [BIRTHS_FILE]  # no .part, no lock file left
    # the usual permissions, not tempfile's private 0o600: a class can share the folder
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask()
    assert good.requests == [BIRTHS_FILE]
    # the second fetch, and loading, use the verified copy: the server is not asked again
    assert fetch(BIRTHS) == path
    assert len(load_series(BIRTHS)) == 365
    assert good.requests == [BIRTHS_FILE]


def test_every_file_through_the_mirror(folder, monkeypatch):
    files = {f"{name}.csv": verified_bytes(name) for name in DATASETS}
    with mirror(files) as server:
        monkeypatch.setenv("COURSE_DATA_URL", server.url.rstrip("/"))  # with or without the /
        paths = fetch_all()
    assert [p.name for p in paths] == list(files)
    assert files_in(folder) == sorted(files)
    assert sorted(server.requests) == sorted(files)


def test_folder_is_created(tmp_path, monkeypatch, good):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "new" / "data"))
    assert fetch(BIRTHS).parent == (tmp_path / "new" / "data").resolve()


def test_file_url_mirror(folder, tmp_path, births, monkeypatch):
    """An offline site can point COURSE_DATA_URL at a folder: file:///..."""
    copies = tmp_path / "usb stick"  # a space: the address is percent-encoded
    copies.mkdir()
    (copies / BIRTHS_FILE).write_bytes(births)
    monkeypatch.setenv("COURSE_DATA_URL", copies.as_uri())
    assert fetch(BIRTHS).read_bytes() == births
    assert files_in(folder) == [BIRTHS_FILE]


def test_base_url_argument_wins_over_the_environment(folder, births, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_URL", f"http://127.0.0.1:{free_port()}/")
    with mirror({BIRTHS_FILE: births}) as server:
        assert fetch(BIRTHS, base_url=server.url).read_bytes() == births


def test_without_course_data_url_the_public_address_is_used(folder, monkeypatch):
    assert data.data_url() == data.BASE_URL
    monkeypatch.setenv("COURSE_DATA_URL", "")  # set but empty counts as unset
    assert data.data_url() == data.BASE_URL
    monkeypatch.setenv("COURSE_DATA_URL", "https://example.org/course-data")
    assert data.data_url() == "https://example.org/course-data/"


def test_each_dataset_is_fetched_from_its_public_address_without_a_mirror(folder, monkeypatch):
    asked = []
    monkeypatch.setattr(data, "_transfer", lambda url, output, progress: asked.append(url))
    for name in ("daily-total-female-births", "m4-hourly-train", "m4-hourly-test"):
        with pytest.raises(DatasetError):  # nothing was written: the hash cannot match
            fetch(name)
    m4 = "https://raw.githubusercontent.com/Mcompetitions/M4-methods/master/Dataset/"
    assert asked == [
        data.BASE_URL + "daily-total-female-births.csv",
        m4 + "Train/Hourly-train.csv",
        m4 + "Test/Hourly-test.csv",
    ]


def test_a_mirror_serves_the_m4_files_under_their_registry_names(folder, monkeypatch):
    files = {f"{name}.csv": verified_bytes(name) for name in ("m4-hourly-train", "m4-hourly-test")}
    with mirror(files) as server:
        monkeypatch.setenv("COURSE_DATA_URL", server.url)
        assert fetch("m4-hourly-test").read_bytes() == files["m4-hourly-test.csv"]
    assert server.requests == ["m4-hourly-test.csv"]


def test_stale_copy_is_replaced_from_the_mirror(folder, good, births):
    (folder / BIRTHS_FILE).write_text('"Date","Births"\n"1959-01-01",35\n')  # an old, short copy
    assert fetch(BIRTHS).read_bytes() == births
    assert files_in(folder) == [BIRTHS_FILE]


# --- failures leave nothing behind ---------------------------------------------------------------


def test_wrong_content_is_rejected_and_nothing_kept(folder, births, monkeypatch):
    changed = births.replace(b'"1959-01-01",35', b'"1959-01-01",53')  # same length, one figure
    assert changed != births and len(changed) == len(births)
    with mirror({BIRTHS_FILE: changed}) as server:
        monkeypatch.setenv("COURSE_DATA_URL", server.url)
        with pytest.raises(DatasetError) as info:
            fetch(BIRTHS)
    message = str(info.value)
    assert f"downloaded from {server.url}{BIRTHS_FILE} does not match its known sha256" in message
    assert DATASETS[BIRTHS].sha256 in message
    assert "discarded and not used, and nothing was kept" in message
    assert files_in(folder) == []  # no file, no .part, no lock


def test_wrong_content_does_not_replace_a_stale_copy(folder, births, monkeypatch):
    (folder / BIRTHS_FILE).write_text("old\n")
    with mirror({BIRTHS_FILE: births[:-1] + b"9"}) as server:
        monkeypatch.setenv("COURSE_DATA_URL", server.url)
        with pytest.raises(DatasetError, match="does not match its known sha256"):
            fetch(BIRTHS)
    assert files_in(folder) == [BIRTHS_FILE]
    assert (folder / BIRTHS_FILE).read_text() == "old\n"


def test_404_names_the_address_and_what_to_do(folder, monkeypatch):
    with mirror({}) as server:
        monkeypatch.setenv("COURSE_DATA_URL", server.url)
        with pytest.raises(DatasetError) as info:
            fetch(BIRTHS)
    message = str(info.value)
    assert message.startswith(f"Could not download {BIRTHS_FILE} from {server.url}{BIRTHS_FILE}")
    assert "404" in message
    assert f"COURSE_DATA_URL='{server.url}'" in message  # where the address came from
    assert "unset it to download from the public address" in message
    assert f"copy the file by hand to {folder / BIRTHS_FILE}" in message
    assert "COURSE_DATA_DIR" in message
    assert "Traceback" not in message and "HTTPError" not in message
    assert files_in(folder) == []


def test_refused_connection_is_a_clear_error(folder, monkeypatch):
    url = f"http://127.0.0.1:{free_port()}/"
    monkeypatch.setenv("COURSE_DATA_URL", url)
    with pytest.raises(DatasetError) as info:
        fetch(BIRTHS)
    message = str(info.value)
    assert f"Could not download {BIRTHS_FILE} from {url}{BIRTHS_FILE}" in message
    assert "the connection was refused" in message
    assert "HTTPConnectionPool" not in message  # not requests' raw text
    assert files_in(folder) == []


def test_stale_copy_is_reported_not_used_when_the_mirror_is_down(folder, monkeypatch):
    stale = folder / BIRTHS_FILE
    stale.write_text('"Date","Births"\n"1959-01-01",35\n')
    monkeypatch.setenv("COURSE_DATA_URL", f"http://127.0.0.1:{free_port()}/")
    with pytest.raises(DatasetError) as info:
        load_series(BIRTHS)
    assert f"The copy already at {stale} does not match its sha256 and was not used" in str(
        info.value
    )
    assert files_in(folder) == [BIRTHS_FILE]


def test_transfer_cut_half_way_leaves_nothing(folder, births, monkeypatch):
    with mirror({BIRTHS_FILE: births}, cut={BIRTHS_FILE}) as server:
        monkeypatch.setenv("COURSE_DATA_URL", server.url)
        with pytest.raises(DatasetError) as info:
            fetch(BIRTHS)
    assert server.sent == [len(births) // 2]  # the server really sent half the file and hung up
    assert "the connection was cut before the whole file arrived" in str(info.value)
    assert files_in(folder) == []


def test_ctrl_c_during_a_download_leaves_nothing(folder, good, monkeypatch):
    """Ctrl-C (or a kernel interrupt) in the middle of a download removes the half-written file."""

    class InterruptedDownloader(pooch.HTTPDownloader):
        def __call__(self, url, output_file, pooch_, check_only=False):
            Path(output_file).write_bytes(b'"Date","Births"\n"1959-01-01",3')  # part of the file
            raise KeyboardInterrupt

    monkeypatch.setattr(data.pooch, "HTTPDownloader", InterruptedDownloader)
    with pytest.raises(KeyboardInterrupt):
        fetch(BIRTHS)
    assert files_in(folder) == []


def test_leftovers_of_a_killed_download_are_cleared(folder, good, births):
    """A process killed mid-download (no Ctrl-C handler runs) leaves a .part file and its lock."""
    (folder / f".{BIRTHS_FILE}.0123456789ab.part").write_bytes(births[:100])
    (folder / f".{BIRTHS_FILE}.lock").touch()
    assert fetch(BIRTHS).read_bytes() == births
    assert files_in(folder) == [BIRTHS_FILE]


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/course-data/",
        "example.org/course-data",  # no scheme
        "/srv/course-data",  # a folder, not an address
        "C:\\course-data",
        "https:///course-data/",  # no host
    ],
)
def test_bad_course_data_url_is_a_clear_error(folder, monkeypatch, url):
    monkeypatch.setenv("COURSE_DATA_URL", url)
    with pytest.raises(DatasetError) as info:
        fetch(BIRTHS)
    message = str(info.value)
    assert message.startswith(f"COURSE_DATA_URL={url!r} is not an address")
    assert "http://, https:// or file://" in message
    assert "file:///srv/course-data/" in message  # an example of the right form
    assert "Fix or unset COURSE_DATA_URL" in message
    assert files_in(folder) == []


def test_bad_base_url_argument_is_a_clear_error(folder):
    with pytest.raises(DatasetError, match="The address 'www.example.org' is not an address"):
        fetch(BIRTHS, base_url="www.example.org")


def test_bad_course_data_url_does_not_matter_when_the_copy_is_verified(folder, births, monkeypatch):
    (folder / BIRTHS_FILE).write_bytes(births)
    monkeypatch.setenv("COURSE_DATA_URL", "nonsense")
    assert fetch(BIRTHS) == folder / BIRTHS_FILE


def test_data_folder_that_cannot_be_created(tmp_path, monkeypatch, good):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COURSE_DATA_DIR", str(blocker / "data"))
    with pytest.raises(DatasetError, match="Cannot create the data folder .*COURSE_DATA_DIR"):
        fetch(BIRTHS)


# --- where the data goes without COURSE_DATA_DIR --------------------------------------------------


def test_installed_package_downloads_into_the_user_cache(tmp_path, monkeypatch, good, births):
    """A non-editable install (Colab, a hub image): the user's cache, never site-packages."""
    site = tmp_path / "venv" / "lib" / "python3.12" / "site-packages"
    monkeypatch.setattr(data, "__file__", str(site / "course_helpers" / "data.py"))
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.setattr(data.pooch, "os_cache", lambda name: tmp_path / "cache" / name)
    path = fetch(BIRTHS)
    assert path == tmp_path / "cache" / "course-helpers" / BIRTHS_FILE
    assert path.read_bytes() == births
    assert not site.exists()


# --- eight processes at once -------------------------------------------------------------------

# One driver process loads course_helpers/data.py on its own (pandas and pooch: all fetch() needs;
# the package would start TensorFlow), then forks eight children (real processes, each with its own
# memory and connections). They block on a pipe until all eight exist, then fetch at once.
DRIVER = """
import importlib.util, os, sys, time
from pathlib import Path
import requests  # what pooch imports on its first download; loaded once, before the fork
spec = importlib.util.spec_from_file_location("course_data", sys.argv[1])
data = sys.modules["course_data"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(data)
signals, n = Path(sys.argv[2]), int(sys.argv[3])
start_r, start_w = os.pipe()
children = []
for i in range(n):
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(start_w)
            os.read(start_r, 1)  # wait for the start: all n children exist
            (signals / f"started-{i}").touch()
            os.write(1, f"{data.fetch('daily-total-female-births')}\\n".encode())
            code = 0
        except BaseException as exc:
            os.write(2, f"child {i}: {type(exc).__name__}: {exc}\\n".encode())
        finally:
            os._exit(code)
    children.append(pid)
os.write(start_w, b"x" * n)
failed = sum(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0 for pid in children)
sys.exit(failed)
"""


@pytest.mark.skipif(data.fcntl is None, reason="no fork and no flock here")
def test_eight_processes_fetch_one_missing_file_at_once(folder, tmp_path, births):
    """All succeed, one download, one verified file and nothing else in the folder.

    The server sends half the file and then waits until every process has started its fetch, so
    the eight fetches really overlap: the first one downloads, the seven others wait for it.
    """
    signals = tmp_path / "signals"
    signals.mkdir()
    n = 8

    def hold():  # keep the first download open until all n processes are inside fetch()
        deadline = time.monotonic() + 30
        while len(list(signals.glob("started-*"))) < n and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)  # time for the last ones to reach the lock

    with mirror({BIRTHS_FILE: births}, hold=hold) as server:
        done = subprocess.run(
            [sys.executable, "-c", DRIVER, data.__file__, str(signals), str(n)],
            env={**os.environ, "COURSE_DATA_DIR": str(folder), "COURSE_DATA_URL": server.url},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr  # the number of processes that failed
    assert done.stderr == ""
    assert done.stdout.splitlines() == [str(folder / BIRTHS_FILE)] * n
    assert len(list(signals.glob("started-*"))) == n
    assert server.requests == [BIRTHS_FILE]  # one process downloaded; the others used its copy
    assert files_in(folder) == [BIRTHS_FILE]  # no .part files, no lock file
    assert (folder / BIRTHS_FILE).read_bytes() == births


# --- the command line ----------------------------------------------------------------------------


def run_data_command(folder, url):
    env = {**os.environ, "COURSE_DATA_DIR": str(folder), "COURSE_DATA_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "course_helpers.download"],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_command_line_with_a_404_mirror_prints_one_error(folder):
    """``python -m course_helpers.download`` (make data, make lab): the message, no traceback."""
    with mirror({}) as server:
        done = run_data_command(folder, server.url)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    error = f"error: Could not download {BIRTHS_FILE} from {server.url}{BIRTHS_FILE}"
    assert error in done.stderr
    assert "404" in done.stderr
    assert files_in(folder) == []
    assert done.stderr.startswith(error), (
        "python -m course_helpers.download printed more than its error message; "
        "a RuntimeWarning from runpy means course_helpers/__init__.py imports .data eagerly:\n"
        + done.stderr
    )
