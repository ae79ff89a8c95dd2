"""Gradient-boosted trees on past-only features: the tabular standard beside the ridge (lesson 8).

Given a table of lagged values and covariates, practitioners reach for gradient-boosted trees
first. Here they read a summary of the same 48 hours the ridge reads, all known at the origin
(:func:`tabular_features`): PM2.5 at 11 lags and its mean over the last 24 and 48 hours, the last
hour of every other input, and how the weather changed over the last 3 and 24 hours. One
scikit-learn ``HistGradientBoostingRegressor`` per hour ahead (24 models) learns the scaled
target of its hour from the same training origins as the networks (every hour of 2010-2012), so
its forecasts go through :meth:`~.data.AirQualityTask.to_pm`, clipped at 0, like every other
model's. Its settings (:data:`BOOSTING`) were chosen on 2013 by ``make tune-capstone``.

The trees grow on one thread: on a busy 2-core machine OpenMP's second thread waits at every
split, and a fit took many times longer (50 iterations: 1.9 s on one thread, 55 s on two while
other jobs ran). scikit-learn is imported when trees are first fitted, not with the package.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from .data import HORIZON, WEATHER, AirQualityTask, Windows

__all__ = ["BOOSTING", "BoostedTrees", "BoostingSettings", "fit_boosted", "tabular_features"]

LAGS = (1, 2, 3, 4, 6, 8, 12, 18, 24, 36, 48)  # hours back: the ridge's 48 hours, thinned
MEANS = (24, 48)  # PM2.5 averaged over the last this many hours
CHANGES = (3, 24)  # the weather's change over the last this many hours


@dataclass(frozen=True)
class BoostingSettings:
    """The trees' settings, in scikit-learn's words; ``max_iter`` trees per hour ahead."""

    learning_rate: float = 0.1
    max_leaf_nodes: int = 15
    min_samples_leaf: int = 100
    max_features: float = 0.5
    max_iter: int = 60


# Chosen on 2013 by `make tune-capstone` (course_tools/tune_capstone.py) from BOOSTING_GRID, whose
# 40 trees per hour at most keep the 24 fits to about 6 s of CPU in the lesson (up to 200 trees
# at a rate of 0.05 scored 73.72 µg/m³ on 2013 against 73.85 for 40 at 0.1, and cost 15 s).
BOOSTING = BoostingSettings(learning_rate=0.1, max_leaf_nodes=15, max_iter=40)
BOOSTING_GRID = {"learning_rate": [0.1, 0.2], "max_leaf_nodes": [7, 15, 31], "max_iter": [40]}


def tabular_features(task: AirQualityTask) -> pd.DataFrame:
    """What is known before each hour, one row per hour: row p feeds the origin at hour p.

    PM2.5 (past-filled, µg/m³) at each of :data:`LAGS` hours back and its mean over the last 24
    and 48 hours; the last hour of every other input of the task (scaled); for each weather
    input, its change over the last 3 and 24 hours. Nothing is read from hour p or later.
    """
    values = pd.DataFrame(task.values, index=task.index, columns=list(task.columns))
    pm = pd.Series(task.pm_filled, index=task.index)
    columns = {f"pm2.5 {lag} h before": pm.shift(lag) for lag in LAGS}
    for hours in MEANS:
        columns[f"pm2.5 mean of the last {hours} h"] = pm.shift(1).rolling(hours, 1).mean()
    last = values.shift(1)  # the hour before the origin
    for name in task.columns:
        if name != "pm2.5":
            columns[name] = last[name]
        for hours in CHANGES if name in WEATHER else ():
            before = values[name].shift(hours + 1)  # the value `hours` before the last hour
            columns[f"{name} change over {hours} h"] = last[name] - before
    return pd.DataFrame(columns).astype("float32")


class BoostedTrees:
    """24 gradient-boosted tree models, one per hour ahead, reading :func:`tabular_features`."""

    def __init__(self, settings: BoostingSettings = BOOSTING):
        self.settings = settings
        self.models: list = []
        self.feature_names: list[str] = []
        self._table = None

    def _rows(self, task: AirQualityTask, windows: Windows) -> np.ndarray:
        """The feature rows of the origins of ``windows``: (origins, features)."""
        return self._table[task.index.get_indexer(windows.origins)]

    def fit(self, task: AirQualityTask) -> BoostedTrees:
        """Fit one model per hour ahead on the task's training origins and scaled targets."""
        from sklearn.ensemble import HistGradientBoostingRegressor
        from threadpoolctl import threadpool_limits

        table = tabular_features(task)
        self.feature_names, self._table = list(table.columns), table.to_numpy()
        X, y = self._rows(task, task.train), task.y_train  # (samples, features), (samples, 24)
        settings = asdict(self.settings)
        with threadpool_limits(1, user_api="openmp"):
            self.models = [
                HistGradientBoostingRegressor(**settings, early_stopping=False, random_state=0).fit(
                    X, y[:, hour]
                )
                for hour in range(HORIZON)
            ]
        return self

    def predict(self, task: AirQualityTask, windows: Windows) -> np.ndarray:
        """Scaled forecasts for the origins of ``windows``: (origins, 24)."""
        return self.staged_predict(task, windows, last_only=True)[0]

    def staged_predict(self, task, windows: Windows, last_only: bool = False) -> np.ndarray:
        """Scaled forecasts after each tree, ``(trees, origins, 24)`` (``last_only``: the last)."""
        from threadpoolctl import threadpool_limits

        if not self.models:
            raise ValueError("Fit the trees first: trees = cap.fit_boosted(task).")
        X = self._rows(task, windows)
        with threadpool_limits(1, user_api="openmp"):
            if last_only:
                return np.stack([m.predict(X) for m in self.models], axis=-1)[None]
            return np.stack([np.stack(list(m.staged_predict(X))) for m in self.models], axis=-1)

    def __repr__(self):
        return f"BoostedTrees({HORIZON} models of {self.settings})"


def fit_boosted(task: AirQualityTask, settings: BoostingSettings = BOOSTING) -> BoostedTrees:
    """The trees fitted on the task's training years, kept on the task (a second call is free)."""
    kept = task.__dict__.setdefault("_boosted", {})
    if settings not in kept:
        kept[settings] = BoostedTrees(settings).fit(task)
    return kept[settings]
