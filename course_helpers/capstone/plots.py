"""Lesson 8's plots: a few days of 24-hour forecasts, and the error at each hour ahead."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..plots import _date_axis, new_figure
from .data import HORIZON, AirQualityTask

__all__ = ["plot_day_forecasts", "plot_errors_by_horizon"]


def plot_day_forecasts(
    task: AirQualityTask,
    forecasts: dict,
    period: str = "validation",
    first: int = 0,
    days: int = 4,
    intervals=None,
    ax=None,
) -> Figure:
    """Observed PM2.5 and each forecast's 24-hour paths from ``days`` midnights of ``period``.

    ``forecasts`` maps a label to an array (origins, 24) in µg/m³; ``first`` is the index of the
    first midnight shown; ``intervals`` (optional) an :class:`~.strategies.Intervals`
    drawn as a band around the paths.
    """
    windows = task.period(period)
    if not 0 <= first <= len(windows) - days:
        raise ValueError(f"first must be between 0 and {len(windows) - days}, got {first!r}.")
    fig, ax = new_figure(9, 3.4) if ax is None else (ax.figure, ax)
    start = windows.origins[first]
    hours = pd.date_range(start - pd.Timedelta(hours=24), periods=24 * (days + 1), freq="h")
    observed = pd.Series(task.pm, index=task.index).reindex(hours)
    ax.plot(hours, observed, color="black", lw=1.2, label="observed PM2.5")
    for n, (label, values) in enumerate(forecasts.items()):
        for day in range(days):
            path = pd.date_range(windows.origins[first + day], periods=HORIZON, freq="h")
            ax.plot(
                path, values[first + day], color=f"C{n}", lw=1.4, label=label if not day else None
            )
            if intervals is not None and n == 0:
                ax.fill_between(
                    path,
                    intervals.lower[first + day],
                    intervals.upper[first + day],
                    color=f"C{n}",
                    alpha=0.2,
                    label="80% interval" if not day else None,
                )
    ax.set_ylabel("PM2.5 (µg/m³)")
    ax.set_title(f"24-hour forecasts from {days} midnights of the {period} year")
    ax.legend(loc="upper left", fontsize=8)
    _date_axis(ax)
    return fig


def plot_errors_by_horizon(errors: dict, ax=None, title: str | None = None) -> Figure:
    """RMSE at each hour ahead for each label in ``errors`` (label -> values for hours 1-24)."""
    fig, ax = new_figure(9, 3.4) if ax is None else (ax.figure, ax)
    for label, values in errors.items():
        ax.plot(np.arange(1, HORIZON + 1), np.asarray(values), marker=".", label=label)
    ax.set_xlabel("hours ahead")
    ax.set_ylabel("RMSE (µg/m³)")
    ax.set_title(title or "Error at each hour ahead")
    ax.legend(fontsize=8)
    return fig
