"""Lesson 9, global models on M4 Hourly: ``from course_helpers import global_models as gm``.

The names live in modules of one concern each: :mod:`.data` (the 414 series as a padded
:class:`Panel`, the validation split), :mod:`.metrics` (M4's sMAPE, MASE, OWA and its
benchmarks), :mod:`.windows` (training windows as views, scaled per window), :mod:`.models`
(the MLP, one per series or one for all, and an N-BEATS-style stack), :mod:`.training` (training
on windows drawn inside a compiled loop, forecasting), :mod:`.settings` (the lesson's models and
ablations, one registry), :mod:`.published` (the published rows and their sources) and
:mod:`.plots`.
"""

# ruff: noqa: F401  (re-exports)
from .data import HORIZON, PERIOD, Panel, load_m4_hourly, load_test, validation_split
from .metrics import (
    Score,
    benchmarks,
    mase_scale,
    naive,
    naive2,
    owa_difference,
    score,
    seasonal_indices,
    seasonal_naive,
    seasonality_test,
    smape,
)
from .models import RepeatLastDay, build_local_mlp, build_mlp, build_nbeats, matmul_flops
from .plots import plot_errors_by_horizon, plot_forecasts, plot_series
from .published import PUBLISHED, Published, published_table
from .settings import SETTINGS, Run, Setting
from .training import LOSSES, Training, forecast, train
from .windows import Windows
