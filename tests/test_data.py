"""The dataset registry, where the data folder is, and loading the datasets into pandas.

Downloading (mirrors, failures, several processes at once) is tested in ``test_download.py``;
the loading tests here read a folder of verified copies and never touch the network.
"""

import os
import shutil
from pathlib import Path

import pandas as pd
import pooch
import pytest

from course_helpers import data, download
from course_helpers.data import (
    DATASETS,
    data_dir,
    default_data_dir,
    load_frame,
    load_series,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
BIRTHS = "daily-total-female-births"
BIRTHS_FILE = f"{BIRTHS}.csv"
SERIES = [name for name, ds in DATASETS.items() if ds.value_column]  # not the M4 tables


def shared_copy(name):
    """A verified copy of a dataset: the shared folder, else the COURSE_DATA_DIR CI filled."""
    for folder in (SHARED, data_dir()):
        path = folder / f"{name}.csv"
        if path.exists() and data._sha256(path) == DATASETS[name].sha256:
            return path
    pytest.skip(f"no verified copy of {name}.csv in {SHARED} or {data_dir()}")


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A data folder holding verified copies of the six files."""
    folder = tmp_path_factory.mktemp("cache")
    for name in DATASETS:
        shutil.copy(shared_copy(name), folder / f"{name}.csv")
    return folder


def test_unknown_dataset_lists_the_known_names(tmp_path):
    for call in (data.fetch, load_series, load_frame):
        with pytest.raises(ValueError, match="Unknown dataset 'births'") as info:
            call("births", folder=tmp_path)
        for name in DATASETS:
            assert name in str(info.value)


# --- where the data folder is -------------------------------------------------------------------


def test_course_data_dir_always_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "class"))
    assert data_dir() == (tmp_path / "class").resolve()
    monkeypatch.setenv("COURSE_DATA_DIR", "~/course-data")
    assert data_dir() == Path("~/course-data").expanduser().resolve()


def test_source_checkout_uses_its_data_folder(monkeypatch):
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    assert data_dir() == REPO / "data"
    assert default_data_dir(REPO / "course_helpers") == REPO / "data"


def test_a_checkout_is_recognised_by_pyproject_and_data_readme(tmp_path):
    project = tmp_path / "course"
    (project / "data").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\n")
    assert default_data_dir(project / "course_helpers") == pooch.os_cache("course-helpers")
    (project / "data" / "README.md").write_text("# Data\n")
    assert default_data_dir(project / "course_helpers") == project / "data"


def test_installed_package_uses_the_user_cache_folder(tmp_path, monkeypatch):
    """A non-editable install: the user's cache folder, never inside site-packages."""
    site = tmp_path / "venv" / "lib" / "python3.12" / "site-packages"
    (site / "course_helpers").mkdir(parents=True)
    (site / "data").mkdir()  # even with a stray data/ (and pyproject.toml) beside the package
    (site / "pyproject.toml").write_text("")
    monkeypatch.setattr(data, "__file__", str(site / "course_helpers" / "data.py"))
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    expected = Path(pooch.os_cache("course-helpers")).expanduser()
    assert data_dir() == expected
    assert site not in expected.parents
    if os.name == "posix" and "XDG_CACHE_HOME" not in os.environ and os.uname().sysname == "Linux":
        assert expected == Path.home() / ".cache" / "course-helpers"
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "class"))
    assert data_dir() == (tmp_path / "class").resolve()  # the variable still wins


# --- loading ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SERIES)
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


@pytest.mark.parametrize("name", SERIES)
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


def test_m4_files_load_as_tables_of_series_one_a_row(cache):
    train, test = (
        load_frame("m4-hourly-train", folder=cache),
        load_frame("m4-hourly-test", folder=cache),
    )
    assert train.shape == (414, 960) and test.shape == (414, 48)
    assert list(train.index[:2]) == ["H1", "H2"] and train.index.equals(test.index)
    assert sorted(train.notna().sum(axis=1).unique()) == [700, 960]  # padded with empty cells
    assert not test.isna().any().any() and train.dtypes.eq(float).all()
    with pytest.raises(ValueError, match="holds many series, one a row: read it with load_frame"):
        load_series("m4-hourly-train", folder=cache)


def test_load_frame_single_series_has_one_value_column(cache):
    frame = load_frame("monthly-airline-passengers", folder=cache)
    assert list(frame.columns) == ["Passengers"]
    assert frame.index.name == "date"


def test_command_line_fetch_lists_every_verified_file(tmp_path, monkeypatch, capsys):
    for name in data.DATASETS:
        shutil.copy(shared_copy(name), tmp_path)
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    download.main()
    printed = capsys.readouterr().out.splitlines()
    assert printed == [f"ok  {tmp_path / (name + '.csv')}" for name in data.DATASETS]
