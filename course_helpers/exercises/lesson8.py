"""Lesson 8 exercise (``exercises.lesson8.beat_linear``): beat the linear autoregression.

The learner writes ``build_model(window, n_features)``: a compiled Keras network that reads windows
of ``(48, 16)`` (48 hours of every input) and forecasts the next 24 hours of PM2.5. The check
names what is wrong with the model before training it (not a network, wrong input or output
shape, not compiled, a network with no nonlinearity: the ridge regression in disguise), then
trains it over three seeds on 2010-2012 and compares its validation RMSE (2013) with the linear
autoregression's. It passes only when the mean of the three seeds' forecasts (an ensemble)
beats the linear model by more than the single seeds' standard deviation; the test year is never
looked at. The worked solution adds a ReLU branch to the frozen ridge (``ridge_layer``).
"""

from __future__ import annotations

import keras

from ..capstone.baselines import fit_ridge, score
from ..capstone.data import HORIZON, shared_task
from ..capstone.trials import train_network
from .core import Exercise, Feedback, Lesson, Mistake
from .networks import build_learner_model, check_compiled, layer_names

__all__ = ["BeatLinearExercise", "beat_linear"]

WINDOW, SEEDS = 48, (0, 1, 2)
NONLINEAR_ACTIVATIONS = ("relu", "gelu", "tanh", "sigmoid", "elu", "selu", "swish", "silu")
NONLINEAR_LAYERS = ("LSTM", "GRU", "SimpleRNN", "MultiHeadAttention", "ReLU", "Activation")


def reference():
    """The task (48 hours of all inputs) and the ridge fitted on it, shared with the lesson."""
    task = shared_task(WINDOW, "all")
    ridge = fit_ridge(task)[0]
    return task, ridge, score(task.to_pm(ridge.predict(task.validation.X)), task.validation.y).rmse


def _is_nonlinear(layer) -> bool:
    """Whether a layer (or a layer it wraps) applies a nonlinear function."""
    inner = getattr(layer, "layer", layer)
    if type(inner).__name__ in NONLINEAR_LAYERS:
        return type(inner).__name__ != "Activation" or _activation_name(inner) != "linear"
    return _activation_name(inner) in NONLINEAR_ACTIVATIONS


def _activation_name(layer) -> str:
    activation = getattr(layer, "activation", None)
    return getattr(activation, "__name__", str(activation)).lower() if activation else "linear"


def check_shapes(model: keras.Model, window: int, n_features: int) -> None:
    """Raise a mistake unless the model reads (window, n_features) and writes 24 hours."""
    shape = tuple(model.inputs[0].shape[1:])
    if shape != (window, n_features):
        raise Mistake(
            f"The model reads samples of shape {shape}, but each window is ({window}, "
            f"{n_features}): {window} hours of {n_features} features.",
            "Start with `keras.Input(shape=(window, n_features))`; an MLP flattens inside the "
            "model with `layers.Flatten()`.",
        )
    out = tuple(model.outputs[0].shape[1:])
    if out not in ((HORIZON,), (HORIZON, 1)):
        raise Mistake(
            f"The model outputs samples of shape {out}; it should forecast the next {HORIZON} "
            f"hours at once: end with `layers.Dense({HORIZON})`.",
        )


def check_nonlinear(model: keras.Model) -> None:
    """Raise a mistake when no layer is nonlinear: such a model is a linear autoregression."""
    if not any(_is_nonlinear(layer) for layer in model.layers):
        raise Mistake(
            "Every layer of this model is linear, so the whole model is a linear function of "
            "the window: the ridge regression again, fitted by gradient descent. At best it ties.",
            f"Its layers: {', '.join(layer_names(model)) or 'none'}.",
            "Add a hidden layer with a nonlinear activation, e.g. "
            '`layers.Dense(32, activation="relu")`.',
        )


class BeatLinearExercise(Exercise):
    """``check(build_model, epochs=3)``: beat the ridge regression on the validation year.

    The learner's network is trained once per seed; the mean of the three forecasts (an
    ensemble) must beat the ridge regression by more than the spread of single seeds.
    """

    title = "Build a network that beats the linear autoregression on the validation year"
    hints = (
        "`build_model(window, n_features)` returns a compiled model: `keras.Input(shape=(window, "
        'n_features))` in, 24 values out, `loss="mse"`. The check trains it over three seeds.',
        "The lesson's MLP loses to the ridge regression in the first hours: it cannot copy the "
        "last value as exactly as a linear model. Start from the linear model instead: "
        "`cap.ridge_layer(ridge, task)` is the fitted ridge as a frozen `Dense(24)`.",
        "Add a small ReLU branch to the frozen ridge: `layers.Add()([linear(flat), "
        'layers.Dense(24)(layers.Dense(32, activation="relu")(flat))])`. The branch learns '
        "only what the ridge gets wrong.",
    )
    solution_details = (
        "A linear shortcut plus a nonlinear correction: the network starts from the ridge "
        "regression and learns the residual; three seeds averaged remove most of the seed noise.",
    )
    solution_code = '''\
def build_model(window, n_features):
    """The frozen ridge plus a ReLU correction: (window, n_features) -> (24,)."""
    inputs = keras.Input(shape=(window, n_features))
    flat = layers.Flatten()(inputs)  # (window * n_features,)
    linear = cap.ridge_layer(ridge, task)(flat)  # (24,): the ridge, not trained
    hidden = layers.Dense(32, activation="relu")(flat)  # (32,)
    outputs = layers.Add()([linear, layers.Dense(24)(hidden)])  # (24,)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    return model'''

    def _check(self, build_model, epochs=3):
        if not isinstance(epochs, int) or not 1 <= epochs <= 30:
            raise Mistake(f"epochs must be a whole number from 1 to 30, got {epochs!r}.")
        task, _, ridge_rmse = reference()
        model = build_learner_model(build_model, task.window, n_features=task.n_features)
        check_shapes(model, task.window, task.n_features)
        check_compiled(model)
        check_nonlinear(model)
        trial = train_network(build_model, task, seeds=SEEDS, epochs=epochs, name="yours")
        mean, sd = trial.rmse("validation")
        ensemble = trial.ensemble("validation").rmse
        runs = ", ".join(f"{s.rmse:.2f}" for s in trial.scores("validation"))
        numbers = [
            f"Your network, seeds {list(SEEDS)}: {runs} (mean {mean:.2f} ± {sd:.2f} µg/m³); "
            f"the mean of their forecasts: {ensemble:.2f}.",
            f"Linear autoregression (ridge) on the same windows: {ridge_rmse:.2f} µg/m³.",
            "Validation: the 365 midnights of 2013, 24 hours ahead each, observed hours only.",
        ]
        if ensemble >= ridge_rmse - sd:
            raise Mistake(
                f"The mean forecast of your three networks ({ensemble:.2f}) does not beat the "
                f"linear autoregression ({ridge_rmse:.2f}) by more than the seeds' spread "
                f"({sd:.2f}).",
                *numbers,
                "Ask for a hint: where in the 24 hours does the network lose to the ridge?",
            )
        return Feedback(
            "correct",
            f"Your networks beat the linear autoregression on the validation year: {ensemble:.2f} "
            f"against {ridge_rmse:.2f} µg/m³ (single seeds {mean:.2f} ± {sd:.2f}).",
            numbers,
        )


beat_linear = BeatLinearExercise()

Lesson.adopt(__name__, 8)
