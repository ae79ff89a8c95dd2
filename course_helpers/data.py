"""Download, verify and load the course datasets.

Each dataset is downloaded the first time it is used, checked against its known sha256 and kept in
the data folder; a file whose hash differs is never read. Two environment variables change that:

- ``COURSE_DATA_DIR``: the data folder. Without it: ``data/`` in a source checkout, else the user's
  cache folder (``~/.cache/course-helpers`` on Linux), never ``site-packages``.
- ``COURSE_DATA_URL``: a mirror holding every file as ``NAME.csv`` (``https://...``, ``http://...``
  or ``file:///folder/``), instead of the public addresses (:data:`BASE_URL`, M4's own).

A download goes to ``.NAME.csv.<random>.part`` beside its target and is renamed into place only once
its hash matches, so nothing partial is ever left under a dataset's name. Processes fetching one
file take turns on ``.NAME.csv.lock`` (deleted after): one downloads, the others use its copy.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pandas as pd
import pooch

try:
    import fcntl
except ImportError:  # Windows: downloads do not take turns, the atomic rename still protects
    fcntl = None

BASE_URL = "https://raw.githubusercontent.com/jbrownlee/Datasets/master/"
M4_URL = "https://raw.githubusercontent.com/Mcompetitions/M4-methods/master/Dataset/"
DATA_DIR_ENV = "COURSE_DATA_DIR"
DATA_URL_ENV = "COURSE_DATA_URL"
CACHE_NAME = "course-helpers"  # the user's cache folder when there is no source checkout
URL_SCHEMES = ("http", "https", "file")
TIMEOUT = 30  # seconds without an answer before a download is given up
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
    url: str | None = None  # the public address when it is not BASE_URL + filename

    @property
    def filename(self) -> str:
        """The file's name, in the data folder and at the download address."""
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
        Dataset(
            "m4-hourly-train",
            "ea59b7783573c49077a835ab6465c7d66f1474783360f310988a9a737fbca62f",
            "",  # no value column: a table of series, one a row
            "M4 competition, Hourly: 414 series (H1-H414) of 700 or 960 hours, one a row",
            url=M4_URL + "Train/Hourly-train.csv",
        ),
        Dataset(
            "m4-hourly-test",
            "71a57fccb15e534d973626ada4fb87febf789e9317715b7cc6dd3b5f90db6f42",
            "",  # no value column: a table of series, one a row
            "M4 competition, Hourly: the 48 hours after each training series, one a row",
            url=M4_URL + "Test/Hourly-test.csv",
        ),
    ]
}


class DatasetError(RuntimeError):
    """A dataset could not be fetched or verified; the message says what to do."""


