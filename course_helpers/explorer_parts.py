"""The forecast explorer's parts: its controls, its runs table and the numbers of a test check.

:class:`course_helpers.ForecastExplorer` (:mod:`.explorer`) puts them together; they live here so
the widget's module holds only what happens when a button is pressed.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd

__all__ = [
    "MAX_WINDOW",
    "SEED_CHOICES",
    "explorer_controls",
    "mean_predictions",
    "runs_table",
    "seed_list",
    "test_summary",
]

MAX_WINDOW = 60
SEED_CHOICES = (("1 seed", 1), ("3 seeds (mean ± sd)", 3))


def _slider(description, value, low, high, step=1) -> widgets.IntSlider:
    """An integer slider in the explorer's style that reports only when released."""
    return widgets.IntSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        continuous_update=False,
        style={"description_width": "70px"},
        layout=widgets.Layout(width="420px"),
    )


def _sliders(spec, kwargs: dict) -> dict:
    """The window and epoch sliders (and horizon, for a multi-step model), at the defaults.

    The window slider moves in steps the model accepts (multiples of ``n_seq`` for the
    CNN-LSTM) from the shortest window it can build up to ``MAX_WINDOW``.
    """
    try:  # a bad n_seq gets the builder's message from run(), not an error here
        step = max(1, spec.window_step(**kwargs))
        low = max(1, spec.min_window(**kwargs))
    except (TypeError, ValueError):
        step, low = 1, 1
    low = -(-low // step) * step  # round up to a multiple of the step
    high = max(low, (MAX_WINDOW // step) * step)
    start = -(-spec.defaults.window // step) * step  # the default window, on the grid
    window = _slider("window", min(max(start, low), high), low, high, step)
    horizon = None
    if spec.output_steps() > 1:
        horizon = _slider("horizon", spec.output_steps(**kwargs), 1, 14)
    return {
        "window": window,
        "epochs": _slider("epochs", spec.defaults.epochs, 10, 2000),
        "horizon": horizon,
    }


def _fixed(width: str) -> widgets.Layout:
    """A layout of this width that a long status text beside it cannot squeeze."""
    return widgets.Layout(width=width, min_width=width, flex="0 0 auto")


def explorer_controls(spec, kwargs: dict, seed: int, seeds: int) -> dict:
    """Every widget of an explorer for model ``spec``, by the attribute name it gets."""
    if seeds not in dict(SEED_CHOICES).values():
        raise ValueError(f"seeds must be 1 or 3, got {seeds!r}.")
    return {
        **_sliders(spec, kwargs),
        "seeds": widgets.Dropdown(
            options=list(SEED_CHOICES),
            value=seeds,
            description="train",
            style={"description_width": "70px"},
            layout=widgets.Layout(width="200px"),
        ),
        "seed": widgets.BoundedIntText(
            value=int(seed),
            min=0,
            max=9999,
            description="first seed",
            style={"description_width": "80px"},
            layout=widgets.Layout(width="160px"),
        ),
        "train_button": widgets.Button(
            description="Train", button_style="primary", icon="play", layout=_fixed("90px")
        ),
        "stop_button": widgets.Button(
            description="Stop",
            button_style="warning",
            icon="stop",
            disabled=True,
            tooltip="stop training (after the current chunk of epochs)",
            layout=_fixed("90px"),
        ),
        "progress": widgets.IntProgress(value=0, min=0, max=1, layout=_fixed("160px")),
        "status": widgets.HTML(value="Press <b>Train</b> to fit the model."),
        "output": widgets.Output(),
        "table": widgets.HTML(),
        "test_button": widgets.Button(
            description="Score on the test days",
            icon="flag-checkered",
            tooltip="train the last run's settings on all training days; score the test days",
            layout=_fixed("210px"),
        ),
        "test_status": widgets.HTML(),
        "test_output": widgets.Output(),
    }


def seed_list(first: int, count: int) -> list[int]:
    """The seeds of a run: ``count`` consecutive seeds from ``first``."""
    return list(range(int(first), int(first) + int(count)))


def runs_table(history: list[dict]) -> str:
    """The runs so far as an HTML table, validation and test columns under their own headers."""
    rows = []
    for record in history:
        seeds = record["seeds"]
        row = {
            ("settings", "window"): record["window"],
            ("settings", "epochs"): record["epochs"],
        }
        if "horizon" in record:
            row[("settings", "horizon")] = record["horizon"]
        row[("settings", "seeds")] = f"{seeds[0]}" if len(seeds) == 1 else f"{seeds[0]}–{seeds[-1]}"
        row[("validation (choose by these)", "RMSE")] = record["val_rmse"]
        row[("validation (choose by these)", "± sd")] = (
            record["val_sd"] if len(seeds) > 1 else np.nan
        )
        row[("validation (choose by these)", "persistence")] = record["val_persistence"]
        row[("validation (choose by these)", "7-day avg")] = record["val_moving_average"]
        row[("test (one final check)", "RMSE")] = record.get("test_rmse", np.nan)
        row[("", "seconds")] = record["seconds"]
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame.columns = pd.MultiIndex.from_tuples(frame.columns)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="run")
    table = frame.to_html(float_format=lambda v: f"{v:.2f}", na_rep="", border=0, index_names=False)
    return (
        "<details open><summary>Runs so far (RMSE in births, one day ahead; validation: the "
        "120 held-out training days; test: the last days, scored only on request)</summary>"
        + table
        + "</details>"
    )


def test_summary(runs: list) -> dict:
    """Test RMSE of :func:`course_helpers.train_and_evaluate` runs: mean and sd over seeds."""
    rmses = np.array([run.result.rmse for run in runs])
    numbers = {
        "test_rmse": float(rmses.mean()),
        "test_sd": float(rmses.std(ddof=1)) if len(rmses) > 1 else 0.0,
        "test_rmse_by_seed": [round(float(v), 4) for v in rmses],
        "test_persistence": float(runs[0].result.persistence_rmse),
    }
    if runs[0].result.per_horizon is not None:
        per_horizon = np.mean([run.result.per_horizon["rmse"] for run in runs], axis=0)
        numbers["test_rmse_by_horizon"] = [round(float(v), 4) for v in per_horizon]
    return numbers


def mean_predictions(runs: list) -> pd.Series:
    """The mean over runs of their test forecasts (one day ahead), indexed by test day."""
    first = runs[0].result.predictions
    values = np.mean([run.result.predictions.to_numpy() for run in runs], axis=0)
    return pd.Series(values, index=first.index, name=first.name)
