"""Scoring 24-hour PM2.5 forecasts, and the baselines a network must beat (lesson 8).

:func:`score` gives RMSE and MAE in µg/m³ at each horizon and over all 24 hours, counting only the
hours whose PM2.5 was observed. The baselines forecast from the same midnight origins: persistence
(the last value seen, 24 times), the same hour yesterday, the training years' mean for each hour
of the day, and :class:`Ridge`, a linear autoregression on the same input windows with one output
per hour (closed-form ridge regression in NumPy). The ridge learns the scaled target, as the
networks do, and forecasts through :meth:`AirQualityTask.to_pm`, clipped at 0 like them; the
first three read observed PM2.5 and are never negative.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import HORIZON, AirQualityTask, Windows, period_mask

__all__ = [
    "RIDGE_ALPHAS",
    "RIDGE_GRID",
    "RIDGE_WINDOW",
    "Ridge",
    "Score",
    "baseline_forecasts",
    "fit_ridge",
    "hourly_mean",
    "persistence_24",
    "same_hour_yesterday",
    "score",
]


RIDGE_ALPHAS = (0.1, 1.0, 10.0, 100.0, 1000.0)  # the penalties fit_ridge scores on 2013
RIDGE_WINDOW = 48  # hours the ridge reads: chosen on 2013 by `make tune-capstone` from RIDGE_GRID
RIDGE_GRID = {"window": [24, 48, 72], "alpha": list(RIDGE_ALPHAS)}


@dataclass(frozen=True)
class Score:
    """RMSE and MAE (µg/m³) over all scored hours and ``by_horizon`` (rows 1 to 24)."""

    rmse: float
    mae: float
    by_horizon: pd.DataFrame

    def __repr__(self):
        return f"Score(RMSE {self.rmse:.1f}, MAE {self.mae:.1f} µg/m³ over {HORIZON} hours)"


def score(forecast, actual) -> Score:
    """Score forecasts ``(origins, 24)`` against ``actual`` (NaN = not observed, not scored)."""
    forecast = np.asarray(forecast, dtype=float)
    actual = np.asarray(actual, dtype=float)
    if forecast.ndim == 3 and forecast.shape[-1] == 1:
        forecast = forecast[..., 0]  # (origins, 24, 1) -> (origins, 24)
    if forecast.shape != actual.shape:
        raise ValueError(
            f"The forecasts have shape {forecast.shape} but the targets {actual.shape}: one row "
            f"per origin, one column per hour ahead ({HORIZON})."
        )
    if np.isnan(forecast).any():
        raise ValueError("The forecasts contain NaN; a forecast must give a number for every hour.")
    observed = ~np.isnan(actual)
    error = np.where(observed, forecast - np.nan_to_num(actual), np.nan)
    by_horizon = pd.DataFrame(
        {
            "rmse": np.sqrt(np.nanmean(error**2, axis=0)),
            "mae": np.nanmean(np.abs(error), axis=0),
            "hours scored": observed.sum(axis=0),
        },
        index=pd.RangeIndex(1, forecast.shape[1] + 1, name="hours ahead"),
    )
    return Score(float(np.sqrt(np.nanmean(error**2))), float(np.nanmean(np.abs(error))), by_horizon)


def persistence_24(windows: Windows) -> np.ndarray:
    """The last PM2.5 seen before each origin, repeated for the 24 hours: (origins, 24)."""
    return np.repeat(windows.recent[:, -1:], HORIZON, axis=1)


def same_hour_yesterday(windows: Windows) -> np.ndarray:
    """The (past-filled) PM2.5 of the 24 hours before each origin: (origins, 24)."""
    return np.asarray(windows.recent, dtype=float)


def hourly_mean(task: AirQualityTask, windows: Windows) -> np.ndarray:
    """The training years' mean PM2.5 for the hour of the day of each forecast hour."""
    train = period_mask(task.index, "train")
    means = pd.Series(task.pm[train]).groupby(task.index.hour[train]).mean()  # 24 values
    hours = (windows.origins.hour.to_numpy()[:, None] + np.arange(HORIZON)) % 24
    return means.to_numpy()[hours]


