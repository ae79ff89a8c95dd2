"""Builders for the five lesson architectures, sized for the daily births task, and their registry.

Every builder takes the ``window`` (time steps read) first, then keyword settings, and returns a
model compiled with Adam and mean squared error. Input and output per sample:

=====================  ===============================  =========================
builder                input                            output
=====================  ===============================  =========================
build_mlp              (window,)                        (horizon,)
build_cnn              (window, 1)                      (1,)
build_lstm             (window, n_features)             (horizon,)
build_cnn_lstm         (n_seq, window // n_seq, 1)      (1,)
build_encoder_decoder  (window, n_features)             (horizon, 1)
=====================  ===============================  =========================

The births series has one feature per day; the MLP, the LSTM and the encoder-decoder also take
``n_features`` (second, by position or name) so that lesson 8 builds the same networks for its 16
inputs per hour. An MLP given ``n_features`` reads ``(window, n_features)`` and flattens inside.

``MODELS`` is the one registry of facts about the five models (name, title, lesson, builder,
defaults, input shape for a window, smallest window, output steps, validation grid). The builders,
the explorer, the exercises and the maintainer tools all read it. The defaults were chosen on
rolling-origin validation inside the training days (``python -m course_tools.tune``), never on
the test days.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType

import keras
from keras import layers

__all__ = [
    "build_mlp",
    "build_cnn",
    "build_lstm",
    "build_cnn_lstm",
    "build_encoder_decoder",
    "build_model",
    "lesson_model",
    "model_spec",
    "ModelConfig",
    "ModelSpec",
    "MODELS",
    "DEFAULTS",
    "MODEL_NAMES",
]


def _compile(model, learning_rate):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
    return model


def _check_window(window, minimum, what):
    if int(window) != window or window < minimum:
        raise ValueError(f"The {what} needs a window of at least {minimum} steps, got {window!r}.")


def _check_horizon(horizon):
    if int(horizon) != horizon or horizon < 1:
        raise ValueError(f"horizon must be a whole number of at least 1, got {horizon!r}.")


def build_mlp(
    window: int,
    n_features: int | None = None,
    *,
    horizon: int = 1,
    units: int = 32,
    dropout: float = 0.0,
    learning_rate: float = 1e-3,
) -> keras.Model:
    """A multilayer perceptron: (window,) -> Dense(units, relu) -> Dense(horizon).

    With ``n_features`` it reads (window, n_features) and flattens it first (lesson 8).
    """
    _check_window(window, 1, "MLP")
    _check_horizon(horizon)
    if n_features is None:
        inputs = x = keras.Input(shape=(window,))
    else:
        inputs = keras.Input(shape=(window, n_features))
        x = layers.Flatten()(inputs)  # (window * n_features,)
    x = layers.Dense(units, activation="relu")(x)
    if dropout:
        x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(horizon)(x)
    return _compile(keras.Model(inputs, outputs, name="mlp"), learning_rate)


def build_cnn(
    window: int,
    *,
    filters: int = 16,
    kernel_size: int = 3,
    units: int = 16,
    dropout: float = 0.0,
    learning_rate: float = 1e-3,
) -> keras.Model:
    """A 1D CNN: (window, 1) -> Conv1D -> MaxPooling1D(2) -> Flatten -> Dense(units) -> Dense(1).

    The pooling pads an odd-length input (``padding="same"``) so its last position, the one that
    covers the most recent day, is pooled too instead of dropped.
    """
    _check_window(window, kernel_size + 1, f"CNN with kernel size {kernel_size}")
    inputs = keras.Input(shape=(window, 1))
    x = layers.Conv1D(filters, kernel_size, activation="relu")(inputs)  # (window - k + 1, filters)
    x = layers.MaxPooling1D(2, padding="same")(x)  # (ceil((window - k + 1) / 2), filters)
    x = layers.Flatten()(x)
    x = layers.Dense(units, activation="relu")(x)
    if dropout:
        x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(1)(x)
    return _compile(keras.Model(inputs, outputs, name="cnn"), learning_rate)


def build_lstm(
    window: int,
    n_features: int = 1,
    *,
    horizon: int = 1,
    units: int = 16,
    dropout: float = 0.0,
    learning_rate: float = 1e-3,
) -> keras.Model:
    """An LSTM: (window, n_features) -> LSTM(units), read step by step -> Dense(horizon)."""
    _check_window(window, 1, "LSTM")
    _check_horizon(horizon)
    inputs = keras.Input(shape=(window, n_features))
    x = layers.LSTM(units)(inputs)  # (units,): the state after the last step
    if dropout:
        x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(horizon)(x)
    return _compile(keras.Model(inputs, outputs, name="lstm"), learning_rate)


def build_cnn_lstm(
    window: int,
    *,
    n_seq: int = 2,
    filters: int = 16,
    kernel_size: int = 1,
    units: int = 16,
    dropout: float = 0.0,
    learning_rate: float = 1e-3,
) -> keras.Model:
    """A CNN-LSTM: a small CNN reads each of ``n_seq`` subsequences, an LSTM reads their features.

    (n_seq, window // n_seq, 1) -> TimeDistributed(Conv1D, MaxPooling1D(2), Flatten)
    -> (n_seq, features) -> LSTM(units) -> Dense(1).
    """
    if int(n_seq) != n_seq or n_seq < 1:
        raise ValueError(f"n_seq must be a whole number of at least 1, got {n_seq!r}.")
    if window % n_seq:
        raise ValueError(
            f"A window of {window} steps cannot be cut into {n_seq} equal subsequences; "
            f"choose a window that is a multiple of {n_seq}."
        )
    steps = window // n_seq
    if steps - kernel_size + 1 < 2:
        raise ValueError(
            f"Each subsequence has {steps} steps, too few for a kernel of {kernel_size} and "
            f"pooling of 2; use a window of at least {n_seq * (kernel_size + 1)} steps."
        )
    inputs = keras.Input(shape=(n_seq, steps, 1))
    x = layers.TimeDistributed(layers.Conv1D(filters, kernel_size, activation="relu"))(inputs)
    # "same" padding pools an odd last position too, so the most recent day is never dropped
    x = layers.TimeDistributed(layers.MaxPooling1D(2, padding="same"))(x)
    x = layers.TimeDistributed(layers.Flatten())(x)  # (n_seq, features per subsequence)
    x = layers.LSTM(units)(x)
    if dropout:
        x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(1)(x)
    return _compile(keras.Model(inputs, outputs, name="cnn_lstm"), learning_rate)


def build_encoder_decoder(
    window: int,
    n_features: int = 1,
    *,
    horizon: int = 2,
    units: int = 16,
    dropout: float = 0.0,
    learning_rate: float = 1e-3,
) -> keras.Model:
    """An encoder-decoder LSTM for ``horizon`` steps at once.

    (window, n_features) -> LSTM encoder -> (units,) -> RepeatVector(horizon) -> (horizon, units)
    -> LSTM decoder (return_sequences) -> TimeDistributed(Dense(1)) -> (horizon, 1).
    """
    _check_window(window, 1, "encoder-decoder")
    _check_horizon(horizon)
    inputs = keras.Input(shape=(window, n_features))
    x = layers.LSTM(units)(inputs)
    x = layers.RepeatVector(horizon)(x)
    x = layers.LSTM(units, return_sequences=True)(x)
    if dropout:
        x = layers.Dropout(dropout)(x)
    outputs = layers.TimeDistributed(layers.Dense(1))(x)
    return _compile(keras.Model(inputs, outputs, name="encoder_decoder"), learning_rate)


@dataclass(frozen=True)
class ModelConfig:
    """How a lesson trains its model: window, epochs, batch size and the builder's settings."""

    window: int
    epochs: int
    batch_size: int | None = 32
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ModelSpec:
    """Everything the course knows about one model, in one place.

    ``defaults`` are the lesson's settings (on the births task; lesson 8's registry,
    ``course_helpers.capstone.MODELS``, holds its own on air quality); ``grid`` the candidates
    that ``python -m course_tools.tune`` scores on validation. The methods take the builder's
    keyword arguments as overrides of the defaults, e.g.
    ``MODELS["cnn_lstm"].input_shape(12, n_seq=3)``.
    """

    name: str
    title: str
    lesson: int
    builder: Callable[..., keras.Model]
    defaults: ModelConfig
    grid: dict = field(default_factory=dict)
    subsequences: bool = False  # reads windows cut into n_seq subsequences (the CNN-LSTM)
    flat: bool = False  # reads flat windows unless given n_features (the MLP)
    seeds: tuple[int, ...] = (0, 1, 2)  # the seeds a comparison of networks trains (lesson 8)

    def settings(self, **overrides) -> dict:
        """The builder's keyword arguments: the defaults, updated by ``overrides``."""
        return {**self.defaults.kwargs, **overrides}

    def build(self, window: int, **overrides) -> keras.Model:
        """A new compiled model for windows of ``window`` steps."""
        return self.builder(window, **self.settings(**overrides))

    def window_step(self, **overrides) -> int:
        """Windows must be a multiple of this (``n_seq`` for the CNN-LSTM, else 1)."""
        return int(self.settings(**overrides).get("n_seq", 1)) if self.subsequences else 1

    def min_window(self, **overrides) -> int:
        """The shortest window the builder accepts with these settings."""
        settings = self.settings(**overrides)
        if self.name == "cnn":
            return settings.get("kernel_size", 3) + 1
        if self.subsequences:
            return self.window_step(**overrides) * (settings.get("kernel_size", 1) + 1)
        return 1

    def input_shape(self, window: int, **overrides) -> tuple[int, ...]:
        """The per-sample input shape of a model built for ``window`` steps."""
        n_features = self.settings(**overrides).get("n_features")
        if self.flat and n_features is None:
            return (window,)
        if self.subsequences:
            n_seq = self.window_step(**overrides)
            return (n_seq, window // n_seq, 1)
        return (window, n_features or 1)

    def output_steps(self, **overrides) -> int:
        """How many steps ahead the model forecasts at once."""
        return int(self.settings(**overrides).get("horizon", 1))


# Defaults chosen by `python -m course_tools.tune` (rolling-origin validation inside the training
# days, 2 seeds) from each grid below; that command prints the validation error of every candidate.
MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in [
        ModelSpec(
            "mlp",
            "MLP",
            3,
            build_mlp,
            ModelConfig(window=7, epochs=37, kwargs={"units": 16}),
            {"window": [7, 14, 21], "units": [8, 16], "batch_size": [32]},
            flat=True,
        ),
        ModelSpec(
            "cnn",
            "1D CNN",
            4,
            build_cnn,
            ModelConfig(window=7, epochs=10, kwargs={"filters": 16, "kernel_size": 2, "units": 16}),
            {
                "window": [7, 14, 21],
                "filters": [16],
                "kernel_size": [2, 3],
                "units": [8, 16],
                "batch_size": [32],
            },
        ),
        ModelSpec(
            "lstm",
            "LSTM",
            5,
            build_lstm,
            ModelConfig(window=7, epochs=10, kwargs={"units": 16}),
            {"window": [7, 14, 21], "units": [16], "batch_size": [32]},
        ),
        ModelSpec(
            "cnn_lstm",
            "CNN-LSTM",
            6,
            build_cnn_lstm,
            ModelConfig(window=8, epochs=22, kwargs={"n_seq": 2}),
            {"window": [8, 14, 20], "n_seq": [2], "batch_size": [32]},
            subsequences=True,
        ),
        ModelSpec(
            "encoder_decoder",
            "encoder-decoder LSTM",
            7,
            build_encoder_decoder,
            ModelConfig(window=7, epochs=24, kwargs={"horizon": 3, "units": 16}),
            {"window": [7, 14, 21], "horizon": [3], "units": [16], "batch_size": [32]},
        ),
    ]
}
MODEL_NAMES = tuple(MODELS)
# The lesson defaults by model name, read from the registry (a read-only view, not a copy).
DEFAULTS = MappingProxyType({name: spec.defaults for name, spec in MODELS.items()})


def model_spec(name: str) -> ModelSpec:
    """The registry entry of model ``name``, or a ValueError that lists the known names."""
    try:
        return MODELS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown model {name!r}. Choose one of {', '.join(MODEL_NAMES)}."
        ) from None


def lesson_model(lesson: int) -> ModelSpec:
    """The registry entry of the model that lesson ``lesson`` teaches (lessons 3 to 7)."""
    for spec in MODELS.values():
        if spec.lesson == lesson:
            return spec
    lessons = ", ".join(f"{s.lesson} ({s.title})" for s in MODELS.values())
    raise ValueError(f"Lesson {lesson!r} has no model of its own; model lessons are {lessons}.")


def build_model(name: str, window: int, **kwargs) -> keras.Model:
    """Build one of :data:`MODEL_NAMES` with its lesson defaults, overridden by ``kwargs``."""
    return model_spec(name).build(window, **kwargs)
