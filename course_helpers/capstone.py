"""Lesson 8, the capstone, in one namespace: ``from course_helpers import capstone as cap``.

The names live in modules of one concern each: :mod:`.air_quality` (data, features, windows,
the protocol), :mod:`.capstone_baselines` (scoring, baselines, ridge), :mod:`.capstone_models`
(networks, training over seeds), :mod:`.capstone_strategies` (recursive forecasts, intervals),
:mod:`.capstone_plots` and :mod:`.capstone_explorer`.
"""

# ruff: noqa: F401  (re-exports)
from .air_quality import (
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
from .capstone_baselines import (
    Ridge,
    Score,
    baseline_forecasts,
    fit_ridge,
    hourly_mean,
    persistence_24,
    same_hour_yesterday,
    score,
)
from .capstone_explorer import CapstoneExplorer
from .capstone_models import (
    NETWORKS,
    QUANTILES,
    Trial,
    build_dilated_cnn,
    build_lstm,
    build_mlp,
    build_quantile_mlp,
    build_residual_mlp,
    build_seq2seq,
    pinball_loss,
    predict,
    ridge_layer,
    train_network,
)
from .capstone_plots import plot_day_forecasts, plot_errors_by_horizon
from .capstone_strategies import Intervals, calibrate_intervals, recursive_forecaster
