"""Lesson 7, Task D: score multi-step forecast paths horizon by horizon, beside naive forecasts
made from the same origins.

The learner gets ``paths``: the model's forecasts from every origin whose days reach the test
period, one row per origin (the path's first day) and one column per day ahead, in births. For
each horizon ``h`` the forecast of test day ``d`` is the one made ``h - 1`` days before it, at
column ``h``; persistence from that origin is the day ``h`` days before ``d``, and the 7-day
moving average is the mean of the seven days before the origin. The check
(:class:`HorizonScoresExercise`) compares the learner's three RMSEs per horizon with those and
names the mistakes: one number for all horizons, a forecast scored against its path's first day
instead of the day it forecasts, naive forecasts that read days after the origin, squared
errors, horizons in reverse order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..evaluation import N_TEST
from .core import Exercise, Feedback, Mistake, is_placeholder
from .diagnose import births, fmt

__all__ = ["HorizonScoresExercise", "horizon_forecasts"]

TOL = 1e-5  # births: the same forecasts scored another way agree far closer


def horizon_forecasts(paths: pd.DataFrame, series: pd.Series, n_test: int = N_TEST) -> dict:
    """Each forecast of the test days by horizon: the model's, persistence's, the average's.

    Returns ``{"model": (horizons, n_test), "persistence": ..., "moving average": ...,
    "actual": (n_test,)}``, plus the mistaken versions the check names: ``"misaligned"`` (a
    path scored on its first day at every step) and the naive forecasts from the day before
    each test day (``"persistence, day before"``, ``"moving average, day before"``).
    """
    values = series.to_numpy(dtype=float)
    n, horizon = len(values), paths.shape[1]
    table = paths.to_numpy(dtype=float)  # (origins, horizon)
    first = list(series.index).index(paths.index[0])
    days = np.arange(n - n_test, n)  # positions of the test days
    average = pd.Series(values).rolling(7).mean().to_numpy()  # position d: days d-6 .. d
    steps = range(1, horizon + 1)
    return {
        "actual": values[days],
        "model": np.stack([table[days - (h - 1) - first, h - 1] for h in steps]),
        "misaligned": np.stack([table[days - first, h - 1] for h in steps]),
        "persistence": np.stack([values[days - h] for h in steps]),
        "moving average": np.stack([average[days - h] for h in steps]),
        "persistence, day before": np.stack([values[days - 1] for _ in steps]),
        "moving average, day before": np.stack([average[days - 1] for _ in steps]),
        "moving average, with the day": np.stack([average[days] for _ in steps]),
    }


def _rmse(forecasts: np.ndarray, actual: np.ndarray) -> np.ndarray:
    return np.sqrt(((forecasts - actual) ** 2).mean(axis=-1))


def _read(value, name: str, horizon: int) -> np.ndarray:
    """The learner's scores as floats, or a Mistake naming what they are."""
    if is_placeholder(value) or (
        isinstance(value, (list, tuple)) and any(is_placeholder(v) for v in value)
    ):
        raise Mistake(f"`{name}` is still `____`.", status="not attempted")
    try:
        scores = np.asarray(value, dtype=float).ravel()
    except (TypeError, ValueError):
        raise Mistake(f"`{name}` should be {horizon} numbers, one per day ahead.") from None
    return scores