def data_dir() -> Path:
    """The cache folder: ``$COURSE_DATA_DIR`` when set, else :func:`default_data_dir`."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir(Path(__file__).resolve().parent)


def default_data_dir(package_dir: Path) -> Path:
    """The data folder without ``$COURSE_DATA_DIR``, for the package in ``package_dir``.

    A source checkout (``pyproject.toml`` and ``data/README.md`` above the package) uses its
    ``data/``; an installed package (Colab, a hub image) the user's cache, never ``site-packages``.
    """
    project = Path(package_dir).parent
    if (project / "pyproject.toml").is_file() and (project / "data" / "README.md").is_file():
        return project / "data"
    return Path(pooch.os_cache(CACHE_NAME)).expanduser()


def data_url(url: str | None = None) -> str:
    """The address of the folder datasets are downloaded from, ending in ``/``.

    ``url`` when given, else ``$COURSE_DATA_URL`` when set, else :data:`BASE_URL`. Raises
    :class:`DatasetError` for an address that is not ``http://``, ``https://`` or ``file://``.
    """
    from_env = url is None and bool(os.environ.get(DATA_URL_ENV))
    chosen = url if url is not None else os.environ.get(DATA_URL_ENV) or BASE_URL
    parts = urlsplit(chosen)
    scheme = parts.scheme.lower()
    if scheme not in URL_SCHEMES or (scheme != "file" and not parts.netloc):
        setting = f"{DATA_URL_ENV}={chosen!r}" if from_env else f"The address {chosen!r}"
        fix = f" Fix or unset {DATA_URL_ENV} (without it the public address is used)."
        raise DatasetError(
            f"{setting} is not an address the datasets can be downloaded from: it must start with "
            "http://, https:// or file:// and name the folder that holds the CSV files, for "
            f"example https://example.org/course-data/ or file:///srv/course-data/.{fix * from_env}"
        )
    return chosen.rstrip("/") + "/"


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


def _verified(path: Path, ds: Dataset) -> bool:
    return path.is_file() and _sha256(path) == ds.sha256


def _cannot_write(folder: Path, exc: OSError) -> DatasetError:
    return DatasetError(  # also a read-only folder whose copy is missing or damaged
        f"Cannot write to the data folder {folder} ({exc.strerror or exc}). Set {DATA_DIR_ENV} to "
        "a folder you can write to, or put verified copies of the datasets in this one."
    )


@contextlib.contextmanager
def _turn(folder: Path, filename: str) -> Iterator[None]:
    """Hold this process's turn to download ``filename`` into ``folder``.

    An exclusive ``flock`` on ``.FILENAME.lock``: the kernel drops it when its process dies, however
    it dies. The holder deletes the file before letting go; a waiter that wakes up on a deleted file
    queues again on the current one, so two processes never both hold a turn. A holder also removes
    ``.FILENAME.*.part`` files: only a killed download leaves them.
    """
    lock, fd = folder / f".{filename}.lock", None
    while fcntl is not None:  # Windows: no turns; the atomic rename still keeps readers safe
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise _cannot_write(folder, exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException as exc:  # also Ctrl-C while waiting
            os.close(fd)
            fd = None
            if getattr(exc, "errno", None) not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                raise
            with contextlib.suppress(OSError):  # a file system without locks: no turns
                os.unlink(lock)
            break
        with contextlib.suppress(FileNotFoundError):
            if os.path.samestat(os.fstat(fd), os.stat(lock)):
                break
        os.close(fd)  # the previous holder removed the file we waited on: queue on the new one
    try:
        for leftover in folder.glob(f".{filename}.*.part") if fd is not None else ():
            with contextlib.suppress(OSError):
                leftover.unlink()
        yield
    finally:
        if fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(lock)
            os.close(fd)


def _new_part_file(folder: Path, filename: str) -> Path:
    """An empty ``.FILENAME.<pid>-<random>.part`` beside the target, with the usual permissions
    (``0o666`` less the umask, not ``tempfile``'s ``0o600``): a class can share the folder."""
    part = folder / f".{filename}.{os.getpid()}-{secrets.token_hex(4)}.part"
    try:
        os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise _cannot_write(folder, exc) from None
    return part


def _transfer(url: str, output: Path, progress: bool) -> None:
    """Copy ``url`` (http, https or file) into the file ``output``."""
    if url.lower().startswith("file:"):
        shutil.copyfile(url2pathname(urlsplit(url).path), output)
    else:
        downloader = pooch.HTTPDownloader(progressbar=progress, timeout=TIMEOUT)
        downloader(url, str(output), None)


_REASONS = {  # exception class names (requests', the file system's) and what they mean
    "ChunkedEncodingError": "the connection was cut before the whole file arrived",
    "Timeout": f"no answer within {TIMEOUT} seconds",
    "FileNotFoundError": "there is no such file",
    "Connection refused": "the connection was refused: nothing answers at that address",
    "NameResolutionError": "the server's name could not be looked up; are you offline?",
}


def _reason(exc: Exception) -> str:
    """A short, readable account of why a transfer failed (not requests' raw text)."""
    response = getattr(exc, "response", None)
    if getattr(response, "status_code", None):  # requests.HTTPError
        status = f"{response.status_code} {response.reason or ''}".strip()
        return f"the server answered {status}" + (
            ": it has no such file" if response.status_code == 404 else ""
        )
    names = [cls.__name__ for cls in type(exc).__mro__] + [str(exc)]
    for key, reason in _REASONS.items():
        if any(key in name for name in names):
            return reason
    return f"{type(exc).__name__}: {exc}"


def fetch(
    name: str = DEFAULT_DATASET,
    *,
    folder: str | Path | None = None,
    base_url: str | None = None,
    progress: bool | None = None,
) -> Path:
    """Return the path of a verified local copy of dataset ``name``, downloading it if needed.

    ``folder`` defaults to :func:`data_dir`; the address to ``base_url``, else ``$COURSE_DATA_URL``,
    else the dataset's public address; ``progress`` shows a bar (default: files over 1 MB).
    Processes fetching into one folder take turns: one downloads, the others use its copy. Raises
    :class:`DatasetError` if no verified copy can be had; nothing partial is left in ``folder``.
    """
    ds = _dataset(name)
    folder = Path(folder) if folder is not None else data_dir()
    target = folder / ds.filename
    if _verified(target, ds):
        return target
    url = data_url(base_url) + ds.filename  # a mirror holds every file under its registry name
    url = ds.url if ds.url and url == BASE_URL + ds.filename else url  # no mirror: its own address
    progress = name in ("pollution", "m4-hourly-train") if progress is None else progress
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatasetError(
            f"Cannot create the data folder {folder}: {exc}. Set {DATA_DIR_ENV} to a folder you "
            "can write to."
        ) from None
    with _turn(folder, ds.filename):
        if _verified(target, ds):  # another process downloaded it while this one waited
            return target
        _download(ds, url, target, bool(progress), from_env=base_url is None)
    return target


def _download(ds: Dataset, url: str, target: Path, progress: bool, from_env: bool) -> None:
    """Download ``url`` into a part file, check it, and only then rename it to ``target``."""
    stale = target.exists()
    part = _new_part_file(target.parent, ds.filename)
    try:
        try:
            _transfer(url, part, progress)
        except Exception as exc:  # network failures come from requests in many shapes
            note = f" The copy already at {target} does not match its sha256 and was not used."
            mirror = os.environ.get(DATA_URL_ENV) if from_env else None
            advice = (
                f"The address comes from {DATA_URL_ENV}={mirror!r}: check that it names the "
                "folder holding the CSV files, or unset it to download from the public address.\n"
            )
            raise DatasetError(
                f"Could not download {ds.filename} from {url} ({_reason(exc)})."
                f"{note * stale}\n{advice * bool(mirror)}"
                f"If you are offline, copy the file by hand to {target}, or set {DATA_DIR_ENV} to "
                f"a folder that holds a verified copy of {ds.filename}."
            ) from None
        if _sha256(part) != ds.sha256:
            raise DatasetError(
                f"The file downloaded from {url} does not match its known sha256 ({ds.sha256}); it "
                "was discarded and not used, and nothing was kept. The copy at that address may "
                "have changed or the download was altered on the way. Try again later, or put a "
                f"verified copy at {target}."
            )
        os.replace(part, target)  # one step: readers see the old file or the whole new one
    finally:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()


def fetch_all(*, folder: str | Path | None = None, base_url: str | None = None) -> list[Path]:
    """Fetch and verify every dataset in the registry (used by ``make lab`` and Binder)."""
    return [fetch(name, folder=folder, base_url=base_url) for name in DATASETS]


def _read(ds: Dataset, path: Path) -> pd.DataFrame:
    if not ds.value_column:  # M4: one series a row (its name first), padded with empty cells
        return pd.read_csv(path, index_col=0).astype(float)
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
    """Load every column of a dataset as a DataFrame with a ``DatetimeIndex`` (M4: series' names).

    Values are floats (pollution's wind direction ``cbwd`` stays text). Monthly series are indexed
    by the first day of each month; pollution by the hour, built from its year/month/day/hour
    columns, which are dropped along with the row number. Missing values stay NaN.
    """
    ds = _dataset(name)
    return _read(ds, fetch(name, **fetch_kwargs))


def load_series(name: str = DEFAULT_DATASET, **fetch_kwargs) -> pd.Series:
    """Load a dataset's value column as a float ``pandas.Series`` with a ``DatetimeIndex``.

    >>> births = load_series()            # 365 daily values, named "Births"
    """
    ds = _dataset(name)
    if not ds.value_column:
        raise ValueError(f"{name} holds many series, one a row: read it with load_frame({name!r}).")
    return load_frame(name, **fetch_kwargs)[ds.value_column]