def _normal_equations(X, y, chunk: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """``AᵀA`` and ``Aᵀy`` for the design ``A`` (flattened windows and a column of ones).

    Summed over chunks of rows, so the float64 design matrix (134 MB for 21,835 windows of
    48 x 16) is never built whole.
    """
    y = np.asarray(y, dtype=float)
    width = int(np.prod(X.shape[1:])) + 1
    gram, cross = np.zeros((width, width)), np.zeros((width, y.shape[1]))
    for start in range(0, len(X), chunk):
        A = Ridge._design(X[start : start + chunk])
        gram += A.T @ A
        cross += A.T @ y[start : start + chunk]
    return gram, cross


class Ridge:
    """Linear autoregression: ridge regression from a flattened window to 24 outputs at once.

    ``fit`` solves ``(XᵀX + αI) w = Xᵀy`` in closed form (the intercept is not penalised);
    ``predict`` returns forecasts in the units of the targets it was fitted on.
    """

    def __init__(self, alpha: float = 10.0):
        if not alpha >= 0:
            raise ValueError(f"alpha must be 0 or more, got {alpha!r}.")
        self.alpha = float(alpha)
        self.weights = None

    @staticmethod
    def _design(X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        flat = X.reshape(len(X), -1)  # (samples, window * n_features)
        return np.hstack([flat, np.ones((len(X), 1))])

    def fit(self, X, y) -> Ridge:
        """Fit on windows ``X`` (samples, window, n_features) and targets ``y`` (samples, 24)."""
        y = np.asarray(y, dtype=float)
        if np.isnan(y).any():
            raise ValueError("The targets contain NaN; fit on samples whose targets were observed.")
        self.weights = self._solve(*_normal_equations(X, y))
        return self

    def _solve(self, gram, cross) -> np.ndarray:
        penalty = self.alpha * np.eye(len(gram))
        penalty[-1, -1] = 0.0  # no penalty on the intercept
        return np.linalg.solve(gram + penalty, cross)

    def predict(self, X) -> np.ndarray:
        """Forecasts for windows ``X``: (samples, 24)."""
        if self.weights is None:
            raise ValueError("Fit the ridge model first: Ridge(alpha).fit(X, y).")
        return self._design(X) @ self.weights

    def __repr__(self):
        return f"Ridge(alpha={self.alpha:g})"


def fit_ridge(task: AirQualityTask, alphas=RIDGE_ALPHAS) -> tuple[Ridge, dict]:
    """The ridge model whose ``alpha`` scores best on validation; also every alpha's RMSE.

    Fitted on the training samples and their scaled targets (``task.y_train``, as the networks
    learn them; ``predict`` then gives scaled outputs, ``task.to_pm`` the forecast). Each alpha's
    forecast, clipped at 0, is scored on the 2013 midnights; the test year is not looked at. The
    result is kept on the task, so a second call (by the explorer or a check) costs nothing.
    """
    kept = task.__dict__.setdefault("_ridges", {})
    if tuple(alphas) not in kept:
        gram, cross = _normal_equations(task.train.X, task.y_train)  # once for every alpha
        by_alpha, best = {}, None
        for alpha in alphas:
            model = Ridge(alpha)
            model.weights = model._solve(gram, cross)
            forecast = task.to_pm(model.predict(task.validation.X))
            by_alpha[alpha] = score(forecast, task.validation.y).rmse
            if best is None or by_alpha[alpha] < by_alpha[best.alpha]:
                best = model
        kept[tuple(alphas)] = (best, by_alpha)
    best, by_alpha = kept[tuple(alphas)]
    return best, dict(by_alpha)


def baseline_forecasts(task: AirQualityTask, period: str = "validation", ridge=None) -> dict:
    """Forecasts of every baseline for the midnights of ``period``, by name (origins, 24) in µg/m³.

    With ``ridge`` (from :func:`fit_ridge`), the linear autoregression's forecast, clipped at 0.
    """
    windows = task.period(period)
    forecasts = {
        "persistence": persistence_24(windows),
        "same hour yesterday": same_hour_yesterday(windows),
        "training mean for the hour": hourly_mean(task, windows),
    }
    if ridge is not None:
        forecasts["linear autoregression (ridge)"] = task.to_pm(ridge.predict(windows.X))
    return forecasts
