"""The real download path of the datasets, against mirrors on 127.0.0.1 that the tests start.

Every test starts from an empty data folder (``COURSE_DATA_DIR``) and points ``COURSE_DATA_URL`` at
a small HTTP server in this process that serves the real, verified file bytes (``data_mirror``).
Here the downloads that succeed; ``test_download_failures.py`` has every way one fails.
"""

import os
import stat

import pytest
from data_mirror import (  # noqa: F401 (fixtures)
    BIRTHS,
    BIRTHS_FILE,
    births,
    files_in,
    folder,
    free_port,
    good,
    mirror,
    no_mirror_from_outside,
    umask,
    verified_bytes,
)

from course_helpers import data
from course_helpers.data import DATASETS, DatasetError, fetch, fetch_all, load_series

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
