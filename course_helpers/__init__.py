"""Shared helpers for *Deep Learning for Time Series Forecasting in seven lessons*.

Import this package before TensorFlow or Keras: it quiets TensorFlow's C++ start-up log first.
The names below are the ones the notebooks use; each lives in a small module of its own and is
loaded on first use, so ``python -m course_helpers.data`` starts without loading TensorFlow.
"""

import importlib
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # no C++ info/warning lines on stderr
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # no oneDNN notice; exactly repeatable sums

__version__ = "0.1.0"

_EXPORTS = {
    "data": ["DATASETS", "DatasetError", "fetch", "fetch_all", "load_frame", "load_series"],
    "windowing": [
        "Scaler",
        "add_feature_axis",
        "make_windows",
        "to_subsequences",
        "train_test_split",
    ],
    "training": ["fit", "set_seed"],
    "models": [
        "DEFAULTS",
        "MODEL_NAMES",
        "build_cnn",
        "build_cnn_lstm",
        "build_encoder_decoder",
        "build_lstm",
        "build_mlp",
        "build_model",
    ],
    "evaluation": [
        "N_TEST",
        "ForecastTask",
        "Result",
        "baselines",
        "mae",
        "moving_average",
        "multi_step_persistence",
        "persistence",
        "reshape_for",
        "rmse",
        "seasonal_naive",
        "train_mean",
        "walk_forward",
        "walk_forward_multi",
    ],
    "plots": ["plot_forecast", "plot_forecast_paths", "plot_history", "plot_horizon_errors"],
    "runs": ["Run", "train_and_evaluate"],
    "widgets": ["ForecastExplorer"],
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}
_SUBMODULES = {
    *_EXPORTS,
    "exercises",
    "lesson_plots",
    "toys",
    "benchmark",
    "tune",
    "execute",
    "student",
}
__all__ = sorted(_MODULE_OF)


def __getattr__(name):
    if name in _MODULE_OF:
        value = getattr(importlib.import_module(f".{_MODULE_OF[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'course_helpers' has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *_MODULE_OF, *_SUBMODULES})
