"""Plots and a small widget for lessons 1 and 2.

Lesson 1 draws its four small experiments (a nonlinear mapping, noisy inputs, a second input
series, several outputs at once) and the births series. Lesson 2 highlights one window of the
births series, its inputs and its target, and :func:`window_explorer` puts sliders on the window
and its position (a :class:`~course_helpers.picture_widget.PictureWidget`). Every plot function
returns a matplotlib ``Figure`` outside pyplot (see :mod:`course_helpers.plots`), so a notebook
shows it once.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .picture_widget import PictureWidget, plain_text
from .plots import _date_axis, new_figure

__all__ = [
    "plot_noisy_forecast",
    "plot_nonlinear_fit",
    "plot_series",
    "plot_two_inputs",
    "plot_window",
    "WindowExplorer",
    "window_explorer",
]

INPUT_COLOUR, TARGET_COLOUR = "tab:blue", "tab:red"


# ---------------------------------------------------------------------------------------------
# Lesson 1
# ---------------------------------------------------------------------------------------------


def plot_series(series: pd.Series, *, smooth: int = 30, title: str | None = None) -> Figure:
    """The whole series with a centred ``smooth``-day rolling mean to show its level."""
    fig, ax = new_figure(9, 3.2)
    ax.plot(series.index, series.to_numpy(), color="0.55", lw=0.9, label="daily values")
    level = series.rolling(smooth, center=True).mean()
    ax.plot(
        level.index, level.to_numpy(), color="tab:blue", lw=2, label=f"{smooth}-day rolling mean"
    )
    ax.set_ylabel(series.name or "value")
    ax.set_title(title or f"{series.name}: {len(series)} values")
    ax.legend(loc="upper left", fontsize="small")
    _date_axis(ax)
    return fig


def plot_nonlinear_fit(x_now, x_next, grid, fits: dict[str, np.ndarray]) -> Figure:
    """Scatter of (value today, value tomorrow) with the curve each model learned over ``grid``."""
    fig, ax = new_figure(5.5, 3.8)
    ax.scatter(x_now, x_next, s=10, color="0.4", alpha=0.6, label="series: (today, tomorrow)")
    for (name, curve), colour in zip(fits.items(), ("tab:orange", "tab:blue", "tab:green")):
        ax.plot(grid, curve, color=colour, lw=2.2, label=name)
    ax.set_xlabel("value today")
    ax.set_ylabel("value tomorrow")
    ax.set_title("What each model learned")
    ax.legend(fontsize="small", loc="lower center")
    return fig


def plot_noisy_forecast(steps, signal, noisy, forecast, *, title: str | None = None) -> Figure:
    """Noisy observations, the clean signal behind them and one-step forecasts of the signal."""
    fig, ax = new_figure(9, 3.2)
    ax.plot(steps, noisy, ".", color="0.55", ms=4, label="noisy observations (model inputs)")
    ax.plot(steps, signal, color="black", lw=1.2, label="clean signal")
    ax.plot(steps, forecast, color="tab:blue", lw=2, label="MLP one-step forecast")
    ax.set_xlabel("time step")
    ax.set_title(title or "Forecasting through the noise")
    ax.legend(loc="upper right", fontsize="small", ncols=3)
    ax.set_ylim(ax.get_ylim()[0], ax.get_ylim()[1] + 0.6)  # room for the legend
    return fig


def plot_two_inputs(steps, level, rain, forecasts: dict[str, np.ndarray]) -> Figure:
    """Rain (bars) above the river level and the level forecasts of each model."""
    fig, (top, bottom) = new_figure(
        9, 4.4, nrows=2, sharex=True, gridspec_kw={"height_ratios": [1, 2.2]}
    )
    top.bar(steps, rain, color="tab:cyan", width=0.8)
    top.set_ylabel("rain")
    top.set_title("Rain today raises the river the day after tomorrow")
    bottom.plot(steps, level, color="black", lw=1.4, label="river level")
    for (name, values), colour in zip(forecasts.items(), ("tab:orange", "tab:blue")):
        bottom.plot(
            steps,
            values,
            color=colour,
            lw=1.6,
            ls="--" if colour == "tab:orange" else "-",
            label=name,
        )
    bottom.set_xlabel("day")
    bottom.set_ylabel("level")
    bottom.legend(loc="upper left", fontsize="small")
    return fig


# ---------------------------------------------------------------------------------------------
# Lesson 2
# ---------------------------------------------------------------------------------------------


def _label_points(ax, values: pd.Series, colour, *, offset, **text):
    """Write each value just above its point."""
    for date, value in values.items():
        ax.annotate(
            f"{value:g}",
            (date, value),
            textcoords="offset points",
            xytext=(0, offset),
            ha="center",
            color=colour,
            **text,
        )


def _shade(ax, days: pd.Series, colour, alpha):
    """Shade the stretch of ``days`` (half a day beyond each end) on ``ax``."""
    half_day = pd.Timedelta(hours=12)
    ax.axvspan(days.index[0] - half_day, days.index[-1] + half_day, color=colour, alpha=alpha)


def _count(n, noun):
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _check_window(series, window, start, horizon):
    for label, value, low in (("window", window, 1), ("horizon", horizon, 1), ("start", start, 0)):
        if int(value) != value or value < low:
            raise ValueError(f"{label} must be a whole number of at least {low}, got {value!r}.")
    last = len(series) - window - horizon
    if start > last:
        raise ValueError(
            f"A window of {window} inputs and {horizon} target(s) starting at {start} "
            f"runs past the end of {len(series)} values; use start <= {last}."
        )


def plot_window(
    series: pd.Series, window: int, start: int, horizon: int = 1, *, context: int = 20
) -> Figure:
    """Highlight one window of ``series``: ``window`` inputs from position ``start``, then targets.

    The top panel shows where the window sits in the whole series, the bottom one zooms in with
    ``context`` days either side, inputs in blue and the ``horizon`` target(s) in red.
    """
    _check_window(series, window, start, horizon)
    inputs = series.iloc[start : start + window]
    targets = series.iloc[start + window : start + window + horizon]
    fig, (whole, zoom) = new_figure(9, 5, nrows=2, gridspec_kw={"height_ratios": [1, 1.6]})

    whole.plot(series.index, series.to_numpy(), color="0.6", lw=0.8)
    _shade(whole, inputs, INPUT_COLOUR, alpha=0.3)
    _shade(whole, targets, TARGET_COLOUR, alpha=0.5)
    whole.set_title(
        f"Sample {start}: {_count(window, 'input value')} → {_count(horizon, 'target')}"
    )
    _date_axis(whole)

    low = max(0, start - context)
    high = min(len(series), start + window + horizon + context)
    around = series.iloc[low:high]
    zoom.plot(around.index, around.to_numpy(), color="0.6", lw=1, marker=".", ms=4)
    _shade(zoom, inputs, INPUT_COLOUR, alpha=0.12)
    _shade(zoom, targets, TARGET_COLOUR, alpha=0.1)
    zoom.plot(
        inputs.index,
        inputs.to_numpy(),
        "o-",
        color=INPUT_COLOUR,
        ms=6,
        lw=1.5,
        label=f"inputs X[{start}] ({_count(window, 'value')})",
    )
    zoom.plot(
        targets.index,
        targets.to_numpy(),
        "*",
        color=TARGET_COLOUR,
        ms=15,
        label=f"target y[{start}] ({_count(horizon, 'value')})",
    )
    if window <= 10:
        _label_points(zoom, inputs, INPUT_COLOUR, offset=7, fontsize=8)
    _label_points(zoom, targets, TARGET_COLOUR, offset=9, fontsize=9, weight="bold")
    zoom.set_ylabel(series.name or "value")
    zoom.legend(loc="upper left", fontsize="small", ncols=2)
    zoom.set_ylim(zoom.get_ylim()[0], zoom.get_ylim()[1] + 0.12 * np.ptp(zoom.get_ylim()))
    _date_axis(zoom)
    return fig


class WindowExplorer(PictureWidget):
    """Sliders for the window and its position over :func:`plot_window` (lesson 2).

    The controls are attributes: ``window``, ``start`` (the sample shown), ``caption`` and
    ``output`` (the plot). Moving the window slider keeps the position inside the series; the
    caption says how many samples that window leaves.
    """

    def __init__(self, series: pd.Series, window: int = 7, start: int = 0, *, max_width: int = 60):
        _check_window(series, window, start, 1)
        self.series = series
        style = {"description_width": "initial"}
        self.window = widgets.IntSlider(
            value=window,
            min=1,
            max=min(max_width, len(series) - 1),
            description="window",
            continuous_update=False,
            style=style,
        )
        self.start = widgets.IntSlider(
            value=start,
            min=0,
            max=len(series) - window - 1,
            description="sample i",
            continuous_update=False,
            style=style,
        )
        self.caption = widgets.HTML()
        self.output = widgets.Output()
        self.window.observe(self.redraw, names="value")
        self.start.observe(self.redraw, names="value")
        super().__init__([widgets.HBox([self.window, self.start]), self.caption, self.output])
        self.redraw()

    def redraw(self, *_) -> None:
        """Draw the window at the sliders' current values."""
        window, n = self.window.value, len(self.series)
        self.start.max = n - window - 1  # clamps start.value too
        fig = plot_window(self.series, window, self.start.value)
        self.show_picture(self.output, fig, f"<window of {window} at sample {self.start.value}>")
        self.caption.value = (
            f"A window of {window} leaves <b>{n - window}</b> samples from {n} values."
        )

    def summary(self) -> str:
        """What a saved copy shows beside the plot: the window and the samples it leaves."""
        return f"Window explorer, sample {self.start.value}: {plain_text(self.caption.value)}"


def window_explorer(
    series: pd.Series, window: int = 7, start: int = 0, *, max_width: int = 60
) -> WindowExplorer:
    """A :class:`WindowExplorer` of ``series``: sliders for the window and the sample shown."""
    return WindowExplorer(series, window, start, max_width=max_width)
