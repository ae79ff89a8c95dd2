"""Fetching, verifying and loading the datasets, against a local HTTP server on 127.0.0.1.

The server plays every situation a learner can meet: the real file, a file whose bytes changed on
the way, a missing file (404), a connection cut half-way and no server at all. After any failure
the cache folder must hold nothing new: no partial file, no temporary file.
"""

import contextlib
import functools
import http.server
import re
import shutil
import socket
import threading
from pathlib import Path

import pandas as pd
import pooch
import pytest

from course_helpers import data
from course_helpers.data import (
    DATASETS,
    DatasetError,
    data_dir,
    fetch,
    fetch_all,
    load_frame,
    load_series,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
BIRTHS = "daily-total-female-births"
BIRTHS_FILE = f"{BIRTHS}.csv"


def shared_copy(name):
    """A verified copy of a dataset: the shared folder, else the COURSE_DATA_DIR CI filled."""
    for folder in (SHARED, data_dir()):
        path = folder / f"{name}.csv"
        if path.exists() and data._sha256(path) == DATASETS[name].sha256:
            return path
    pytest.skip(f"no verified copy of {name}.csv in {SHARED} or {data_dir()}")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no request lines in the test output
        pass


class TruncatingHandler(QuietHandler):
    """Announces the whole file, sends half of it, then drops the connection."""

    def do_GET(self):
        body = Path(self.directory, self.path.lstrip("/")).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self.close_connection = True


@contextlib.contextmanager
def serve(directory, handler=QuietHandler):
    """Serve ``directory`` over HTTP on a free port of 127.0.0.1; yield the base URL."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def good_url(tmp_path_factory):
    """A server holding the six real files."""
    folder = tmp_path_factory.mktemp("good_server")
    for name in DATASETS:
        shutil.copy(shared_copy(name), folder / f"{name}.csv")
    with serve(folder) as url:
        yield url


@pytest.fixture(scope="module")
def corrupt_url(tmp_path_factory):
    """A server whose births file has one figure changed (same length, different bytes)."""
    folder = tmp_path_factory.mktemp("corrupt_server")
    text = shared_copy(BIRTHS).read_bytes()
    corrupted = text.replace(b'"1959-01-01",35', b'"1959-01-01",53')
    assert corrupted != text and len(corrupted) == len(text)
    (folder / BIRTHS_FILE).write_bytes(corrupted)
    with serve(folder) as url:
        yield url


@pytest.fixture(scope="module")
def empty_url(tmp_path_factory):
    """A server that answers 404 for every file."""
    with serve(tmp_path_factory.mktemp("empty_server")) as url:
        yield url


@pytest.fixture(scope="module")
def truncating_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("truncating_server")
    shutil.copy(shared_copy(BIRTHS), folder / BIRTHS_FILE)
    with serve(folder, TruncatingHandler) as url:
        yield url


@pytest.fixture
def refused_url():
    """An address where nothing listens: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def cache(tmp_path_factory, good_url):
    """A cache folder filled by fetch_all from the good server."""
    folder = tmp_path_factory.mktemp("cache")
    paths = fetch_all(folder=folder, base_url=good_url)
    assert [p.name for p in paths] == [f"{name}.csv" for name in DATASETS]
    return folder


def files_in(folder):
    return sorted(p.name for p in Path(folder).iterdir())


# --- fetching -----------------------------------------------------------------------------------


def test_fetch_downloads_and_verifies(tmp_path, good_url):
    path = fetch(BIRTHS, folder=tmp_path, base_url=good_url, progress=False)
    assert path == tmp_path / BIRTHS_FILE
    assert data._sha256(path) == DATASETS[BIRTHS].sha256
    assert path.read_bytes() == shared_copy(BIRTHS).read_bytes()
    assert files_in(tmp_path) == [BIRTHS_FILE]  # nothing else left behind


def test_fetch_creates_the_folder_and_reuses_the_verified_copy(tmp_path, good_url, refused_url):
    folder = tmp_path / "new" / "data"
    path = fetch(BIRTHS, folder=folder, base_url=good_url, progress=False)
    assert path.exists()
    # a second call needs no server: the verified copy is used as it is
    assert fetch(BIRTHS, folder=folder, base_url=refused_url) == path


def test_corrupted_download_is_refused_and_leaves_nothing(tmp_path, corrupt_url):
    with pytest.raises(DatasetError) as info:
        fetch(BIRTHS, folder=tmp_path, base_url=corrupt_url, progress=False)
    message = str(info.value)
    assert "does not match its known sha256" in message
    assert DATASETS[BIRTHS].sha256 in message
    assert "discarded and not used" in message
    assert f"{corrupt_url}{BIRTHS_FILE}" in message
    assert files_in(tmp_path) == []  # no file, no partial file, no temporary file


def test_connection_cut_half_way_leaves_nothing(tmp_path, truncating_url):
    with pytest.raises(DatasetError, match=BIRTHS_FILE):
        fetch(BIRTHS, folder=tmp_path, base_url=truncating_url, progress=False)
    assert files_in(tmp_path) == []


def test_interrupted_download_leaves_nothing(tmp_path, good_url, monkeypatch):
    """Ctrl-C (or a kernel interrupt) in the middle of a download removes the half-written file."""

    class InterruptedDownloader(pooch.HTTPDownloader):
        def __call__(self, url, output_file, pooch_, check_only=False):
            Path(output_file).write_bytes(b'"Date","Births"\n"1959-01-01",3')  # part of the file
            raise KeyboardInterrupt

    monkeypatch.setattr(data.pooch, "HTTPDownloader", InterruptedDownloader)
    with pytest.raises(KeyboardInterrupt):
        fetch(BIRTHS, folder=tmp_path, base_url=good_url, progress=False)
    assert files_in(tmp_path) == []


@pytest.mark.parametrize("server", ["refused", "404"])
def test_no_download_says_which_file_from_where_and_what_to_do(
    tmp_path, server, refused_url, empty_url
):
    base_url = refused_url if server == "refused" else empty_url
    with pytest.raises(DatasetError) as info:
        fetch(BIRTHS, folder=tmp_path, base_url=base_url, progress=False)
    message = str(info.value)
    assert f"Could not download {BIRTHS_FILE} from {base_url}{BIRTHS_FILE}" in message
    assert f"copy the file by hand to {tmp_path / BIRTHS_FILE}" in message
    assert "COURSE_DATA_DIR" in message
    if server == "404":
        assert "404" in message
    assert files_in(tmp_path) == []


def test_stale_corrupted_copy_is_replaced_from_the_server(tmp_path, good_url):
    stale = tmp_path / BIRTHS_FILE
    stale.write_text('"Date","Births"\n"1959-01-01",35\n')  # an old, cut-short copy
    path = fetch(BIRTHS, folder=tmp_path, base_url=good_url, progress=False)
    assert path == stale
    assert data._sha256(path) == DATASETS[BIRTHS].sha256
    assert files_in(tmp_path) == [BIRTHS_FILE]
    assert len(load_series(BIRTHS, folder=tmp_path, base_url=good_url)) == 365


def test_stale_corrupted_copy_is_reported_not_used_when_offline(tmp_path, refused_url):
    stale = tmp_path / BIRTHS_FILE
    stale.write_text('"Date","Births"\n"1959-01-01",35\n')
    with pytest.raises(DatasetError) as info:
        load_series(BIRTHS, folder=tmp_path, base_url=refused_url)
    message = str(info.value)
    assert f"The copy already at {stale} does not match its sha256 and was not used" in message
    assert "COURSE_DATA_DIR" in message
    assert files_in(tmp_path) == [BIRTHS_FILE]  # nothing added beside it


def test_stale_copy_and_corrupted_download_leave_nothing_new(tmp_path, corrupt_url):
    stale = tmp_path / BIRTHS_FILE
    stale.write_text("old\n")
    with pytest.raises(DatasetError, match="not used"):
        fetch(BIRTHS, folder=tmp_path, base_url=corrupt_url, progress=False)
    assert files_in(tmp_path) == [BIRTHS_FILE]
    assert stale.read_text() == "old\n"  # the corrupted download never replaced it


def test_unknown_dataset_lists_the_known_names(tmp_path):
    for call in (fetch, load_series, load_frame):
        with pytest.raises(ValueError, match="Unknown dataset 'births'") as info:
            call("births", folder=tmp_path)
        for name in DATASETS:
            assert name in str(info.value)


def test_course_data_dir_is_honoured(tmp_path, monkeypatch, good_url, refused_url):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "class"))
    assert data_dir() == (tmp_path / "class").resolve()
    path = fetch(BIRTHS, base_url=good_url, progress=False)
    assert path == (tmp_path / "class" / BIRTHS_FILE).resolve()
    # offline from now on: loading without a folder reads the verified copy in COURSE_DATA_DIR
    assert len(load_series(BIRTHS, base_url=refused_url)) == 365
    with pytest.raises(DatasetError, match=re.escape(str((tmp_path / "class").resolve()))):
        fetch("monthly-car-sales", base_url=refused_url)


