"""Download, verify and load the course datasets.

Every dataset is fetched from its public address the first time it is used, checked against a
known sha256 and cached in ``data/`` (or in the folder named by ``$COURSE_DATA_DIR``). A file whose
hash differs is never read, and a failed download never leaves a partial file in the cache: pooch
writes to a temporary file and only moves it into place once the hash matches.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pooch

BASE_URL = "https://raw.githubusercontent.com/jbrownlee/Datasets/master/"
DATA_DIR_ENV = "COURSE_DATA_DIR"
pooch.get_logger().setLevel("WARNING")  # our own messages say what happens; no log lines
DEFAULT_DATASET = "daily-total-female-births"


@dataclass(frozen=True)
class Dataset:
    """One entry of the registry: where a dataset lives and how to read it."""

    name: str
    sha256: str
    value_column: str
    description: str
    date_column: str | None = None  # None: the index is built from separate columns (pollution)
    monthly: bool = False

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in [
        Dataset(
            "daily-total-female-births",
            "7a0c1bdb32d68f7fa359e561a4f7e1fe8fb2fc26a1ea624a434a97a63735dd72",
            "Births",
            "Daily total female births in California, 1959 (365 days)",
            date_column="Date",
        ),
        Dataset(
            "daily-min-temperatures",
            "8b9de63ed6789492bf497625e7f9beb96a63d367b4b0a21754006f749fa5e5da",
            "Temp",
            "Daily minimum temperature in Melbourne, 1981-1990 (3650 days)",
            date_column="Date",
        ),
        Dataset(
            "monthly-airline-passengers",
            "8cb51be753a718d9be5d76d7e238cc224792754676adc21faa59e954b0201621",
            "Passengers",
            "Monthly international airline passengers (thousands), 1949-1960",
            date_column="Month",
            monthly=True,
        ),
        Dataset(
            "monthly-car-sales",
            "a4194226eb1d0eba5fd503e829b1279f1a10683d8009f2871aca05e7fb648f70",
            "Sales",
            "Monthly car sales in Quebec, 1960-1968",
            date_column="Month",
            monthly=True,
        ),
        Dataset(
            "monthly-shampoo-sales",
            "f709eaa344b2d07039a49e2193cbff5e56206354f3a8203c0e02471beb39a451",
            "Sales",
            "Monthly shampoo sales over three years (years numbered 1-3, read as 1901-1903)",
            date_column="Month",
            monthly=True,
        ),
        Dataset(
            "pollution",
            "892e9559205d16d32623135c127a3951c12e46ea1e0b3093e107ce89a9fd60e2",
            "pm2.5",
            "Hourly PM2.5 and weather in Beijing, 2010-2014 (multivariate, has missing values)",
        ),
    ]
}


class DatasetError(RuntimeError):
    """A dataset could not be fetched or verified; the message says what to do."""


def data_dir() -> Path:
    """The cache folder: ``$COURSE_DATA_DIR`` when set, else ``data/`` at the top of the project."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return Path(__file__).resolve().parent.parent / "data"


def _dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(sorted(DATASETS))
        raise ValueError(f"Unknown dataset {name!r}. Known datasets: {known}.") from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(
    name: str = DEFAULT_DATASET,
    *,
    folder: str | Path | None = None,
    base_url: str | None = None,
    progress: bool | None = None,
) -> Path:
    """Return the path of a verified local copy of dataset ``name``, downloading it if needed.

    ``folder`` defaults to :func:`data_dir`, ``base_url`` to the public address. The progress bar is
    shown for files over 1 MB unless ``progress`` says otherwise.
    """
    ds = _dataset(name)
    folder = Path(folder) if folder is not None else data_dir()
    base_url = base_url or BASE_URL
    url = base_url.rstrip("/") + "/" + ds.filename
    target = folder / ds.filename

    stale = target.exists() and _sha256(target) != ds.sha256
    if target.exists() and not stale:
        return target
    if progress is None:
        progress = name == "pollution"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatasetError(
            f"Cannot create the data folder {folder}: {exc}. Set {DATA_DIR_ENV} to a folder you "
            "can write to."
        ) from None

    fetcher = pooch.create(
        path=folder,
        base_url=base_url.rstrip("/") + "/",
        registry={ds.filename: f"sha256:{ds.sha256}"},
    )
    downloader = pooch.HTTPDownloader(progressbar=bool(progress), timeout=30)
    try:
        return Path(fetcher.fetch(ds.filename, downloader=downloader))
    except ValueError as exc:
        if "hash" not in str(exc).lower():
            raise
        raise DatasetError(
            f"The file downloaded from {url} does not match its known sha256 ({ds.sha256}); it was "
            "discarded and not used. The copy at that address may have changed or the download "
            f"was altered on the way. Try again later, or put a verified copy at {target}."
        ) from None
    except Exception as exc:  # network failures come from requests in many shapes
        note = (
            f" The copy already at {target} does not match its sha256 and was not used."
            if stale
            else ""
        )
        raise DatasetError(
            f"Could not download {ds.filename} from {url} ({type(exc).__name__}: {exc}).{note}\n"
            f"If you are offline, copy the file by hand to {target}, or set {DATA_DIR_ENV} to a "
            f"folder that holds a verified copy of {ds.filename}."
        ) from None


def fetch_all(*, folder: str | Path | None = None, base_url: str | None = None) -> list[Path]:
    """Fetch and verify every dataset in the registry (used by ``make lab`` and Binder)."""
    return [fetch(name, folder=folder, base_url=base_url) for name in DATASETS]


def _read(ds: Dataset, path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path)
    if ds.date_column is None:  # pollution: year, month, day and hour in separate columns
        index = pd.to_datetime(frame[["year", "month", "day", "hour"]])
        frame = frame.drop(columns=["No", "year", "month", "day", "hour"])
    else:
        dates = frame.pop(ds.date_column).astype(str)
        if ds.name == "monthly-shampoo-sales":  # "1-01" is month 1 of year 1
            dates = "190" + dates
        index = pd.to_datetime(dates, format="%Y-%m" if ds.monthly else "%Y-%m-%d")
    frame.index = pd.DatetimeIndex(index, name="date", freq="infer")
    for column in frame.columns:
        if column != "cbwd":  # cbwd (wind direction) is the one text column
            frame[column] = frame[column].astype(float)
    return frame


def load_frame(name: str = DEFAULT_DATASET, **fetch_kwargs) -> pd.DataFrame:
    """Load every column of a dataset as a DataFrame with a ``DatetimeIndex``.

    Values are floats (pollution's wind direction ``cbwd`` stays text). Monthly series are
    indexed by the first day of each month; pollution by the hour, built from its
    year/month/day/hour columns,
    which are dropped along with the row number. Missing values stay NaN.
    """
    ds = _dataset(name)
    return _read(ds, fetch(name, **fetch_kwargs))


def load_series(name: str = DEFAULT_DATASET, **fetch_kwargs) -> pd.Series:
    """Load a dataset's value column as a float ``pandas.Series`` with a ``DatetimeIndex``.

    >>> births = load_series()            # 365 daily values, named "Births"
    """
    ds = _dataset(name)
    return load_frame(name, **fetch_kwargs)[ds.value_column]


def main() -> None:
    """``python -m course_helpers.data``: fetch and verify every dataset, printing where it is."""
    try:
        paths = fetch_all()
    except DatasetError as exc:  # a message for a person, not a traceback
        raise SystemExit(f"error: {exc}") from None
    for path in paths:
        print(f"ok  {path}")


if __name__ == "__main__":
    main()
