"""Lesson 9's plots: some series, the error by hour ahead, forecasts against the actual hours."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..plots import new_figure
from .data import Panel

__all__ = ["plot_errors_by_horizon", "plot_forecasts", "plot_series"]


def plot_series(panel: Panel, names, hours: int = 24 * 14) -> Figure:
    """The last ``hours`` of the series named ``names``, one panel each, on their own scale."""
    fig, axes = new_figure(9, 1.5 * len(names), nrows=len(names), sharex=True)
    for ax, name in zip(np.atleast_1d(axes), names):
        i = panel.names.index(name)
        values = panel.series(i)[-hours:]
        ax.plot(np.arange(-len(values), 0), values, lw=0.9)
        ax.set_ylabel(name, rotation=0, ha="right")
    np.atleast_1d(axes)[-1].set_xlabel("hours before the end of the training series")
    return fig


def plot_errors_by_horizon(errors: dict, measure: str = "sMAPE", title: str = "") -> Figure:
    """One line per label: ``errors`` maps a label to the error at hours 1 .. horizon ahead."""
    fig, ax = new_figure(9, 3.4)
    for label, values in errors.items():
        values = np.asarray(values)
        ax.plot(np.arange(1, len(values) + 1), values, marker=".", label=label)
    ax.set_xlabel("hours ahead")
    ax.set_ylabel(measure)
    ax.set_title(title or f"{measure} at each hour ahead")
    ax.legend(fontsize=8)
    return fig


def plot_forecasts(
    history: Panel, actual, forecasts: dict, names, hours_before: int = 24 * 5
) -> Figure:
    """For each series in ``names``: its last hours, the actual next hours and each forecast.

    ``actual`` and each value of ``forecasts`` (label -> array) are ``(n_series, horizon)``.
    """
    fig, axes = new_figure(9, 1.9 * len(names), nrows=len(names), sharex=True)
    for ax, name in zip(np.atleast_1d(axes), names):
        i = history.names.index(name)
        past = history.series(i)[-hours_before:]
        horizon = np.arange(np.shape(actual)[1])
        ax.plot(np.arange(-len(past), 0), past, color="0.5", lw=0.9, label="history")
        ax.plot(horizon, np.asarray(actual)[i], color="black", lw=1.4, label="actual")
        for n, (label, values) in enumerate(forecasts.items()):
            ax.plot(horizon, np.asarray(values)[i], color=f"C{n}", lw=1.2, label=label)
        ax.axvline(-0.5, color="0.7", lw=0.8)
        ax.set_ylabel(name, rotation=0, ha="right")
    first = np.atleast_1d(axes)[0]
    first.legend(fontsize=8, ncol=2 + len(forecasts), loc="upper left")
    np.atleast_1d(axes)[-1].set_xlabel("hours from the forecast origin")
    return fig