def test_default_data_dir_is_the_project_data_folder(monkeypatch):
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    assert data_dir() == Path(__file__).resolve().parents[1] / "data"


# --- loading ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(DATASETS))
def test_load_series_float_values_on_a_datetime_index(cache, name):
    series = load_series(name, folder=cache)
    assert isinstance(series, pd.Series)
    assert isinstance(series.index, pd.DatetimeIndex)
    assert series.index.is_monotonic_increasing and series.index.is_unique
    assert series.dtype == float
    assert series.name == DATASETS[name].value_column


EXPECTED = {  # name: (rows, first timestamp, last timestamp, inferred frequency)
    "daily-total-female-births": (365, "1959-01-01", "1959-12-31", "D"),
    "daily-min-temperatures": (3650, "1981-01-01", "1990-12-31", None),  # two 31 Decembers missing
    "monthly-airline-passengers": (144, "1949-01-01", "1960-12-01", "MS"),
    "monthly-car-sales": (108, "1960-01-01", "1968-12-01", "MS"),
    "monthly-shampoo-sales": (36, "1901-01-01", "1903-12-01", "MS"),
    "pollution": (43824, "2010-01-01 00:00", "2014-12-31 23:00", "h"),
}


@pytest.mark.parametrize("name", list(DATASETS))
def test_load_series_rows_dates_and_frequency(cache, name):
    rows, first, last, freq = EXPECTED[name]
    series = load_series(name, folder=cache)
    assert len(series) == rows
    assert series.index[0] == pd.Timestamp(first)
    assert series.index[-1] == pd.Timestamp(last)
    assert series.index.freqstr == freq
    if DATASETS[name].monthly:
        assert series.index.is_month_start.all()


