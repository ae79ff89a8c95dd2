"""Lesson 8's networks for 24-hour PM2.5 forecasts, and the registry of them.

Every builder takes ``(window, n_inputs)`` and returns a model compiled with Adam and the mean
squared error, reading windows ``(samples, window, n_inputs)``:

=====================  =====================================================  ================
builder                layers                                                 output
=====================  =====================================================  ================
build_mlp              Flatten -> Dense(units, relu) -> Dense(24)             (24,)
build_lstm             LSTM(units) -> Dense(24)                               (24,)
build_seq2seq          LSTM -> RepeatVector(24) -> LSTM -> TimeDistributed    (24, 1)
build_dilated_cnn      causal Conv1D, dilation 1, 2, 4, ... -> last step      (24,)
build_quantile_mlp     the MLP with 24 x 3 outputs, pinball loss              (24, 3)
build_residual_mlp     frozen ridge (ridge_layer) + Dense(relu) -> Dense(24)  (24,)
=====================  =====================================================  ================

:data:`NETWORKS` is the registry the lesson, the explorer and ``course_tools.benchmark_capstone``
read; :mod:`.trials` trains them over seeds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np
from keras import layers

from .data import HORIZON, AirQualityTask

__all__ = [
    "NETWORKS",
    "NetworkSpec",
    "build_dilated_cnn",
    "build_lstm",
    "build_mlp",
    "build_quantile_mlp",
    "build_residual_mlp",
    "ridge_layer",
    "build_seq2seq",
    "pinball_loss",
]


def _compile(model, learning_rate=1e-3, loss="mse"):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss)
    return model


def build_mlp(window: int, n_inputs: int, units: int = 32, n_out: int = HORIZON) -> keras.Model:
    """(window, n_inputs) -> Flatten -> Dense(units, relu) -> Dense(n_out): direct forecasts."""
    inputs = keras.Input(shape=(window, n_inputs))
    x = layers.Flatten()(inputs)  # (window * n_inputs,)
    x = layers.Dense(units, activation="relu")(x)
    return _compile(keras.Model(inputs, layers.Dense(n_out)(x), name="mlp"))


def build_lstm(window: int, n_inputs: int, units: int = 32, n_out: int = HORIZON) -> keras.Model:
    """(window, n_inputs) -> LSTM(units) -> Dense(n_out): the state after the last hour."""
    inputs = keras.Input(shape=(window, n_inputs))
    x = layers.LSTM(units)(inputs)  # (units,)
    return _compile(keras.Model(inputs, layers.Dense(n_out)(x), name="lstm"))


def build_seq2seq(window: int, n_inputs: int, units: int = 32) -> keras.Model:
    """Encoder-decoder LSTM: (window, n_inputs) -> (24, 1), one decoder step per hour ahead."""
    inputs = keras.Input(shape=(window, n_inputs))
    x = layers.LSTM(units)(inputs)  # encoder: (units,)
    x = layers.RepeatVector(HORIZON)(x)  # (24, units)
    x = layers.LSTM(units, return_sequences=True)(x)  # decoder: (24, units)
    outputs = layers.TimeDistributed(layers.Dense(1))(x)  # (24, 1)
    return _compile(keras.Model(inputs, outputs, name="seq2seq"))


def build_dilated_cnn(
    window: int, n_inputs: int, filters: int = 16, dilations=(1, 2, 4, 8, 16)
) -> keras.Model:
    """A dilated causal CNN (WaveNet/TCN style): each layer doubles how far back it sees.

    (window, n_inputs) -> Conv1D(kernel 2, dilation d, causal) for each d -> (window, filters);
    the last hour's features see 2 ** len(dilations) hours back -> Dense(24).
    """
    inputs = keras.Input(shape=(window, n_inputs))
    x = inputs
    for rate in dilations:
        x = layers.Conv1D(filters, 2, dilation_rate=rate, padding="causal", activation="relu")(x)
    x = layers.Cropping1D((window - 1, 0))(x)  # (1, filters): the most recent hour only
    x = layers.Flatten()(x)
    return _compile(keras.Model(inputs, layers.Dense(HORIZON)(x), name="dilated_cnn"))


def ridge_layer(ridge, task: AirQualityTask) -> layers.Dense:
    """The fitted ridge regression as a frozen ``Dense(24)`` on the flattened window.

    Its weights are the ridge's, rescaled to the networks' scaled target units, and are not
    trained: a network that adds its own output to this layer's learns only what the linear
    model gets wrong (a linear shortcut, as in a residual network).
    """
    if getattr(ridge, "weights", None) is None:
        raise ValueError("Fit the ridge first: ridge, _ = fit_ridge(task).")
    weights = np.asarray(ridge.weights, dtype=float)
    if weights.shape[0] != task.window * task.n_inputs + 1:
        raise ValueError(
            f"This ridge reads {weights.shape[0] - 1} values per window, the task's windows "
            f"have {task.window} x {task.n_inputs}; fit it on this task."
        )
    kernel = (weights[:-1] / task.pm_sd).astype("float32")  # (window * inputs, 24)
    bias = ((weights[-1] - task.pm_mean) / task.pm_sd).astype("float32")  # (24,)
    return layers.Dense(
        HORIZON,
        trainable=False,
        kernel_initializer=keras.initializers.Constant(kernel),
        bias_initializer=keras.initializers.Constant(bias),
        name="ridge",
    )


def build_residual_mlp(window: int, n_inputs: int, linear: layers.Dense, units: int = 32):
    """The MLP on top of a frozen linear model: ``linear(window) + Dense(24)(Dense(units))``.

    (window, n_inputs) -> Flatten -> the frozen ridge (24,) plus a ReLU branch (24,) -> (24,).
    """
    inputs = keras.Input(shape=(window, n_inputs))
    flat = layers.Flatten()(inputs)  # (window * n_inputs,)
    hidden = layers.Dense(units, activation="relu")(flat)
    outputs = layers.Add()([linear(flat), layers.Dense(HORIZON)(hidden)])  # (24,)
    return _compile(keras.Model(inputs, outputs, name="ridge_plus_mlp"))


QUANTILES = (0.1, 0.5, 0.9)


def pinball_loss(quantiles=QUANTILES) -> Callable:
    """The quantile (pinball) loss for outputs ``(..., len(quantiles))`` and targets ``(...)``."""
    q = keras.ops.convert_to_tensor(np.asarray(quantiles, dtype="float32"))

    def loss(y_true, y_pred):
        error = keras.ops.expand_dims(y_true, -1) - y_pred  # (batch, 24, quantiles)
        return keras.ops.mean(keras.ops.maximum(q * error, (q - 1.0) * error))

    return loss


def build_quantile_mlp(window: int, n_inputs: int, units: int = 32) -> keras.Model:
    """The MLP with three outputs per hour, the 10%, 50% and 90% quantiles: (24, 3)."""
    inputs = keras.Input(shape=(window, n_inputs))
    x = layers.Flatten()(inputs)
    x = layers.Dense(units, activation="relu")(x)
    x = layers.Dense(HORIZON * len(QUANTILES))(x)
    outputs = layers.Reshape((HORIZON, len(QUANTILES)))(x)  # (24, 3)
    return _compile(keras.Model(inputs, outputs, name="quantile_mlp"), loss=pinball_loss())


@dataclass(frozen=True)
class NetworkSpec:
    """One network of lesson 8: its title, builder and training settings."""

    name: str
    title: str
    builder: Callable[..., keras.Model]
    epochs: int
    seeds: tuple = (0, 1, 2)
    batch_size: int = 256

    def build(self, task: AirQualityTask) -> keras.Model:
        """A new compiled model for the task's window and inputs."""
        return self.builder(task.window, task.n_inputs)


NETWORKS: dict[str, NetworkSpec] = {
    spec.name: spec
    for spec in [
        NetworkSpec("mlp", "MLP", build_mlp, epochs=6),
        NetworkSpec("lstm", "LSTM", build_lstm, epochs=3, seeds=(0, 1)),
        NetworkSpec("dilated_cnn", "dilated causal CNN", build_dilated_cnn, epochs=3, seeds=(0, 1)),
        NetworkSpec("seq2seq", "encoder-decoder LSTM", build_seq2seq, epochs=3, seeds=(0, 1)),
    ]
}
