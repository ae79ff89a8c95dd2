"""Lesson 8's networks for 24-hour PM2.5 forecasts, and how they are trained and scored.

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
read. :func:`train_network` trains one builder over seeds with :func:`course_helpers.fit`;
:class:`Trial` holds the trained models and scores them on validation (and, when asked, on the
test year).
"""

from __future__ import annotations

import gc
import statistics
from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np
from keras import layers

from ..training import fit, set_seed
from .baselines import Score, score
from .data import HORIZON, AirQualityTask

__all__ = [
    "NETWORKS",
    "NetworkSpec",
    "Trial",
    "build_dilated_cnn",
    "build_lstm",
    "build_mlp",
    "build_quantile_mlp",
    "build_residual_mlp",
    "ridge_layer",
    "build_seq2seq",
    "pinball_loss",
    "train_network",
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


def predict(model, X) -> np.ndarray:
    """The model's forecasts for windows ``X``, in scaled units, as (samples, 24)."""
    out = np.asarray(model(np.asarray(X, dtype="float32"), training=False))  # a few hundred rows
    return out[..., 0] if out.ndim == 3 and out.shape[-1] == 1 else out


@dataclass
class Trial:
    """Networks of one kind trained over several seeds on one task, and their forecasts.

    ``forecasts(period)`` gives (seeds, origins, 24) in µg/m³; ``scores(period)`` one
    :class:`Score` per seed; ``ensemble(period)`` the score of the mean forecast. ``model`` is
    the network of the last seed.
    """

    name: str
    task: AirQualityTask
    model: keras.Model
    seeds: list
    predictions: dict  # period -> (seeds, origins, 24) in µg/m³

    def forecasts(self, period: str = "validation") -> np.ndarray:
        """Every seed's forecasts for the midnights of ``period``: (seeds, origins, 24)."""
        self.task.period(period)  # checks the name
        return self.predictions[period]

    def scores(self, period: str = "validation") -> list[Score]:
        """One score per seed."""
        actual = self.task.period(period).y
        return [score(f, actual) for f in self.forecasts(period)]

    def rmse(self, period: str = "validation") -> tuple[float, float]:
        """Mean and sd over seeds of the RMSE over all 24 hours."""
        values = [s.rmse for s in self.scores(period)]
        return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0

    def ensemble(self, period: str = "validation") -> Score:
        """The score of the mean of the seeds' forecasts (an ensemble)."""
        return score(self.forecasts(period).mean(axis=0), self.task.period(period).y)

    def by_horizon(self, period: str = "validation"):
        """Mean RMSE over seeds at each hour ahead (a Series indexed 1 to 24)."""
        frames = [s.by_horizon["rmse"] for s in self.scores(period)]
        return sum(frames) / len(frames)

    def summary(self, period: str = "validation") -> dict:
        """RMSE mean and sd over seeds, MAE mean, ensemble RMSE: one row of a table."""
        mean, sd = self.rmse(period)
        return {
            "rmse": mean,
            "sd": sd,
            "mae": statistics.fmean(s.mae for s in self.scores(period)),
            "ensemble rmse": self.ensemble(period).rmse,
        }


def _targets_for(model, targets: np.ndarray) -> np.ndarray:
    """Targets shaped for the model's output: (samples, 24) or (samples, 24, 1)."""
    shape = tuple(model.outputs[0].shape[1:])
    if len(shape) == 2 and shape[-1] == 1 and targets.ndim == 2:
        return targets[..., None]
    return targets


def _reset_to(kept: keras.Model, fresh: keras.Model) -> keras.Model:
    """Give ``kept`` the weights and optimizer state of ``fresh`` (same architecture) and return
    it: a new seed without a new model, so ``fit``'s compiled loop is reused, not traced again."""
    for target, source in zip(kept.variables, fresh.variables, strict=True):
        target.assign(source)
    for model in (kept, fresh):
        if not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)
    for target, source in zip(kept.optimizer.variables, fresh.optimizer.variables, strict=True):
        target.assign(source)
    return kept


def _release_training_copy(model) -> None:
    """Empty the copy of the training data that :func:`fit` keeps with a model's compiled loop.

    TensorFlow keeps a traced loop, and the data it captured, for the life of the process; the
    data variables accept any length, so emptying them frees the memory (67 MB for 48 hours of
    16 inputs every hour of three years) while the model itself stays usable.
    """
    runner = model.__dict__.pop("_course_runner", None)
    for variable in (getattr(runner, "X", None), getattr(runner, "y", None)):
        if variable is not None:
            variable.assign(np.zeros((0, *variable.shape[1:]), dtype=variable.dtype.as_numpy_dtype))
    gc.collect()


def train_network(
    build,
    task: AirQualityTask,
    *,
    seeds=None,
    epochs: int | None = None,
    batch_size: int = 256,
    targets=None,
    name: str | None = None,
    progress=False,
    forecaster=None,
) -> Trial:
    """Train ``build(window, n_inputs)`` once per seed on the task's training samples.

    ``build`` is a builder or a :data:`NETWORKS` name, whose title, epochs and seeds are the
    defaults (else 6 epochs, seeds 0, 1 and 2). ``targets``
    replaces the scaled 24-hour targets (the recursive strategy trains on the first hour only);
    ``forecaster(model, windows)`` replaces one call of the model (the recursive strategy runs
    it 24 times). Every seed starts from the state a new model would have for that seed, but the
    first seed's model and its compiled training loop are reused, so the training windows are
    copied once. Returns a :class:`Trial` with the validation and test forecasts of every seed.
    """
    if isinstance(build, str):
        spec = NETWORKS[build]
        name, epochs = name or spec.title, epochs or spec.epochs
        seeds, build = seeds or spec.seeds, spec.builder
    epochs, seeds = epochs or 6, tuple(seeds or (0, 1, 2))
    targets = task.y_train if targets is None else targets
    X = np.asarray(task.train.X, dtype="float32")  # the one copy of the training windows
    run = forecaster or (lambda model, windows: predict(model, windows.X))
    model = None
    predictions = {"validation": [], "test": []}
    keras.backend.clear_session()  # names and global state only; earlier trials keep working
    for seed in seeds:
        set_seed(seed)
        fresh = build(task.window, task.n_inputs)
        model = fresh if model is None else _reset_to(model, fresh)
        y = _targets_for(model, targets)
        fit(model, X, y, epochs=epochs, batch_size=batch_size, seed=seed, progress=progress)
        for period, kept in predictions.items():
            kept.append(task.unscale(run(model, task.period(period))))
    _release_training_copy(model)
    predictions = {period: np.stack(kept) for period, kept in predictions.items()}
    label = name or getattr(build, "__name__", "network")
    return Trial(label, task, model, list(seeds), predictions)
