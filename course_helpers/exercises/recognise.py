"""Recognise forecasts that did not come from the learner's network, and say what they are.

A check of walk-forward forecasts compares them with the network's own walk-forward forecasts.
When they differ, these steps name what they match instead: the test values themselves, the test
values plus a little noise, persistence, a moving average, the training mean, last week's value,
windows that include the day being forecast, or forecasts still in scaled units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["naive_forecasts", "recognise"]

TOLERANCE = 1e-3  # births: closer than this counts as the same forecast


def _same(a, b) -> bool:
    return bool(np.nanmax(np.abs(np.asarray(a, float) - np.asarray(b, float))) < TOLERANCE)


def naive_forecasts(series: pd.Series, days) -> dict[str, np.ndarray]:
    """Forecasts of the days at positions ``days`` that need no network, by name.

    Each uses only the values before its day: persistence, last week's value and moving
    averages of 2 to 60 days (as many as the first day has days before it).
    """
    values = series.to_numpy(dtype=float)
    days = np.asarray(days)
    first = int(days.min())
    named = {"persistence (each day's forecast is the day before)": values[days - 1]}
    if first >= 7:
        named["last week's value (seasonal naive)"] = values[days - 7]
    for k in range(2, min(60, first) + 1):
        named[f"a {k}-day moving average"] = np.array([values[t - k : t].mean() for t in days])
    return named


def _test_forecasts(series: pd.Series, n_test: int) -> dict[str, np.ndarray]:
    """The test values, their naive forecasts and the training mean, by name."""
    values = series.to_numpy(dtype=float)
    n = len(values)
    days = np.arange(n - n_test, n)
    named = {"the actual test values themselves": values[days], **naive_forecasts(series, days)}
    named["the training mean"] = np.full(n_test, values[: n - n_test].mean())
    return named


def recognise(forecasts: np.ndarray, series: pd.Series, n_test: int, leaked=None) -> str | None:
    """What ``forecasts`` of the last ``n_test`` days are, if not the network's, or None.

    ``leaked`` is optional: the network's forecasts from windows that wrongly include the day
    being forecast, to recognise that mistake by name.
    """
    forecasts = np.asarray(forecasts, dtype=float)
    actual = series.to_numpy(dtype=float)[-n_test:]
    for name, naive in _test_forecasts(series, n_test).items():
        if _same(forecasts, naive):
            return f"These forecasts equal {name}: they did not come from your network."
    if leaked is not None and _same(forecasts, leaked):
        return (
            "These forecasts come from windows that include the day being forecast: each "
            "window must end the day before."
        )
    scale = actual.std()
    if abs(forecasts.mean()) < 0.2 * scale and forecasts.std() < 0.2 * scale:
        return (
            "These forecasts are near 0: they are still in scaled units. Turn them back into "
            "births with `scaler.inverse_transform(...)`."
        )
    naive_error = np.sqrt(np.mean((actual - series.to_numpy(dtype=float)[-n_test - 1 : -1]) ** 2))
    error = np.sqrt(np.mean((forecasts - actual) ** 2))
    if error < 0.6 * naive_error and np.corrcoef(forecasts, actual)[0, 1] > 0.9:
        return (
            f"These forecasts follow the test values far too closely (RMSE {error:.2f} against "
            f"persistence's {naive_error:.2f}): they must have seen the days they forecast."
        )
    return None
