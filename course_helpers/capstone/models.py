"""Lesson 8's networks for 24-hour PM2.5 forecasts, and the registry of them.

Every builder takes ``(window, n_features)`` (by position) and keyword settings, and returns a
model compiled with Adam, reading windows ``(samples, window, n_features)``. The MLP, the LSTM
and the encoder-decoder are the births lessons' builders (:mod:`course_helpers.models`) with 16
features and a 24-hour ``horizon``; the others are lesson 8's own:

=====================  =====================================================  ================
builder                layers                                                 output
=====================  =====================================================  ================
build_mlp              Flatten -> Dense(units, relu) -> Dense(horizon)        (24,)
build_lstm             LSTM(units) -> Dense(horizon)                          (24,)
build_encoder_decoder  LSTM -> RepeatVector(horizon) -> LSTM -> TimeDistrib.  (24, 1)
build_dilated_cnn      causal Conv1D, dilation 1, 2, 4, ... -> last step      (24,)
build_quantile_mlp     the MLP with 24 x 3 outputs, pinball loss              (24, 3)
build_residual_mlp     frozen ridge (ridge_layer) + Dense(relu) -> Dense(24)  (24,)
=====================  =====================================================  ================

:data:`MODELS` is the registry (one :class:`course_helpers.ModelSpec` per network) the lesson,
the explorer and ``course_tools.benchmark_capstone`` read; :mod:`.trials` trains them over seeds.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
from keras import layers

from ..models import ModelConfig, ModelSpec, build_encoder_decoder, build_lstm, build_mlp
from .data import HORIZON, AirQualityTask

__all__ = [
    "MODELS",
    "QUANTILES",
    "build_dilated_cnn",
    "build_quantile_mlp",
    "build_residual_mlp",
    "pinball_loss",
    "ridge_layer",
]


def _compile(model, loss="mse", learning_rate: float = 1e-3):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss)
    return model


def build_dilated_cnn(
    window: int,
    n_features: int,
    *,
    horizon: int = HORIZON,
    filters: int = 16,
    dilations=(1, 2, 4, 8, 16),
    learning_rate: float = 1e-3,
) -> keras.Model:
    """A dilated causal CNN (WaveNet/TCN style): each layer doubles how far back it sees.

    (window, n_features) -> Conv1D(kernel 2, dilation d, causal) for each d -> (window, filters);
    the last hour's features see 2 ** len(dilations) hours back -> Dense(horizon).
    """
    inputs = keras.Input(shape=(window, n_features))
    x = inputs
    for rate in dilations:
        x = layers.Conv1D(filters, 2, dilation_rate=rate, padding="causal", activation="relu")(x)
    x = layers.Cropping1D((window - 1, 0))(x)  # (1, filters): the most recent hour only
    x = layers.Flatten()(x)
    model = keras.Model(inputs, layers.Dense(horizon)(x), name="dilated_cnn")
    return _compile(model, learning_rate=learning_rate)


def ridge_layer(ridge, task: AirQualityTask) -> layers.Dense:
    """The fitted ridge regression as a frozen ``Dense(24)`` on the flattened window.

    Its weights are the ridge's (fitted on the same scaled targets the networks learn) and are
    not trained: a network that adds its own output to this layer's learns only what the linear
    model gets wrong (a linear shortcut, as in a residual network).
    """
    if getattr(ridge, "weights", None) is None:
        raise ValueError("Fit the ridge first: ridge, _ = fit_ridge(task).")
    weights = np.asarray(ridge.weights, dtype=float)
    if weights.shape[0] != task.window * task.n_features + 1:
        raise ValueError(
            f"This ridge reads {weights.shape[0] - 1} values per window, the task's windows "
            f"have {task.window} x {task.n_features}; fit it on this task."
        )
    kernel = weights[:-1].astype("float32")  # (window * n_features, 24)
    bias = weights[-1].astype("float32")  # (24,)
    return layers.Dense(
        HORIZON,
        trainable=False,
        kernel_initializer=keras.initializers.Constant(kernel),
        bias_initializer=keras.initializers.Constant(bias),
        name="ridge",
    )


def build_residual_mlp(
    window: int,
    n_features: int,
    *,
    linear: layers.Dense | None = None,
    horizon: int = HORIZON,
    units: int = 32,
    learning_rate: float = 1e-3,
) -> keras.Model:
    """The MLP on top of a frozen linear model: ``linear(window) + Dense(24)(Dense(units))``.

    (window, n_features) -> Flatten -> the frozen ridge (24,) plus a ReLU branch (24,) -> (24,).
    ``linear`` is the ridge as a layer, :func:`ridge_layer` (fitted for these windows), with
    ``horizon`` outputs.
    """
    if linear is None:
        raise ValueError("Give the ridge as a layer: linear=cap.ridge_layer(ridge, task).")
    inputs = keras.Input(shape=(window, n_features))
    flat = layers.Flatten()(inputs)  # (window * n_features,)
    hidden = layers.Dense(units, activation="relu")(flat)
    outputs = layers.Add()([linear(flat), layers.Dense(horizon)(hidden)])  # (24,)
    return _compile(
        keras.Model(inputs, outputs, name="ridge_plus_mlp"), learning_rate=learning_rate
    )


QUANTILES = (0.1, 0.5, 0.9)


def pinball_loss(quantiles=QUANTILES) -> Callable:
    """The quantile (pinball) loss for outputs ``(..., len(quantiles))`` and targets ``(...)``."""
    q = keras.ops.convert_to_tensor(np.asarray(quantiles, dtype="float32"))

    def loss(y_true, y_pred):
        error = keras.ops.expand_dims(y_true, -1) - y_pred  # (batch, 24, quantiles)
        return keras.ops.mean(keras.ops.maximum(q * error, (q - 1.0) * error))

    return loss


def build_quantile_mlp(
    window: int, n_features: int, *, horizon: int = HORIZON, units: int = 32
) -> keras.Model:
    """The MLP with three outputs per hour, the 10%, 50% and 90% quantiles: (horizon, 3)."""
    inputs = keras.Input(shape=(window, n_features))
    x = layers.Flatten()(inputs)
    x = layers.Dense(units, activation="relu")(x)
    x = layers.Dense(horizon * len(QUANTILES))(x)
    outputs = layers.Reshape((horizon, len(QUANTILES)))(x)  # (24, 3)
    return _compile(keras.Model(inputs, outputs, name="quantile_mlp"), loss=pinball_loss())


def _lesson8(window: int, epochs: int, **kwargs) -> ModelConfig:
    """Lesson 8's settings: the window read, batches of 256, these epochs and sizes."""
    return ModelConfig(window=window, epochs=epochs, batch_size=256, kwargs=kwargs)


