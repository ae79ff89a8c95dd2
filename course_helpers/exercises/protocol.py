"""Checks of test-period forecasts against the course's fixed protocol (lessons 3-7).

The protocol: the last ``n_test`` days of the births series are the test period; each forecast is
one step ahead, walk-forward, carries the date it forecasts and is in births. :func:`score` reads
one answer (a Run, a Result or a Series of forecasts) and raises a :class:`~.core.Mistake` for a
task or model passed instead, forecasts not on the test dates, scaled units, a scaler fitted on
test days, or leakage.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..evaluation import mae, persistence, rmse
from ..windowing import train_test_split
from .core import Mistake
from .diagnose import check_scaler, close

__all__ = [
    "SUSPICIOUS",
    "Score",
    "check_dates",
    "check_forecast_series",
    "check_leakage",
    "check_length",
    "check_protocol",
    "check_units",
    "score",
    "unwrap",
]

SUSPICIOUS = 0.6  # an RMSE below 60 % of persistence's on births points to a leak, not skill


class Score(NamedTuple):
    """One checked answer: its errors, its per-horizon table, its scaler, copies persistence?"""

    rmse: float
    mae: float
    per_horizon: pd.DataFrame | None
    scaler: object
    copies_persistence: bool


def unwrap(answer, scaler):
    """(forecasts, scaler, per-horizon table) of a Run, a Result or a Series of forecasts."""
    if hasattr(answer, "result") and hasattr(answer, "task"):  # a Run
        scaler = answer.task.scaler if scaler is None else scaler
        answer = answer.result
    per_horizon = getattr(answer, "per_horizon", None)
    if hasattr(answer, "predictions") and hasattr(answer, "rmse"):  # a Result
        answer = answer.predictions
    if hasattr(answer, "evaluate") and hasattr(answer, "scaler"):
        raise Mistake(
            "That is the task itself; pass its result instead.",
            "`result = task.evaluate(model)`, then `check(result, task.scaler)`.",
        )
    if hasattr(answer, "predict") and hasattr(answer, "layers"):
        raise Mistake(
            "That is a model; pass its forecasts of the test period instead.",
            "`result = task.evaluate(model)` (a `ForecastTask`) or "
            "`run = train_and_evaluate(...)`; then check the result or run.",
        )
    return answer, scaler, per_horizon


def score(answer, scaler, series: pd.Series, n_test: int) -> Score:
    """Check one answer against the protocol and score it."""
    answer, scaler, per_horizon = unwrap(answer, scaler)
    train, test = train_test_split(series, n_test)
    predictions = check_protocol(answer, series, test)
    if scaler is not None:
        check_scaler(scaler, series, n_test)
    values, actual = predictions.to_numpy(dtype=float), test.to_numpy(dtype=float)
    check_units(values, actual, train)
    naive = persistence(series, n_test).to_numpy(dtype=float)
    error = rmse(actual, values)
    check_leakage(values, actual, error, rmse(actual, naive))
    return Score(error, mae(actual, values), per_horizon, scaler, close(values, naive, 0.05))


def check_forecast_series(predictions, span: str) -> None:
    """Raise a Mistake unless the forecasts are one Series, complete, indexed by dates."""
    if isinstance(predictions, pd.DataFrame):
        raise Mistake(
            "These are forecasts for several horizons (a table); pass one Series.",
            "For multi-step forecasts pass the one-day-ahead column (`paths[1]`) or the "
            "`Result` of `task.evaluate(model)`.",
        )
    if not isinstance(predictions, pd.Series):
        array = np.asarray(predictions)
        raise Mistake(
            f"Pass the forecasts as a pandas Series indexed by the test dates, not a "
            f"{type(predictions).__name__} of shape {array.shape}.",
            "`pd.Series(forecasts.ravel(), index=test.index)` attaches the dates, so the "
            "check can confirm each forecast belongs to its day.",
        )
    if predictions.isna().any():
        raise Mistake(
            f"{int(predictions.isna().sum())} forecast(s) are missing (NaN).",
            "Every one of the 100 test days needs a forecast.",
        )
    if not isinstance(predictions.index, pd.DatetimeIndex):
        raise Mistake(
            "The forecasts are not indexed by dates.",
            f"Index them by the test dates ({span}): `pd.Series(values, index=test.index)`.",
        )


def check_length(predictions: pd.Series, test: pd.Series, span: str) -> None:
    """Raise a Mistake unless there is one forecast per test day, naming the days off."""
    n = len(test)
    if len(predictions) == n:
        return
    first, last = predictions.index.min(), predictions.index.max()
    detail = (
        f"The test period is the last {n} days, {span}; yours run from "
        f"{first:%Y-%m-%d} to {last:%Y-%m-%d}."
    )
    if len(predictions) < n and first > test.index[0]:
        detail += (
            " The first test days have no forecast: windows made from the test "
            "values alone cannot cover them. Let each window reach back into the "
            "training days, as `walk_forward` does."
        )
    elif first < test.index[0]:
        detail += " Forecasts of training days do not count; keep only the test days."
    raise Mistake(
        f"There are {len(predictions)} forecasts, but the test period has {n} days.", detail
    )


def check_dates(predictions: pd.Series, series: pd.Series, test: pd.Series, span: str) -> None:
    """Raise a Mistake unless the forecasts carry the test dates in order."""
    if predictions.index.equals(test.index):
        return
    n = len(test)
    if predictions.index.sort_values().equals(test.index):
        raise Mistake(
            "The test days are shuffled: the forecasts are not in date order.",
            "Never shuffle the test period. Walk forward through it day by day, so each "
            "forecast uses only days before it, and keep the dates in order.",
        )
    position = series.index.get_indexer(predictions.index[:1])[0]
    shift = position - (len(series) - n)
    if (
        position >= 0
        and 0 < abs(shift) <= 7
        and predictions.index.equals(series.index[position:][:n])
    ):
        raise Mistake(
            f"The forecast dates are {abs(shift)} day(s) too "
            f"{'late' if shift > 0 else 'early'}: the first is "
            f"{predictions.index[0]:%Y-%m-%d}, the test period starts "
            f"{test.index[0]:%Y-%m-%d}.",
            "The forecast for a day carries that day's date, not the date of the last "
            "input it saw.",
        )
    raise Mistake(
        "The forecast dates are not the test dates.",
        f"The test period is {span}, one forecast per day, in order.",
    )


def check_protocol(predictions, series: pd.Series, test: pd.Series) -> pd.Series:
    """The forecasts as a Series on the test dates, or a Mistake naming what breaks the protocol."""
    span = f"{test.index[0]:%Y-%m-%d} to {test.index[-1]:%Y-%m-%d}"
    check_forecast_series(predictions, span)
    check_length(predictions, test, span)
    check_dates(predictions, series, test, span)
    return predictions


def check_units(values, actual, train) -> None:
    """Raise a Mistake when the forecasts are closer to scaled values than to births."""
    mean, std = float(train.mean()), float(train.std(ddof=0))
    scaled_actual = (actual - mean) / std
    if rmse(scaled_actual, values) < rmse(actual, values):
        raise Mistake(
            f"The forecasts look like scaled values (mean {values.mean():.2f}) rather than "
            f"births (test mean {actual.mean():.1f}).",
            "Turn them back into births before scoring: `scaler.inverse_transform(...)`. "
            "Errors in scaled units are not comparable with persistence.",
        )


def check_leakage(values, actual, error: float, persistence_rmse: float) -> None:
    """Raise a Mistake for forecasts that saw the values they forecast."""
    if close(values, actual, 1e-6):
        raise Mistake(
            "Leakage: the forecasts are exactly the actual test values.",
            "The model (or the code around it) saw the values it was asked to forecast. "
            "Each forecast may use only the days before it.",
        )
    if close(values[:-1], actual[1:], 1e-6):
        raise Mistake(
            "Leakage: each forecast equals the next day's actual value.",
            "The windows reach one day into the future. The forecast for day t must use "
            "the days before t only.",
        )
    if error < SUSPICIOUS * persistence_rmse:
        raise Mistake(
            f"Suspiciously accurate: RMSE {error:.3f} is far below persistence "
            f"({persistence_rmse:.3f}); daily births are too noisy for that.",
            "Check for leakage: does any input window contain the day it forecasts, or was "
            "the model trained on test days? Use `walk_forward` or `task.evaluate(model)`.",
        )
