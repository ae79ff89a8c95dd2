"""Lesson 8: the recursive multi-step strategy, and 80% intervals calibrated on validation.

*Recursive*: a model trained to forecast one hour is run 24 times, each forecast written into the
window as if it had been observed. Only inputs known in advance may be fed back with it: PM2.5
(the forecast), its missing flag (0) and the calendar. Weather of the coming hours is not known at
midnight, so the recursive strategy is defined for the ``"pm2.5"`` and ``"pm2.5 + calendar"``
inputs only.

*Intervals*: a network with three outputs per hour (the 10%, 50% and 90% quantiles, trained with
the pinball loss) gives a raw interval. Conformal calibration widens (or narrows) each hour's
interval by the amount that makes 80% of the validation hours fall inside it; the test year then
shows whether that coverage holds on data the calibration never saw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import CALENDAR, HORIZON, PM_INPUTS, AirQualityTask, Windows

__all__ = ["Intervals", "calibrate_intervals", "recursive_forecaster"]


def recursive_forecaster(task: AirQualityTask):
    """A function ``(model, windows) -> (origins, 24)`` that runs a one-hour model 24 times.

    Each step's forecast (scaled PM2.5) becomes the newest hour of the window, with the missing
    flag 0 and that hour's calendar inputs, and the oldest hour drops out.
    """
    known = set(PM_INPUTS) | set(CALENDAR)
    unknown = [c for c in task.columns if c not in known]
    if unknown:
        raise ValueError(
            f"A recursive forecast would need the future values of {', '.join(unknown)}, which "
            "are not known at the origin; use inputs='pm2.5' or 'pm2.5 + calendar'."
        )
    pm, flag = task.columns.index("pm2.5"), task.columns.index("pm2.5 missing")

    def forecast(model, windows: Windows) -> np.ndarray:
        positions = task.index.get_indexer(windows.origins)
        X = np.array(windows.X, dtype="float32")  # (origins, window, n_features), a working copy
        out = np.empty((len(X), HORIZON), dtype="float32")
        for step in range(HORIZON):
            out[:, step] = np.asarray(model(X, training=False)).reshape(len(X), -1)[:, 0]
            newest = task.values[positions + step].copy()  # calendar of the hour just forecast
            newest[:, pm], newest[:, flag] = out[:, step], 0.0
            X = np.concatenate([X[:, 1:], newest[:, None, :]], axis=1)  # slide by one hour
        return out

    return forecast


@dataclass(frozen=True)
class Intervals:
    """80% intervals per hour ahead: ``lower`` and ``upper`` (origins, 24) in µg/m³."""

    lower: np.ndarray
    upper: np.ndarray

    def coverage(self, actual) -> pd.DataFrame:
        """Share of observed hours inside the interval and mean width, per hour ahead."""
        actual = np.asarray(actual, dtype=float)
        observed = ~np.isnan(actual)
        inside = np.where(observed, (actual >= self.lower) & (actual <= self.upper), np.nan)
        width = np.where(observed, self.upper - self.lower, np.nan)
        return pd.DataFrame(
            {"coverage": np.nanmean(inside, axis=0), "width": np.nanmean(width, axis=0)},
            index=pd.RangeIndex(1, actual.shape[1] + 1, name="hours ahead"),
        )

    def overall(self, actual) -> tuple[float, float]:
        """Coverage and mean width (µg/m³) over every observed hour."""
        actual = np.asarray(actual, dtype=float)
        observed = ~np.isnan(actual)
        inside = (actual >= self.lower) & (actual <= self.upper)
        return float(inside[observed].mean()), float((self.upper - self.lower)[observed].mean())


def calibrate_intervals(lower_val, upper_val, actual_val, level: float = 0.8):
    """Per-hour widening that gives ``level`` coverage on validation (conformal calibration).

    For each hour ahead the conformity score ``max(lower - y, y - upper)`` is computed on the
    observed validation hours; its ``level`` quantile (with the finite-sample correction) is
    added to both ends of every later interval (a lower end below 0 becomes 0). Returns a
    function ``(lower, upper) -> Intervals``.
    """
    actual_val = np.asarray(actual_val, dtype=float)
    scores = np.maximum(lower_val - actual_val, actual_val - upper_val)  # (origins, 24)
    margin = np.empty(scores.shape[1])
    for hour in range(scores.shape[1]):
        observed = scores[~np.isnan(actual_val[:, hour]), hour]
        rank = min(1.0, level * (len(observed) + 1) / len(observed))
        margin[hour] = np.quantile(observed, rank)

    def apply(lower, upper) -> Intervals:
        # PM2.5 is never negative: a lower end below 0 is raised to 0 (coverage is unchanged)
        return Intervals(np.maximum(np.asarray(lower) - margin, 0.0), np.asarray(upper) + margin)

    apply.margin = margin
    return apply