def test_births_values_match_the_file(cache):
    births = load_series(folder=cache)  # the default dataset
    assert births.name == "Births"
    assert births.iloc[:3].tolist() == [35.0, 32.0, 30.0]
    raw = pd.read_csv(cache / BIRTHS_FILE)
    assert births.tolist() == raw["Births"].astype(float).tolist()
    assert births.index.equals(pd.DatetimeIndex(pd.to_datetime(raw["Date"]), name="date"))


def test_shampoo_years_are_1901_to_1903(cache):
    shampoo = load_series("monthly-shampoo-sales", folder=cache)
    assert sorted(set(shampoo.index.year)) == [1901, 1902, 1903]
    assert shampoo.iloc[0] == 266.0  # "1-01" in the file is January of year 1


def test_pollution_frame_hourly_index_and_missing_values(cache):
    frame = load_frame("pollution", folder=cache)
    assert isinstance(frame.index, pd.DatetimeIndex)
    assert frame.index.freqstr == "h"
    assert frame.index[0] == pd.Timestamp("2010-01-01 00:00")
    assert frame.index[1] - frame.index[0] == pd.Timedelta(hours=1)
    assert {"No", "year", "month", "day", "hour"}.isdisjoint(frame.columns)
    assert {"pm2.5", "DEWP", "TEMP", "PRES", "cbwd", "Iws", "Is", "Ir"} <= set(frame.columns)
    assert frame["pm2.5"].dtype == float
    assert frame["pm2.5"].isna().sum() > 0  # missing values stay missing
    raw = pd.read_csv(cache / "pollution.csv", nrows=30)
    row = raw.iloc[25]  # 2010-01-02 01:00
    assert frame.index[25] == pd.Timestamp(
        int(row.year), int(row.month), int(row.day), int(row.hour)
    )
    assert frame["pm2.5"].iloc[25] == row["pm2.5"]


def test_load_frame_single_series_has_one_value_column(cache):
    frame = load_frame("monthly-airline-passengers", folder=cache)
    assert list(frame.columns) == ["Passengers"]
    assert frame.index.name == "date"


def test_command_line_fetch_reports_a_failure_without_a_traceback(tmp_path, monkeypatch, capsys):
    """`python -m course_helpers.data` (make lab, make test, Binder) ends with the message only."""
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(data, "BASE_URL", "http://127.0.0.1:9/")  # nothing listens on port 9
    with pytest.raises(SystemExit) as stopped:
        data.main()
    message = str(stopped.value.code)
    assert message.startswith("error: Could not download daily-total-female-births.csv")
    assert "COURSE_DATA_DIR" in message
    assert list(tmp_path.iterdir()) == []


def test_command_line_fetch_lists_every_verified_file(tmp_path, monkeypatch, capsys):
    for name in data.DATASETS:
        shutil.copy(shared_copy(name), tmp_path)
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    data.main()
    printed = capsys.readouterr().out.splitlines()
    assert printed == [f"ok  {tmp_path / (name + '.csv')}" for name in data.DATASETS]
