"""Shared helpers for *Deep Learning for Time Series Forecasting in seven lessons*.

Import this package before TensorFlow or Keras: it quiets TensorFlow's C++ start-up log first.
The names below are the ones the notebooks use; each lives in a small module of its own.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # no C++ info/warning lines on stderr
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # no oneDNN notice; exactly repeatable sums

from .data import DATASETS, DatasetError, fetch, fetch_all, load_frame, load_series  # noqa: E402
from .evaluation import (N_TEST, ForecastTask, Result, baselines, mae, moving_average,  # noqa: E402
                         multi_step_persistence, persistence, reshape_for, rmse,
                         seasonal_naive, train_mean, walk_forward, walk_forward_multi)
from .models import (DEFAULTS, MODEL_NAMES, build_cnn, build_cnn_lstm,  # noqa: E402
                     build_encoder_decoder, build_lstm, build_mlp, build_model)
from .plots import plot_forecast, plot_history, plot_horizon_errors  # noqa: E402
from .runs import Run, train_and_evaluate  # noqa: E402
from .training import fit, set_seed  # noqa: E402
from .windowing import (Scaler, add_feature_axis, make_windows, to_subsequences,  # noqa: E402
                        train_test_split)

__version__ = "0.1.0"