class HorizonScoresExercise(Exercise):
    """Task D: RMSE at each horizon for the model, persistence and the 7-day moving average."""

    title = "Score the forecast paths horizon by horizon"
    answers = ("model_rmse", "persistence_rmse", "average_rmse")
    label = "Task D"
    hints = (
        "Take one horizon at a time. The forecast of a test day 2 days ahead was made by the "
        "path that starts the day before it, in that path's column 2. Which path, and which "
        "column, forecasts a test day 3 days ahead? Persistence and the moving average are made "
        "from the same origin: they may use only days before it.",
        "`paths[h].shift(h - 1)` moves each path's step-`h` forecast onto the day it forecasts; "
        "`.loc[test_days]` keeps the test days. From the same origin, persistence for that day is "
        "`task.series.shift(h)`, and the moving average `task.series.rolling(7).mean().shift(h)`. "
        "`ch.rmse(task.test, forecast)` scores one of them.",
        """\
```
model_rmse, persistence_rmse, average_rmse = [], [], []
for h in range(1, horizon + 1):
    forecast = paths[h].shift(h - 1).loc[test_days]  # made h - 1 days before each test day
    model_rmse.append(ch.rmse(task.test, forecast))
    persistence_rmse.append(ch.rmse(task.test, ____))  # the day h days before
    average_rmse.append(ch.rmse(task.test, ____))  # the 7 days before the origin
```""",
    )
    solution_details = (
        "For horizon `h`, each test day is scored with the forecast made `h - 1` days before it "
        "(its path starts there); persistence and the 7-day average are made from that same "
        "origin, so they read only the days before it. All three are scored on the same 100 "
        "test days.",
    )
    solution_code = """\
model_rmse, persistence_rmse, average_rmse = [], [], []
for h in range(1, horizon + 1):
    forecast = paths[h].shift(h - 1).loc[test_days]  # the path that started h - 1 days earlier
    model_rmse.append(ch.rmse(task.test, forecast))
    persistence_rmse.append(ch.rmse(task.test, task.series.shift(h).loc[test_days]))
    average = task.series.rolling(7).mean().shift(h)  # the 7 days before the origin
    average_rmse.append(ch.rmse(task.test, average.loc[test_days]))"""

    def _check(self, model_rmse, persistence_rmse, average_rmse, paths):
        if not isinstance(paths, pd.DataFrame):
            raise Mistake("`paths` should be the table of forecast paths the lesson made above.")
        horizon = paths.shape[1]
        found = horizon_forecasts(paths, births())
        right = {k: _rmse(v, found["actual"]) for k, v in found.items() if k != "actual"}
        given = {
            "model_rmse": _read(model_rmse, "model_rmse", horizon),
            "persistence_rmse": _read(persistence_rmse, "persistence_rmse", horizon),
            "average_rmse": _read(average_rmse, "average_rmse", horizon),
        }
        for name, key in [
            ("model_rmse", "model"),
            ("persistence_rmse", "persistence"),
            ("average_rmse", "moving average"),
        ]:
            _judge(name, given[name], right, key, found, horizon)
        rows = [
            f"{h} day{'s' if h > 1 else ''} ahead: model {right['model'][h - 1]:.3f}, persistence "
            f"{right['persistence'][h - 1]:.3f}, 7-day moving average "
            f"{right['moving average'][h - 1]:.3f}"
            for h in range(1, horizon + 1)
        ]
        return Feedback(
            "correct",
            f"Your scores are the RMSE at each of the {horizon} horizons, each on the same "
            f"{len(found['actual'])} test days, beside naive forecasts from the same origins.",
            rows,
        )


def _judge(name: str, scores: np.ndarray, right: dict, key: str, found: dict, horizon: int):
    """Raise the mistake ``scores`` shows, or return when they are ``right[key]``."""
    want = right[key]
    if scores.shape == want.shape and np.allclose(scores, want, atol=TOL):
        return
    if scores.size == 1:
        overall = np.sqrt(((found[key] - found["actual"]) ** 2).mean())
        known = [
            (overall, ": the RMSE over all horizons at once"),
            (want.mean(), ": the mean of the horizons' RMSEs"),
        ]
        said = next((text for value, text in known if abs(scores[0] - value) < TOL), "")
        raise Mistake(
            f"`{name}` is one number ({scores[0]:.3f}){said}. The lesson asks for {horizon}, "
            "one per day ahead, to see how the error grows with the horizon.",
        )
    if scores.shape != want.shape:
        raise Mistake(
            f"`{name}` has {scores.size} numbers; it should have {horizon}, one per day ahead.",
        )
    if np.allclose(scores, want[::-1], atol=TOL):
        raise Mistake(f"`{name}` lists the horizons backwards: start with 1 day ahead.")
    if np.allclose(scores, want**2, atol=TOL):
        raise Mistake(
            f"`{name}` holds squared errors (MSE), {fmt(np.round(scores, 2))}.",
            "Take the square root of the mean squared error: `ch.rmse` does.",
        )
    _misaligned(name, scores, right, key)
    raise Mistake(
        f"`{name}` is {fmt(np.round(scores, 3))}; these are not the RMSEs of the "
        f"{'model' if key == 'model' else key} forecasts of the test days by horizon.",
        "Score each horizon on the same test days, `task.test`, with the forecast made from "
        "the origin `h - 1` days before each of them (ask for a hint).",
    )


def _misaligned(name: str, scores: np.ndarray, right: dict, key: str) -> None:
    """Raise the mistake of forecasts scored on the wrong day, or naive ones read too late."""
    if key == "model" and np.allclose(scores, right["misaligned"], atol=TOL):
        raise Mistake(
            f"`{name}` scores each path's step-`h` forecast against the path's first day, not "
            "against the day it forecasts.",
            "The forecast `h` days ahead lands `h - 1` days after the path's first day: "
            "`paths[h].shift(h - 1)` lines it up with that day.",
        )
    if key == "model":
        return
    later = right[f"{key}, day before"]
    if np.allclose(scores, later, atol=TOL):
        raise Mistake(
            f"`{name}` uses the day before each test day at every horizon: at 2 and 3 days "
            "ahead that reads days after the origin, which the model could not see.",
            "From the origin, the last day seen is `h` days before the test day: "
            + ("`task.series.shift(h)`." if key == "persistence" else "`.shift(h)`."),
        )
    if key == "moving average" and np.allclose(scores, right[f"{key}, with the day"], atol=TOL):
        raise Mistake(
            f"`{name}` averages windows that include the day being forecast.",
            "`rolling(7).mean()` on a day includes that day: shift it by `h`.",
        )
