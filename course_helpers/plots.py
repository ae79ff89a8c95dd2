"""Plots the lessons share: forecasts against the test data, loss curves, errors per horizon.

Every function returns a matplotlib ``Figure`` that is not registered with pyplot, so a notebook
shows it once when it is the last expression of a cell, and the explorer widget can turn it into
a PNG without leaving figures open.
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt  # noqa: F401  (loads Jupyter's inline display of Figures)
import numpy as np
import pandas as pd
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

__all__ = [
    "plot_forecast",
    "plot_history",
    "plot_horizon_errors",
    "plot_forecast_paths",
    "plot_validation",
    "figure_to_png",
    "new_figure",
]


def new_figure(width: float = 9, height: float = 3.6, **subplots) -> tuple[Figure, object]:
    """A Figure outside pyplot's registry and its axes (``subplots`` go to ``Figure.subplots``).

    The course's style is set on this figure only (100 dpi, a light grid on every axes); the
    learner's matplotlib settings are left as they are.
    """
    fig = Figure(figsize=(width, height), layout="constrained", dpi=100)
    axes = fig.subplots(**subplots)
    for ax in np.atleast_1d(axes).ravel():
        ax.grid(True, alpha=0.3)
    return fig, axes


def _date_axis(ax):
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def plot_forecast(
    series: pd.Series,
    predictions: pd.Series,
    *,
    persistence: pd.Series | None = None,
    rmse: float | None = None,
    persistence_rmse: float | None = None,
    n_context: int = 60,
    title: str | None = None,
    label: str = "model",
) -> Figure:
    """Draw the end of the training data, the test data and the forecasts of the test period.

    ``predictions`` (and ``persistence``) are indexed by test dates; their RMSE goes in the legend.
    """
    test_start = predictions.index[0]
    before = series[series.index < test_start].iloc[-n_context:]
    test = series[series.index >= test_start]
    fig, ax = new_figure(9, 4)
    ax.plot(before.index, before.to_numpy(), color="0.6", lw=1.2, label="training data (end)")
    ax.plot(test.index, test.to_numpy(), color="black", lw=1.4, label="test data")
    if persistence is not None:
        note = f" (RMSE {persistence_rmse:.2f})" if persistence_rmse is not None else ""
        ax.plot(
            persistence.index,
            persistence.to_numpy(),
            color="tab:orange",
            lw=1,
            ls="--",
            label=f"persistence{note}",
        )
    note = f" (RMSE {rmse:.2f})" if rmse is not None else ""
    ax.plot(
        predictions.index, predictions.to_numpy(), color="tab:blue", lw=1.8, label=f"{label}{note}"
    )
    ax.axvline(test_start, color="0.4", lw=0.8, ls=":")
    ax.set_ylabel(series.name or "value")
    ax.set_title(title or "One-step walk-forward forecasts of the test period")
    fig.legend(loc="outside lower center", fontsize="small", ncols=4)  # below, clear of the data
    _date_axis(ax)
    return fig


def plot_history(history, *, title: str = "Training loss") -> Figure:
    """Plot the loss per epoch (and validation loss when recorded) from a Keras History."""
    fig, ax = new_figure(7, 3)
    for key in ("loss", "val_loss"):
        if key in history.history:
            ax.plot(history.history[key], label=key.replace("_", " "))
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean squared error (scaled)")
    values = [v for key in ("loss", "val_loss") for v in history.history.get(key, [])]
    if values and min(values) > 0 and max(values) / min(values) > 10:
        ax.set_yscale("log")  # only when the loss falls by more than a factor of ten
    ax.set_title(title)
    ax.legend()
    return fig


def plot_horizon_errors(
    per_horizon: pd.DataFrame, *, title: str | None = None, label: str = "model"
) -> Figure:
    """Bar chart of RMSE per forecast horizon: the model (``label``) beside persistence.

    If ``per_horizon`` also has ``moving_average_rmse`` (as :meth:`ForecastTask.evaluate` gives),
    the 7-day moving average from the same origin gets a bar of its own.
    """
    fig, ax = new_figure(6, 3)
    horizons = per_horizon.index.to_numpy()
    bars = [("rmse", label, "tab:blue"), ("persistence_rmse", "persistence", "tab:orange")]
    if "moving_average_rmse" in per_horizon:
        bars.append(("moving_average_rmse", "moving average (7 days)", "tab:green"))
    width = 0.8 / len(bars)
    for i, (column, name, colour) in enumerate(bars):
        offset = (i - (len(bars) - 1) / 2) * width
        ax.bar(horizons + offset, per_horizon[column], width, label=name, color=colour)
    ax.set_xticks(horizons)
    ax.set_xlabel("days ahead (horizon)")
    ax.set_ylabel("RMSE (births)")
    ax.set_title(title or "Error per horizon on the test period")
    ax.legend()
    return fig


def plot_forecast_paths(
    series: pd.Series,
    origins,
    paths,
    *,
    label: str = "model",
    title: str | None = None,
    persistence: bool = True,
    data_label: str = "test data",
    start: int | None = None,
) -> Figure:
    """Multi-step forecast paths against the data, optionally beside persistence.

    ``paths[i]`` (one value per step ahead) starts at position ``origins[i]`` of ``series``;
    persistence from that origin repeats the last value seen, ``series.iloc[origins[i] - 1]``.
    The data are drawn from position ``start`` on (the first origin by default). A series with
    a ``DatetimeIndex`` gets dates on the x axis; any other index is drawn as time steps.
    """
    paths = np.asarray(paths, dtype=float)
    if len(origins) == 0 or paths.ndim != 2 or paths.shape[1] == 0 or len(paths) != len(origins):
        raise ValueError(
            "Give one origin per path and at least one path of one or more values: "
            f"got {len(origins)} origin(s) and paths of shape {paths.shape}."
        )
    fig, ax = new_figure()
    shown = series.iloc[min(origins) if start is None else start :]
    ax.plot(shown.index, shown.to_numpy(), color="black", lw=1.2, label=data_label)
    for k, (origin, path) in enumerate(zip(origins, paths)):
        steps = series.index[origin : origin + len(path)]
        if persistence:
            naive = np.full(len(path), series.iloc[origin - 1])
            ax.plot(
                steps,
                naive,
                "--",
                color="tab:orange",
                lw=1.5,
                label="persistence" if k == 0 else None,
            )
        ax.plot(steps, path, "o-", color="tab:blue", ms=3, lw=2, label=label if k == 0 else None)
    ax.set_ylabel(series.name or "value")
    ax.set_title(title or f"{len(paths[0])}-step forecast paths")
    ax.legend(loc="upper left", fontsize="small")
    if isinstance(series.index, pd.DatetimeIndex):
        _date_axis(ax)
    else:
        ax.set_xlabel("time step")
    return fig


def plot_validation(
    validation, *, block_days: int = 40, label: str = "model", title: str | None = None
) -> Figure:
    """Day-ahead forecasts of the validation days (a :class:`course_helpers.Validation`).

    Draws the held-out training days, the model's forecasts (the mean over seeds, and each
    seed's as a thin line when there are several), persistence and the 7-day moving average of
    the same days, with a dotted line where each held-out block of ``block_days`` starts. No
    test day is drawn.
    """
    first = (lambda a: a[..., 0]) if validation.forecasts.ndim == 3 else (lambda a: a)
    forecasts, actual = first(validation.forecasts), first(validation.actual)  # (seeds, days)
    days = validation.dates
    fig, ax = new_figure(9, 4)
    ax.plot(days, actual, color="black", lw=1.4, label="validation days (training data)")
    naive = {"persistence": ("tab:orange", "--"), "moving average (7 days)": ("tab:green", ":")}
    for name, (color, style) in naive.items():
        values = first(np.asarray(validation.naive[name]))
        ax.plot(days, values, color=color, lw=1, ls=style, label=name)
    if len(forecasts) > 1:
        for k, row in enumerate(forecasts):
            ax.plot(
                days,
                row,
                color="tab:blue",
                lw=0.7,
                alpha=0.35,
                label="each seed" if not k else None,
            )
    mean = forecasts.mean(axis=0)
    seeds = (
        f"mean of {len(forecasts)} seeds" if len(forecasts) > 1 else f"seed {validation.seeds[0]}"
    )
    ax.plot(days, mean, color="tab:blue", lw=1.8, label=f"{label} ({seeds})")
    for start in days[block_days::block_days]:
        ax.axvline(start, color="0.4", lw=0.8, ls=":")
    ax.set_ylabel("births")
    ax.set_title(title or "Day-ahead forecasts of the validation days")
    fig.legend(loc="outside lower center", fontsize="small", ncols=5)
    _date_axis(ax)
    return fig


def figure_to_png(fig: Figure) -> bytes:
    """Render a Figure to PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
