"""Lesson 8's results table: every forecast's scores, and how it compares with the ridge.

:func:`results_table` is the table of the lesson's test-year section and of
``course_tools.benchmark_capstone`` (the README's capstone table): for each forecast, its RMSE
on each period and its gain on the reference (the ridge) with a paired 95% interval over the
days, from a moving-block bootstrap (:func:`course_helpers.comparison_table`); a "tie" where
the interval covers 0. :func:`blend` averages forecasts with weights fixed in advance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..comparison import comparison_table
from .baselines import score
from .data import PERIODS, AirQualityTask

__all__ = ["RIDGE", "blend", "gain_text", "readable", "results_table", "verdict_lines"]

RIDGE = "linear autoregression (ridge)"


def blend(*forecasts, weights=None) -> np.ndarray:
    """The weighted mean of forecasts of the same origins (equal weights unless given)."""
    weights = np.full(len(forecasts), 1 / len(forecasts)) if weights is None else weights
    if len(weights) != len(forecasts) or not np.isclose(np.sum(weights), 1.0):
        raise ValueError(f"Give one weight per forecast, summing to 1; got {list(weights)}.")
    return sum(w * np.asarray(f, dtype=float) for w, f in zip(weights, forecasts))


def results_table(
    task: AirQualityTask, forecasts: dict, reference: str = RIDGE, periods=("validation", "test")
) -> pd.DataFrame:
    """One row per forecast: for each period its RMSE and, against ``reference``, the gain
    (reference RMSE minus its own), the 95% interval and the verdict; for the last period its
    MAE and its RMSE 1 and 24 hours ahead.

    ``forecasts`` maps a name to ``{period: (origins, 24) array in µg/m³}``; rows keep its
    order. The reference's own gain is 0, with no interval.
    """
    columns = {}
    for period in periods:
        actual = task.period(period).y
        by_name = {name: f[period] for name, f in forecasts.items()}
        versus = comparison_table(actual, by_name, reference)
        columns[f"{period} RMSE"] = {n: score(f, actual).rmse for n, f in by_name.items()}
        columns[f"{period} gain"] = versus["gain"]
        columns[f"{period} low"] = versus["95% low"]
        columns[f"{period} high"] = versus["95% high"]
        columns[f"{period} verdict"] = versus["verdict"]
    last = task.period(periods[-1]).y
    scores = {name: score(f[periods[-1]], last) for name, f in forecasts.items()}
    columns[f"{periods[-1]} MAE"] = {n: s.mae for n, s in scores.items()}
    columns[f"{periods[-1]} 1 h"] = {n: s.by_horizon["rmse"].iloc[0] for n, s in scores.items()}
    columns[f"{periods[-1]} 24 h"] = {n: s.by_horizon["rmse"].iloc[-1] for n, s in scores.items()}
    table = pd.DataFrame(columns).reindex(list(forecasts))
    for period in periods:
        table.loc[reference, f"{period} gain"] = 0.0
        table.loc[reference, f"{period} verdict"] = "reference"
    return table


def _year(period: str) -> str:
    first, last = PERIODS[period]
    return str(first) if first == last else f"{first}-{last}"


def gain_text(row, period: str) -> str:
    """A gain with its interval and verdict, ``+0.85 [-0.46, +2.14] tie``, or ``reference``."""
    if row[f"{period} verdict"] == "reference":
        return "reference"
    return (
        f"{row[f'{period} gain']:+.2f} [{row[f'{period} low']:+.2f}, "
        f"{row[f'{period} high']:+.2f}] {row[f'{period} verdict']}"
    )


def readable(table: pd.DataFrame, seeds: dict | None = None) -> pd.DataFrame:
    """The results table as text, best on the last period first: RMSEs and errors to 0.1 µg/m³,
    each gain on the ridge with its 95% interval and verdict. ``seeds`` (a network's name ->
    ``{period: (mean, sd)}`` of its single seeds' RMSE) adds that spread, a separate number.
    """
    periods = [c[: -len(" verdict")] for c in table.columns if c.endswith(" verdict")]
    last = periods[-1]
    rows = {}
    for name in table.sort_values(f"{last} RMSE").index:
        row, cells = table.loc[name], {}
        for period in periods:
            cells[f"{_year(period)} RMSE"] = f"{row[f'{period} RMSE']:.1f}"
            cells[f"gain on the ridge, {_year(period)}"] = gain_text(row, period)
        for measure in ("MAE", "1 h", "24 h"):
            cells[f"{_year(last)} {measure}"] = f"{row[f'{last} {measure}']:.1f}"
        if seeds:
            spread = seeds.get(name)
            cells["one seed, mean ± sd"] = (
                ", ".join(f"{m:.1f} ± {sd:.1f}" for m, sd in (spread[p] for p in periods))
                if spread
                else ""
            )
        rows[name] = cells
    return pd.DataFrame.from_dict(rows, orient="index")


def verdict_lines(table: pd.DataFrame, leave_out=()) -> list[str]:
    """Which forecasts beat the reference on which period, by the day-level interval, one line
    per group (better on every period, on one only, on none; worse on any). ``leave_out``: names
    not to list (the naive baselines, say)."""
    periods = [c[: -len(" verdict")] for c in table.columns if c.endswith(" verdict")]
    names = [n for n in table.index if n not in leave_out]
    names = [n for n in names if table.loc[n, f"{periods[0]} verdict"] != "reference"]
    better = {n: [table.loc[n, f"{p} verdict"] == "better" for p in periods] for n in names}
    years = [_year(p) for p in periods]
    groups = {f"better than the ridge on {' and on '.join(years)}": lambda b: all(b)}
    for i, year in enumerate(years):
        groups[f"better on {year} only"] = lambda b, i=i: b[i] and sum(b) == 1
    groups["better on neither (a tie, or worse)"] = lambda b: not any(b)
    lines = [
        f"- {words}: {', '.join(n for n in names if test(better[n])) or 'none'}."
        for words, test in groups.items()
    ]
    worse = [n for n in names if "worse" in [table.loc[n, f"{p} verdict"] for p in periods]]
    lines.append(f"- worse than the ridge on at least one: {', '.join(worse) or 'none'}.")
    return lines
