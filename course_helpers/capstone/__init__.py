"""Lesson 8, the capstone on air quality: ``from course_helpers import capstone as cap``.

The names live in the package's modules, one concern each: :mod:`.data` (the hourly table,
features, windows, the protocol), :mod:`.baselines` (scoring, baselines, ridge),
:mod:`.boosting` (gradient-boosted trees on past-only features), :mod:`.models` (the networks
and their registry), :mod:`.trials` (training over seeds, scoring the seeds' forecasts),
:mod:`.strategies` (recursive forecasts, intervals), :mod:`.results` (the results table: scores
and gains on the ridge with day-level intervals), :mod:`.plots` and :mod:`.explorer`.
"""

# ruff: noqa: F401  (re-exports)
from ..models import build_encoder_decoder, build_lstm, build_mlp  # the births builders, reused
from .baselines import (
    RIDGE_WINDOW,
    Ridge,
    Score,
    baseline_forecasts,
    fit_ridge,
    hourly_mean,
    persistence_24,
    same_hour_yesterday,
    score,
)
from .boosting import BOOSTING, BoostedTrees, BoostingSettings, fit_boosted, tabular_features
from .data import (
    HORIZON,
    INPUT_SETS,
    PERIODS,
    AirQualityTask,
    FeatureScaler,
    Windows,
    load_air_quality,
    make_features,
    past_fill,
    shared_task,
)
from .explorer import CapstoneExplorer
from .models import (
    MODELS,
    QUANTILES,
    build_dilated_cnn,
    build_quantile_mlp,
    build_residual_mlp,
    pinball_loss,
    ridge_layer,
)
from .plots import plot_day_forecasts, plot_errors_by_horizon
from .results import RIDGE, blend, gain_text, readable, results_table, verdict_lines
from .strategies import Intervals, calibrate_intervals, recursive_forecaster
from .trials import Trial, predict, train_network