TWO_SEEDS = (0, 1)  # the slower networks: two seeds
# The settings below were chosen on 2013 by `make tune-capstone` (course_tools/tune_capstone.py)
# from each grid: every candidate trained on 2010-2012 over seeds 0 and 1, scored after every
# epoch up to the grid's "epochs", the lowest mean validation RMSE kept. The grids' largest
# settings keep each network's training inside the lesson's time on two cores.
MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in [
        ModelSpec(
            "mlp",
            "MLP",
            8,
            build_mlp,
            _lesson8(24, 10, horizon=HORIZON, units=32, learning_rate=3e-3),
            {
                "window": [24, 48, 72],
                "units": [32, 64, 128],
                "learning_rate": [3e-4, 1e-3, 3e-3],
                "epochs": [20],
            },
        ),
        ModelSpec(
            "lstm",
            "LSTM",
            8,
            build_lstm,
            _lesson8(48, 2, horizon=HORIZON, units=32, learning_rate=3e-3),
            {"window": [24, 48], "units": [16, 32], "learning_rate": [1e-3, 3e-3], "epochs": [4]},
            seeds=TWO_SEEDS,
        ),
        ModelSpec(
            "dilated_cnn",
            "dilated causal CNN",
            8,
            build_dilated_cnn,
            _lesson8(24, 6, horizon=HORIZON, filters=16, learning_rate=3e-3),
            {"window": [24, 48], "filters": [8, 16], "learning_rate": [1e-3, 3e-3], "epochs": [6]},
            seeds=TWO_SEEDS,
        ),
        ModelSpec(
            "ridge_mlp",
            "ridge + MLP",
            8,
            build_residual_mlp,
            _lesson8(48, 5, horizon=HORIZON, units=32, learning_rate=1e-3),
            {"window": [48], "units": [32, 128], "learning_rate": [3e-4, 1e-3], "epochs": [15]},
        ),
        # not tuned: section 7 gives the three multi-step strategies one small LSTM's settings
        ModelSpec(
            "encoder_decoder",
            "encoder-decoder LSTM",
            8,
            build_encoder_decoder,
            _lesson8(24, 3, horizon=HORIZON, units=32),
            seeds=TWO_SEEDS,
        ),
    ]
}
