"""Builders for the five lesson architectures, sized for the daily births task.

Every builder returns a model compiled with Adam and mean squared error. Input shapes:

==================  ==============================  ======================
builder             input (per sample)              output (per sample)
==================  ==============================  ======================
build_mlp           (n_in,)                         (1,)
build_cnn           (n_in, 1)                       (1,)
build_lstm          (n_in, 1)                       (1,)
build_cnn_lstm      (n_seq, n_in // n_seq, 1)       (1,)
build_encoder_decoder (n_in, 1)                     (n_out, 1)
==================  ==============================  ======================

``DEFAULTS`` holds the settings each lesson uses on the births series (window, epochs, batch size
and the builder's size arguments); they were chosen on a validation tail of the training data
(``python -m course_helpers.tune``), never on the test set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import keras
from keras import layers

__all__ = [
    "build_mlp",
    "build_cnn",
    "build_lstm",
    "build_cnn_lstm",
    "build_encoder_decoder",
    "build_model",
    "ModelConfig",
    "DEFAULTS",
    "MODEL_NAMES",
    "min_window",
]


def _compile(model, learning_rate):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
    return model


def _check_window(n_in, minimum, what):
    if int(n_in) != n_in or n_in < minimum:
        raise ValueError(f"The {what} needs a window of at least {minimum} steps, got {n_in!r}.")


def build_mlp(
    n_in: int, units: int = 32, dropout: float = 0.0, learning_rate: float = 1e-3
) -> keras.Model:
    """A multilayer perceptron: (n_in,) -> Dense(units, relu) -> Dense(1)."""
    _check_window(n_in, 1, "MLP")
    inputs = keras.Input(shape=(n_in,))
    x = layers.Dense(units, activation="relu")(inputs)
    if dropout:
        x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(1)(x)
    return _compile(keras.Model(inputs, outputs, name="mlp"), learning_rate)


def build_cnn(
    n_in: int,
    filters: int = 16,
    kernel_size: int = 3,
    units: int = 16,
    dropout: float = 0.0,
    learning_rate: float = 1e-3,
) -> keras.Model:
    """A 1D CNN: (n_in, 1) -> Conv1D -> MaxPooling1D(2) -> Flatten -> Dense(units) -> Dense(1).

    The pooling pads an odd-length input (``padding="same"``) so its last position, the one that
    covers the most recent day, is pooled too instead of dropped.
    """
    _check_window(n_in, kernel_size + 1, f"CNN with kernel size {kernel_size}")
    inputs = keras.Input(shape=(n_in, 1))
    x = layers.Conv1D(filters, kernel_size, activation="relu")(inputs)  # (n_in - k + 1, filters)
    x = layers.MaxPooling1D(2, padding="same")(x)  # (ceil((n_in - k + 1) / 2), filters)
    x = layers.Flatten()(x)
    x = layers.Dense(units, activation="relu")(x)
    if dropout:
        x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(1)(x)
    return _compile(keras.Model(inputs, outputs, name="cnn"), learning_rate)


def build_lstm(
    n_in: int, units: int = 16, dropout: float = 0.0, learning_rate: float = 1e-3
) -> keras.Model:
    """An LSTM: (n_in, 1) -> LSTM(units) reads the window step by step -> Dense(1)."""
    _check_window(n_in, 1, "LSTM")
    inputs = keras.Input(shape=(n_in, 1))
    x = layers.LSTM(units)(inputs)  # (units,): the state after the last step
    if dropout:
        x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(1)(x)
    return _compile(keras.Model(inputs, outputs, name="lstm"), learning_rate)


def build_cnn_lstm(
    n_in: int,
    n_seq: int = 2,
    filters: int = 16,
    kernel_size: int = 1,
    units: int = 16,
    dropout: float = 0.0,
    learning_rate: float = 1e-3,
) -> keras.Model:
    """A CNN-LSTM: a small CNN reads each of ``n_seq`` subsequences, an LSTM reads their features.

    (n_seq, n_in // n_seq, 1) -> TimeDistributed(Conv1D, MaxPooling1D(2), Flatten)
    -> (n_seq, features) -> LSTM(units) -> Dense(1).
    """
    if int(n_seq) != n_seq or n_seq < 1:
        raise ValueError(f"n_seq must be a whole number of at least 1, got {n_seq!r}.")
    if n_in % n_seq:
        raise ValueError(
            f"A window of {n_in} steps cannot be cut into {n_seq} equal subsequences; "
            f"choose a window that is a multiple of {n_seq}."
        )
    steps = n_in // n_seq
    if steps - kernel_size + 1 < 2:
        raise ValueError(
            f"Each subsequence has {steps} steps, too few for a kernel of {kernel_size} and "
            f"pooling of 2; use a window of at least {n_seq * (kernel_size + 1)} steps."
        )
    inputs = keras.Input(shape=(n_seq, steps, 1))
    x = layers.TimeDistributed(layers.Conv1D(filters, kernel_size, activation="relu"))(inputs)
    x = layers.TimeDistributed(layers.MaxPooling1D(2))(x)
    x = layers.TimeDistributed(layers.Flatten())(x)  # (n_seq, features per subsequence)
    x = layers.LSTM(units)(x)
    if dropout:
        x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(1)(x)
    return _compile(keras.Model(inputs, outputs, name="cnn_lstm"), learning_rate)


def build_encoder_decoder(
    n_in: int, n_out: int = 2, units: int = 16, dropout: float = 0.0, learning_rate: float = 1e-3
) -> keras.Model:
    """An encoder-decoder LSTM for ``n_out`` steps at once.

    (n_in, 1) -> LSTM encoder -> (units,) -> RepeatVector(n_out) -> (n_out, units)
    -> LSTM decoder (return_sequences) -> TimeDistributed(Dense(1)) -> (n_out, 1).
    """
    _check_window(n_in, 1, "encoder-decoder")
    if int(n_out) != n_out or n_out < 1:
        raise ValueError(f"n_out must be a whole number of at least 1, got {n_out!r}.")
    inputs = keras.Input(shape=(n_in, 1))
    x = layers.LSTM(units)(inputs)
    x = layers.RepeatVector(n_out)(x)
    x = layers.LSTM(units, return_sequences=True)(x)
    if dropout:
        x = layers.Dropout(dropout)(x)
    outputs = layers.TimeDistributed(layers.Dense(1))(x)
    return _compile(keras.Model(inputs, outputs, name="encoder_decoder"), learning_rate)


BUILDERS = {
    "mlp": build_mlp,
    "cnn": build_cnn,
    "lstm": build_lstm,
    "cnn_lstm": build_cnn_lstm,
    "encoder_decoder": build_encoder_decoder,
}
MODEL_NAMES = tuple(BUILDERS)


@dataclass(frozen=True)
class ModelConfig:
    """How a lesson trains its model on the births task."""

    window: int
    epochs: int
    batch_size: int | None = 32
    kwargs: dict = field(default_factory=dict)


# Chosen by `python -m course_helpers.tune` (rolling-origin validation inside the training days,
# 2 seeds); see that module for the grid and the validation errors of every candidate.
DEFAULTS: dict[str, ModelConfig] = {
    "mlp": ModelConfig(window=7, epochs=37, kwargs={"units": 16}),
    "cnn": ModelConfig(window=7, epochs=10, kwargs={"filters": 16, "kernel_size": 2, "units": 16}),
    "lstm": ModelConfig(window=7, epochs=10, kwargs={"units": 16}),
    "cnn_lstm": ModelConfig(window=8, epochs=22, kwargs={"n_seq": 2}),
    "encoder_decoder": ModelConfig(window=7, epochs=24, kwargs={"n_out": 3, "units": 16}),
}


def build_model(name: str, n_in: int, **kwargs) -> keras.Model:
    """Build one of :data:`MODEL_NAMES` with its lesson defaults, overridden by ``kwargs``."""
    if name not in BUILDERS:
        raise ValueError(f"Unknown model {name!r}. Choose one of {', '.join(MODEL_NAMES)}.")
    return BUILDERS[name](n_in, **{**DEFAULTS[name].kwargs, **kwargs})


def min_window(name: str, **kwargs) -> int:
    """The shortest window the named model accepts with these settings."""
    settings = {**DEFAULTS[name].kwargs, **kwargs}
    if name == "cnn":
        return settings.get("kernel_size", 3) + 1
    if name == "cnn_lstm":
        return settings.get("n_seq", 2) * (settings.get("kernel_size", 1) + 1)
    return 1
