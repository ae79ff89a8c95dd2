"""Every way a dataset download fails, and that a failure leaves nothing behind.

A changed file, a 404, a refused connection, a transfer cut half-way, Ctrl-C, a bad address, a
folder that cannot be made: each gets one clear error, and the data folder holds nothing new (no
file, no ``.part`` file, no lock file). One test runs eight real processes that fetch the same
missing file into one folder at once; one runs the command line.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pooch
import pytest
from data_mirror import (  # noqa: F401 (fixtures)
    BIRTHS,
    BIRTHS_FILE,
    REPO,
    births,
    files_in,
    folder,
    free_port,
    good,
    mirror,
    no_mirror_from_outside,
)

from course_helpers import data
from course_helpers.data import DATASETS, DatasetError, fetch, load_series

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
