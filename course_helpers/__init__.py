"""Shared helpers for *Deep Learning for Time Series Forecasting in seven lessons*.

Every lesson starts with ``import course_helpers as ch``, before Keras or TensorFlow, so the
package's settings (:mod:`course_helpers._setup`) quiet TensorFlow's start-up log first. The names
below are the whole public API, grouped by the lesson that introduces them; each lives in a small
module of its own (``help(ch.fit)`` or go-to-definition leads there). The lesson exercises are in
:mod:`course_helpers.exercises`; the plots of lessons 1 and 2 in :mod:`course_helpers.lesson_plots`;
lesson 8, the capstone, in :mod:`course_helpers.capstone` (``from course_helpers import capstone
as cap``), which reuses the names below.
"""

from . import _setup

_setup.apply()  # before anything below loads TensorFlow

# ruff: noqa: E402, I001  (the settings above must be applied before these imports)
# Lesson 1: the data, the first forecasts, the first network.
from .data import DATASETS, DatasetError, fetch, fetch_all, load_frame, load_series
from .evaluation import baselines, persistence, rmse
from .training import fit, set_seed
from .windowing import make_windows
from .plots import plot_forecast_paths

# Lesson 2: a series as supervised windows, split in time and scaled on the training part.
from .windowing import Scaler, add_feature_axis, train_test_split
from .evaluation import mae, moving_average, seasonal_naive, train_mean

# Lesson 3: the MLP, the forecasting task, walk-forward scoring, the explorer.
from .models import DEFAULTS, MODEL_NAMES, MODELS, ModelSpec, build_mlp, lesson_model, model_spec
from .evaluation import N_TEST, ForecastTask, Result, walk_forward
from .runs import ModelCache, Run, train_and_evaluate
from .validation import Validation, rolling_origin_folds, validate
from .comparison import Comparison, compare_forecasts
from .plots import plot_forecast, plot_history
from .explorer import ForecastExplorer

# Lesson 4: the 1D CNN.
from .models import build_cnn

# Lesson 5: the LSTM.
from .models import build_lstm, build_model

# Lesson 6: the CNN-LSTM reads windows cut into subsequences.
from .models import build_cnn_lstm
from .windowing import to_subsequences
from .evaluation import reshape_for

# Lesson 7: the encoder-decoder forecasts several days at once.
from .models import build_encoder_decoder
from .evaluation import multi_step_moving_average, multi_step_persistence
from .evaluation import reshape_targets, walk_forward_multi
from .plots import plot_horizon_errors

from . import exercises, lesson_plots, plots
from . import capstone  # lesson 8: ch.capstone, the capstone on air quality
from . import global_models  # lesson 9: ch.global_models, one network for many series

_setup.quiet_tensorflow()  # TensorFlow is loaded by now

__version__ = "0.1.0"

__all__ = [
    # lesson 1
    "DATASETS",
    "DatasetError",
    "fetch",
    "fetch_all",
    "load_frame",
    "load_series",
    "baselines",
    "persistence",
    "rmse",
    "fit",
    "set_seed",
    "make_windows",
    "plot_forecast_paths",
    # lesson 2
    "Scaler",
    "add_feature_axis",
    "train_test_split",
    "mae",
    "moving_average",
    "seasonal_naive",
    "train_mean",
    # lesson 3
    "DEFAULTS",
    "MODEL_NAMES",
    "MODELS",
    "ModelSpec",
    "build_mlp",
    "lesson_model",
    "model_spec",
    "N_TEST",
    "ForecastTask",
    "Result",
    "walk_forward",
    "ModelCache",
    "Run",
    "train_and_evaluate",
    "Validation",
    "rolling_origin_folds",
    "validate",
    "Comparison",
    "compare_forecasts",
    "plot_forecast",
    "plot_history",
    "ForecastExplorer",
    # lesson 4
    "build_cnn",
    # lesson 5
    "build_lstm",
    "build_model",
    # lesson 6
    "build_cnn_lstm",
    "to_subsequences",
    "reshape_for",
    # lesson 7
    "build_encoder_decoder",
    "multi_step_moving_average",
    "multi_step_persistence",
    "reshape_targets",
    "walk_forward_multi",
    "plot_horizon_errors",
    # modules
    "capstone",
    "exercises",
    "global_models",
    "lesson_plots",
    "plots",
]
