"""The capstone's data: Beijing PM2.5 and weather, hourly 2010-2014, as features and windows.

The protocol is fixed so that every number of lesson 8 is comparable:

* target: PM2.5 (µg/m³) for each of the 24 hours after an origin; forecasts are scored at every
  midnight of a period, only on hours whose PM2.5 was observed;
* periods: train 2010-2012, validate 2013, test 2014 (:data:`PERIODS`);
* scaling statistics come from the training years only; every model learns the scaled target,
  and :meth:`AirQualityTask.to_pm` turns its output into a forecast in µg/m³, clipped at 0;
* missing PM2.5 in the inputs is filled with the last value observed before it (the past only)
  and flagged by an indicator input; missing targets are never filled, and training samples
  with a missing target are left out.

Windows are strided views of one feature table (``sliding_window_view``): a window of 48 hours
of 16 inputs over 43,824 hours costs no memory beyond the table itself. Selecting the training
samples (every hour, or every midnight) is the first copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from ..data import load_frame

__all__ = [
    "HORIZON",
    "INPUT_SETS",
    "PERIODS",
    "AirQualityTask",
    "FeatureScaler",
    "Windows",
    "load_air_quality",
    "make_features",
    "past_fill",
    "shared_task",
]

HORIZON = 24  # hours forecast from each origin
PERIODS = {"train": (2010, 2012), "validation": (2013, 2013), "test": (2014, 2014)}
WIND_DIRECTIONS = ("NE", "NW", "SE", "cv")  # cbwd: north-east, north-west, south-east, calm
PM_INPUTS = ("pm2.5", "pm2.5 missing")
CALENDAR = ("hour sin", "hour cos", "season sin", "season cos")
WEATHER = ("dew point", "temperature", "pressure", "wind speed", "snow hours", "rain hours")
WIND = tuple(f"wind {d}" for d in WIND_DIRECTIONS)
INPUT_SETS = {
    "pm2.5": PM_INPUTS,
    "pm2.5 + calendar": PM_INPUTS + CALENDAR,
    "all": PM_INPUTS + CALENDAR + WEATHER + WIND,
}
UNSCALED = ("pm2.5 missing", *CALENDAR, *WIND)  # already in [-1, 1]


def load_air_quality(**fetch_kwargs) -> pd.DataFrame:
    """The pollution dataset, hourly: ``pm2.5`` (with gaps), weather and wind direction ``cbwd``."""
    return load_frame("pollution", **fetch_kwargs)


def past_fill(values) -> tuple[np.ndarray, np.ndarray]:
    """Fill each gap with the last value observed before it; return ``(filled, missing)``.

    ``missing`` is 1.0 where the value was absent. Gaps before the first observation stay NaN:
    nothing in the past can fill them (:class:`FeatureScaler` puts them at the training mean).
    """
    series = pd.Series(np.asarray(values, dtype=float))
    return series.ffill().to_numpy(), series.isna().to_numpy().astype(float)


def make_features(frame: pd.DataFrame) -> pd.DataFrame:
    """Every input the capstone can use, one column each, indexed by the hour (unscaled).

    PM2.5 past-filled with its missing indicator; calendar as sine and cosine of the hour of the
    day and of the day of the year; weather (``Iws``, the wind speed summed since the direction
    last changed, on a log scale); the wind direction one-hot.
    """
    index = frame.index
    pm, missing = past_fill(frame["pm2.5"])
    hour = 2 * np.pi * index.hour.to_numpy() / 24
    season = 2 * np.pi * index.day_of_year.to_numpy() / 365.25
    columns = {
        "pm2.5": pm,
        "pm2.5 missing": missing,
        "hour sin": np.sin(hour),
        "hour cos": np.cos(hour),
        "season sin": np.sin(season),
        "season cos": np.cos(season),
        "dew point": frame["DEWP"].to_numpy(float),
        "temperature": frame["TEMP"].to_numpy(float),
        "pressure": frame["PRES"].to_numpy(float),
        "wind speed": np.log1p(frame["Iws"].to_numpy(float)),
        "snow hours": frame["Is"].to_numpy(float),
        "rain hours": frame["Ir"].to_numpy(float),
    }
    for direction, name in zip(WIND_DIRECTIONS, WIND):
        columns[name] = (frame["cbwd"] == direction).to_numpy(float)
    return pd.DataFrame(columns, index=index)


def period_mask(index: pd.DatetimeIndex, period: str) -> np.ndarray:
    """True for the hours of ``period`` ("train", "validation" or "test")."""
    if period not in PERIODS:
        raise ValueError(f"Unknown period {period!r}; choose one of {', '.join(PERIODS)}.")
    first, last = PERIODS[period]
    return np.asarray((index.year >= first) & (index.year <= last))


@dataclass
class FeatureScaler:
    """Standardise feature columns with the mean and sd of the training years only.

    Indicator, calendar and wind columns are left as they are; a value still missing after the
    past fill (the first hours of 2010) becomes 0, the training mean.
    """

    mean: pd.Series = field(default=None)
    sd: pd.Series = field(default=None)

    def fit(self, features: pd.DataFrame) -> FeatureScaler:
        """Learn the statistics from ``features`` (pass the training years only)."""
        scaled = [c for c in features.columns if c not in UNSCALED]
        self.mean = features[scaled].mean()
        self.sd = features[scaled].std().replace(0.0, 1.0)
        return self

    def transform(self, features: pd.DataFrame) -> np.ndarray:
        """The features as float32, ``(hours, columns)``, scaled with the training statistics."""
        if self.mean is None:
            raise ValueError("Fit the scaler on the training years first: scaler.fit(train).")
        out = features.copy()
        columns = [c for c in self.mean.index if c in out.columns]
        out[columns] = (out[columns] - self.mean[columns]) / self.sd[columns]
        return np.nan_to_num(out.to_numpy(dtype="float32"), nan=0.0)


@dataclass(frozen=True)
class Windows:
    """Samples of one period: input windows, 24 target hours and what the baselines need.

    ``X`` (samples, window, n_features), scaled; ``y`` (samples, 24) in µg/m³, NaN where PM2.5 was
    not observed; ``recent`` (samples, 24) the past-filled PM2.5 of the 24 hours before each
    origin (persistence and "same hour yesterday" read it); ``origins`` the first forecast hour.
    """

    X: np.ndarray
    y: np.ndarray
    recent: np.ndarray
    origins: pd.DatetimeIndex

    def __len__(self) -> int:
        return len(self.X)


class AirQualityTask:
    """The capstone's protocol for one choice of inputs and window length.

    >>> task = AirQualityTask(window=48, inputs="all")
    >>> task.validation.X.shape      # (365 midnights of 2013, 48 hours, 16 features)

    ``train`` holds the training samples (an origin every ``train_every`` hours: 1 = every hour,
    24 = every midnight),
    without samples whose targets are not all observed; ``validation`` and ``test`` the midnight
    origins of 2013 and 2014. ``y_train`` is the training target scaled like the PM2.5 input;
    :meth:`to_pm` turns a model's scaled output into a forecast in µg/m³.
    """

    def __init__(self, window: int = 48, inputs: str = "all", train_every: int = 1, frame=None):
        if inputs not in INPUT_SETS:
            raise ValueError(f"Unknown inputs {inputs!r}; choose one of {', '.join(INPUT_SETS)}.")
        if train_every not in (1, 2, 3, 4, 6, 8, 12, 24):
            raise ValueError(
                f"train_every must divide 24 (1, 2, 3, 4, 6, 8, 12, 24), not {train_every!r}."
            )
        if int(window) != window or not 1 <= window <= 24 * 14:
            raise ValueError(f"The window must be between 1 and 336 hours, got {window!r}.")
        self.window, self.inputs, self.train_every = int(window), inputs, train_every
        frame = load_air_quality() if frame is None else frame
        features = make_features(frame)[list(INPUT_SETS[inputs])]
        self.index = frame.index
        self.pm = frame["pm2.5"].to_numpy(float)  # observed PM2.5, NaN where missing
        self.pm_filled = past_fill(self.pm)[0]
        train_hours = period_mask(self.index, "train")
        self.scaler = FeatureScaler().fit(features[train_hours])
        self.columns = tuple(features.columns)
        self.values = self.scaler.transform(features)  # (hours, n_features) float32
        self.pm_mean = float(self.scaler.mean["pm2.5"])
        self.pm_sd = float(self.scaler.sd["pm2.5"])

    @property
    def n_features(self) -> int:
        """How many values (input variables) each hour of a window has."""
        return len(self.columns)

    @cached_property
    def _views(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Strided views: windows (n, window, n_features), targets (n, 24), recent PM2.5 (n, 24)."""
        X = sliding_window_view(self.values, self.window, axis=0).transpose(0, 2, 1)
        targets = sliding_window_view(self.pm, HORIZON)
        recent = sliding_window_view(self.pm_filled, HORIZON)
        return X, targets, recent

    def origins(self, period: str, every: int = 24) -> np.ndarray:
        """Positions of the origins of ``period`` (first forecast hour), one every ``every`` hours
        from midnight, each with a full window before it and all 24 target hours inside the
        period (a training sample never reads a validation hour as its target)."""
        inside = period_mask(self.index, period)
        positions = np.flatnonzero(inside)
        positions = positions[(positions >= max(self.window, HORIZON))]
        positions = positions[positions + HORIZON <= len(self.index)]
        positions = positions[inside[positions + HORIZON - 1]]
        return positions[self.index[positions].hour % every == 0]

    def windows(self, positions) -> Windows:
        """The samples whose first forecast hour is at each of ``positions``.

        Evenly spaced positions (every midnight, every hour) give strided views of the feature
        table; any other selection is a copy.
        """
        X, targets, recent = self._views
        positions = np.asarray(positions, dtype=int)
        steps = np.unique(np.diff(positions))
        if len(positions) and len(steps) <= 1:  # basic slicing: views, no copy
            step = int(steps[0]) if len(steps) else 1
            first, stop = int(positions[0]), int(positions[-1]) + 1

            def rows(shift):
                return slice(first - shift, stop - shift, step)
        else:

            def rows(shift):
                return positions - shift

        # window row i covers hours i .. i + window - 1, so origin p reads row p - window
        return Windows(
            X[rows(self.window)], targets[rows(0)], recent[rows(HORIZON)], self.index[positions]
        )

    @cached_property
    def validation(self) -> Windows:
        """The 365 midnight origins of 2013: where every setting is chosen."""
        return self.windows(self.origins("validation"))

    @cached_property
    def test(self) -> Windows:
        """The midnight origins of 2014: scored once, at the end."""
        return self.windows(self.origins("test"))

    @cached_property
    def train(self) -> Windows:
        """Training samples whose 24 targets were all observed (a copy of those windows)."""
        positions = self.origins("train", self.train_every)
        complete = ~np.isnan(self._views[1][positions]).any(axis=1)
        return self.windows(positions[complete])

    @property
    def y_train(self) -> np.ndarray:
        """The training targets scaled like the PM2.5 input, float32 (samples, 24)."""
        return self.scale(self.train.y)

    def scale(self, pm) -> np.ndarray:
        """PM2.5 in µg/m³ to the scaled units the networks learn (training mean and sd)."""
        return ((np.asarray(pm, dtype=float) - self.pm_mean) / self.pm_sd).astype("float32")

    def to_pm(self, scaled, clip: bool = True) -> np.ndarray:
        """A model's scaled outputs as forecasts in µg/m³, clipped at 0: PM2.5 is never negative.

        Every model of lesson 8 (ridge, trees, networks, strategies) forecasts through here, so
        each forecast is clipped once, in this one place; ``clip=False`` shows what a model
        would forecast without it.
        """
        pm = np.asarray(scaled, dtype=float) * self.pm_sd + self.pm_mean
        return np.maximum(pm, 0.0) if clip else pm

    def period(self, name: str) -> Windows:
        """``"validation"`` or ``"test"`` windows (midnight origins)."""
        if name not in ("validation", "test"):
            raise ValueError(f"Score on 'validation' or 'test', not {name!r}.")
        return self.validation if name == "validation" else self.test

    def memory(self) -> dict:
        """Bytes held by the feature table and by the training samples a fit copies."""
        X_view = self._views[0]
        train_bytes = len(self.train) * self.window * self.n_features * 4
        return {
            "feature table": self.values.nbytes,
            "windows share the table's memory": bool(np.shares_memory(X_view, self.values)),
            "all windows if copied": X_view.shape[0] * self.window * self.n_features * 4,
            "training samples (copied by fit)": train_bytes,
        }

    def __repr__(self):
        return (
            f"AirQualityTask(window={self.window}, inputs={self.inputs!r}: {self.n_features} "
            f"inputs, {len(self.train)} training samples (an origin every {self.train_every} h), "
            f"{len(self.validation)} validation and {len(self.test)} test midnights)"
        )


def shared_task(window: int = 48, inputs: str = "all") -> AirQualityTask:
    """The task for these settings, built once per kernel and shared by the lesson, the explorer
    and the exercise check (each task holds its own copy of the training windows).

    ``shared_task(48, "all")`` and ``shared_task(window=48, inputs="all")`` are the same task:
    a cache keyed on the call itself would build (and keep) a second copy of its windows.
    """
    return _task_for(window, inputs)


@lru_cache(maxsize=4)
def _task_for(window: int, inputs: str) -> AirQualityTask:
    return AirQualityTask(window=window, inputs=inputs)
