"""The course's fixed evaluation protocol, error measures and naive baselines.

The protocol: the daily female births series, the last 100 days held out as the test set, scaling
learned from the first 265 days only, and one-step-ahead walk-forward forecasts: each forecast
sees only actual values from before the day it predicts. Errors are in births.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .data import DEFAULT_DATASET, load_series
from .windowing import (
    Scaler,
    _whole_number,
    add_feature_axis,
    as_float_array,
    make_windows,
    to_subsequences,
    train_test_split,
)

__all__ = [
    "N_TEST",
    "rmse",
    "mae",
    "persistence",
    "train_mean",
    "moving_average",
    "seasonal_naive",
    "baselines",
    "multi_step_persistence",
    "multi_step_moving_average",
    "reshape_for",
    "reshape_targets",
    "walk_forward",
    "walk_forward_multi",
    "ForecastTask",
    "Result",
]

N_TEST = 100  # the last 100 days of the births series are the test set


def _pair(actual, predicted):
    a = np.asarray(actual, dtype=float)
    p = np.asarray(predicted, dtype=float)
    if a.shape != p.shape:
        raise ValueError(
            f"actual has shape {a.shape} but predicted has shape {p.shape}; "
            "they must match one to one."
        )
    if a.size == 0:
        raise ValueError("No values to compare.")
    if np.isnan(a).any() or np.isnan(p).any():
        raise ValueError("actual or predicted contains NaN; an error measure needs numbers.")
    return a, p


def rmse(actual, predicted) -> float:
    """Root mean squared error, in the units of the data."""
    a, p = _pair(actual, predicted)
    return float(np.sqrt(np.mean((a - p) ** 2)))


def mae(actual, predicted) -> float:
    """Mean absolute error, in the units of the data."""
    a, p = _pair(actual, predicted)
    return float(np.mean(np.abs(a - p)))


def _check_split(series, n_test):
    series = pd.Series(series) if not isinstance(series, pd.Series) else series
    as_float_array(series)
    train_test_split(series, n_test)  # validates n_test
    return series


def persistence(series, n_test: int = N_TEST) -> pd.Series:
    """Forecast each test day with the day before it (the naive forecast)."""
    series = _check_split(series, n_test)
    return series.shift(1).iloc[-n_test:]


def train_mean(series, n_test: int = N_TEST) -> pd.Series:
    """Forecast every test day with the mean of the training period."""
    series = _check_split(series, n_test)
    train, test = train_test_split(series, n_test)
    return pd.Series(float(train.mean()), index=test.index, name=series.name)


def moving_average(series, k: int, n_test: int = N_TEST) -> pd.Series:
    """Forecast each test day with the mean of the ``k`` days before it."""
    series = _check_split(series, n_test)
    if not 1 <= k <= len(series) - n_test:
        raise ValueError(f"k must be between 1 and the training length {len(series) - n_test}.")
    return series.rolling(k).mean().shift(1).iloc[-n_test:]


def seasonal_naive(series, m: int, n_test: int = N_TEST) -> pd.Series:
    """Forecast each test day with the value ``m`` days earlier (one season back)."""
    series = _check_split(series, n_test)
    if not 1 <= m <= len(series) - n_test:
        raise ValueError(f"m must be between 1 and the training length {len(series) - n_test}.")
    return series.shift(m).iloc[-n_test:]


def baselines(series, n_test: int = N_TEST) -> pd.DataFrame:
    """RMSE and MAE of the naive baselines on the test period, as a small table."""
    series = _check_split(series, n_test)
    test = series.iloc[-n_test:]
    forecasts = {
        "persistence": persistence(series, n_test),
        "train mean": train_mean(series, n_test),
        "moving average (7 days)": moving_average(series, 7, n_test),
        "seasonal naive (7 days)": seasonal_naive(series, 7, n_test),
    }
    rows = {name: {"rmse": rmse(test, f), "mae": mae(test, f)} for name, f in forecasts.items()}
    return pd.DataFrame(rows).T


def multi_step_persistence(series, horizon: int, n_test: int = N_TEST) -> pd.DataFrame:
    """Multi-step naive forecast: every horizon repeats the last value seen at the forecast origin.

    Returns a frame indexed by test day with one column per step ahead h = 1..horizon: the
    forecast of that day made h days earlier, which is the value h days before it.
    """
    series = _check_split(series, n_test)
    horizon = _check_horizon(horizon, len(series) - n_test)
    return pd.DataFrame({h: series.shift(h).iloc[-n_test:] for h in range(1, horizon + 1)})


def multi_step_moving_average(
    series, horizon: int, k: int = 7, n_test: int = N_TEST
) -> pd.DataFrame:
    """Multi-step moving average: every horizon repeats the mean of the k days before the origin.

    Laid out like :func:`multi_step_persistence`: one column per step ahead h = 1..horizon,
    holding the forecast of each test day made h days earlier, the mean of the ``k`` days up to h
    days before it. Step 1 is :func:`moving_average`.
    """
    series = _check_split(series, n_test)
    horizon = _check_horizon(horizon, len(series) - n_test)
    recent = series.rolling(k).mean()  # on day d: the mean of days d - k + 1 .. d
    return pd.DataFrame({h: recent.shift(h).iloc[-n_test:] for h in range(1, horizon + 1)})


def _check_horizon(horizon, n_train) -> int:
    horizon = _whole_number(horizon, "horizon")
    if horizon > n_train:
        raise ValueError(f"horizon must be at most the training length {n_train}, got {horizon}.")
    return horizon


def reshape_for(model, X) -> np.ndarray:
    """Reshape windows (samples, window) to whatever input shape ``model`` was built for.

    (window,) for an MLP, (window, 1) for Conv1D/LSTM, (n_seq, window // n_seq, 1) for the
    CNN-LSTM.
    """
    X = np.asarray(X, dtype=float)
    expected = tuple(model.inputs[0].shape[1:])
    sizes = expected[:-1] if len(expected) == 3 else expected[:1]
    steps = None if None in sizes else int(np.prod(sizes))  # the window length the model takes
    if X.ndim == 2 and steps is not None and X.shape[1] != steps:
        raise ValueError(
            f"The model takes windows of {steps} steps but got windows of "
            f"{X.shape[1]}; use the window the model was built with."
        )
    if len(expected) == 1:
        return X.reshape(len(X), -1)
    if len(expected) == 2:
        return add_feature_axis(X)
    if len(expected) == 3:
        return to_subsequences(X, expected[0])
    raise ValueError(f"Cannot feed windows to a model whose input shape is {expected}.")


def reshape_targets(model, y) -> np.ndarray:
    """Shape targets (samples,) or (samples, horizon) the way ``model``'s output is shaped.

    A model that ends in ``TimeDistributed(Dense(1))`` outputs (samples, horizon, 1), so its
    multi-step targets get a last axis of 1; other targets are returned as they are, also for a
    model with several values per step (lesson 8's quantiles: (24, 3) out, (samples, 24) targets).
    """
    y = np.asarray(y)
    output = tuple(model.outputs[0].shape[1:])
    if len(output) == 2 and output[-1] == 1 and y.ndim == 2:
        return y[..., np.newaxis]  # (samples, horizon) -> (samples, horizon, 1)
    return y


def _predict(model, X) -> np.ndarray:
    """Call the model once on a small batch (faster than model.predict, which compiles first)."""
    return np.asarray(model(reshape_for(model, X).astype("float32"), training=False))


def _origin_windows(values, window, first_target, last_target):
    """Windows of ``window`` actual values ending just before each target index in the range."""
    window = _whole_number(window, "window")
    if first_target < window:
        raise ValueError(
            f"A window of {window} days reaches back before the start of the series; use a window "
            f"of at most {first_target} days."
        )
    starts = np.arange(first_target - window, last_target - window + 1)
    return np.stack([values[s : s + window] for s in starts])  # (origins, window)


def walk_forward(model, series, window: int, scaler: Scaler, n_test: int = N_TEST) -> pd.Series:
    """One-step walk-forward forecasts of the last ``n_test`` values, in the data's units.

    The forecast of test day t uses the ``window`` actual values before t (scaled with the training
    statistics), so it never sees t or anything after it. All test days are predicted in one batch,
    which gives the same numbers as looping over them one at a time.
    """
    series = _check_split(series, n_test)
    values = scaler.transform(series)
    n = len(values)
    X = _origin_windows(values, window, n - n_test, n - 1)  # (n_test, window)
    scaled = _predict(model, X).reshape(n_test, -1)[:, 0]
    return pd.Series(
        scaler.inverse_transform(scaled), index=series.index[-n_test:], name="forecast"
    )


def walk_forward_multi(
    model, series, window: int, horizon: int, scaler: Scaler, n_test: int = N_TEST
) -> pd.DataFrame:
    """Multi-step walk-forward: for each horizon h, each test day's forecast made h days before.

    Returns a frame indexed by test day with one column per step ahead, 1..horizon. Each step is
    scored on the same ``n_test`` days, so step 1 is exactly the one-step protocol.
    """
    series = _check_split(series, n_test)
    horizon = _check_horizon(horizon, len(series) - n_test)
    values = scaler.transform(series)
    n = len(values)
    first_origin = n - n_test - (horizon - 1)
    X = _origin_windows(values, window, first_origin, n - 1)  # (origins, window)
    paths = _predict(model, X).reshape(len(X), -1)
    if paths.shape[1] < horizon:
        raise ValueError(
            f"The model forecasts {paths.shape[1]} step(s) at a time but "
            f"horizon={horizon}; use the horizon the model was built with."
        )
    paths = scaler.inverse_transform(paths[:, :horizon])  # (origins, horizon), births
    columns = {}
    for h in range(1, horizon + 1):
        # the forecast of test day j at horizon h comes from origin j - h + 1
        columns[h] = paths[horizon - h : horizon - h + n_test, h - 1]
    return pd.DataFrame(columns, index=series.index[-n_test:])


@dataclass
class Result:
    """Errors of one model on the protocol, beside persistence.

    For multi-step models ``per_horizon`` has one row per horizon: the model's ``rmse`` and
    ``mae``, and the RMSE of multi-step persistence, of the 7-day moving average before the
    origin and of the training mean at that horizon, all on the same test days.
    """

    rmse: float
    mae: float
    persistence_rmse: float
    predictions: pd.Series
    per_horizon: pd.DataFrame | None = None

    def __repr__(self):
        return (
            f"Result(rmse={self.rmse:.3f}, mae={self.mae:.3f}, "
            f"persistence_rmse={self.persistence_rmse:.3f})"
        )


@dataclass
class ForecastTask:
    """The course's forecasting task, prepared for a window of ``window`` days and a ``horizon``.

    Splits the series in time (last ``n_test`` values are the test set), fits a :class:`Scaler` on
    the training part only and builds scaled training windows that lie wholly inside it:
    ``X_train`` (samples, window) and ``y_train`` (samples,) or (samples, horizon).
    """

    window: int
    horizon: int = 1
    n_test: int = N_TEST
    dataset: str = DEFAULT_DATASET
    series: pd.Series | None = field(default=None, repr=False)

    def __post_init__(self):
        if self.series is None:
            self.series = load_series(self.dataset)
        self.train, self.test = train_test_split(self.series, self.n_test)
        self.scaler = Scaler().fit(self.train)
        self.X_train, self.y_train = make_windows(
            self.scaler.transform(self.train), self.window, self.horizon
        )

    def validation_split(self, n_val: int):
        """Hold out the last ``n_val`` training windows: returns (X_fit, y_fit, X_val, y_val).

        Used to choose settings (epochs, early stopping) without looking at the test set.
        """
        if not 1 <= n_val < len(self.X_train):
            raise ValueError(f"n_val must be between 1 and {len(self.X_train) - 1}.")
        return (
            self.X_train[:-n_val],
            self.y_train[:-n_val],
            self.X_train[-n_val:],
            self.y_train[-n_val:],
        )

    def evaluate(self, model) -> Result:
        """Walk-forward forecasts of the test set, scored in births beside persistence."""
        persistence_rmse = rmse(self.test, persistence(self.series, self.n_test))
        if self.horizon == 1:
            predictions = walk_forward(model, self.series, self.window, self.scaler, self.n_test)
            return Result(
                rmse(self.test, predictions),
                mae(self.test, predictions),
                persistence_rmse,
                predictions,
            )
        paths = walk_forward_multi(
            model, self.series, self.window, self.horizon, self.scaler, self.n_test
        )
        naive = multi_step_persistence(self.series, self.horizon, self.n_test)
        average = multi_step_moving_average(self.series, self.horizon, 7, self.n_test)
        mean = rmse(self.test, train_mean(self.series, self.n_test))  # the same at every horizon
        per_horizon = pd.DataFrame(
            {
                "rmse": [rmse(self.test, paths[h]) for h in paths],
                "mae": [mae(self.test, paths[h]) for h in paths],
                "persistence_rmse": [rmse(self.test, naive[h]) for h in naive],
                "moving_average_rmse": [rmse(self.test, average[h]) for h in average],
                "train_mean_rmse": [mean] * len(paths.columns),
            },
            index=pd.Index(list(paths.columns), name="horizon"),
        )
        one_step = paths[1].rename("forecast")
        return Result(
            rmse(self.test, one_step),
            mae(self.test, one_step),
            persistence_rmse,
            one_step,
            per_horizon,
        )
