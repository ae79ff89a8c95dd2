"""A learner's network judged by what it does (behaviour.py, networks.py), both ways.

Mistakes that show before training (nothing trainable, a bounded output, a forecast that ignores
the window or a lesson layer, a linear model) are named without training. Sound MLPs of other
sizes train over three seeds and pass; other nonlinearities pass every step before training;
a diverged fit and a network that does not beat persistence on every seed are named. (Sound
variants of lessons 4-7 train in ``test_exercises_architecture.py``, beside the worked answers
whose default validation they share.)
"""

from functools import partial

import keras
import numpy as np
import pandas as pd
import pytest
from exercise_helpers import assert_says
from keras import layers

from course_helpers import exercises as ex
from course_helpers.exercises import Mistake
from course_helpers.exercises.behaviour import (
    check_layers_matter,
    check_nonlinear,
    check_not_naive,
    check_unbounded_output,
)
from course_helpers.validation import Validation


def compiled(*stack, lr=1e-3):
    """A learner's Sequential model, compiled as the lessons ask."""
    model = keras.Sequential(list(stack))
    model.compile(optimizer=keras.optimizers.Adam(lr), loss="mse")
    return model


DENSE1 = partial(layers.Dense, 1)


def mlp(*hidden, output=DENSE1, lr=1e-3):
    """``build_model`` for lesson 3: Input, new hidden layers, and Dense(1) (or ``output``).

    ``hidden`` and ``output`` make layers (``partial(layers.Dense, 16)``): each build gets its own.
    """
    return lambda w: compiled(keras.Input((w,)), *(h() for h in hidden), output(), lr=lr)


def frozen(window):
    model = keras.Sequential(
        [keras.Input((window,)), layers.Dense(16, activation="relu"), layers.Dense(1)]
    )
    model.trainable = False
    model.compile(optimizer="adam", loss="mse")
    return model


def mean_of_window(window):
    """A Lambda that averages the window: no weight anywhere."""
    inputs = keras.Input((window,))
    mean = layers.Lambda(lambda t: keras.ops.mean(t, axis=1, keepdims=True))(inputs)
    model = keras.Model(inputs, mean)
    model.compile(optimizer="adam", loss="mse")
    return model


def conv_multiplied_away(window):
    """The 7-day mean, plus a Conv1D branch multiplied by zero."""
    inputs = keras.Input((window, 1))
    conv = layers.Conv1D(8, 2, activation="relu")(inputs)
    branch = layers.Dense(1)(layers.Flatten()(conv))
    mean = layers.Lambda(lambda t: keras.ops.mean(t[:, :, 0], axis=1, keepdims=True))(inputs)
    outputs = layers.Add()([mean, layers.Lambda(lambda t: 0.0 * t)(branch)])
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    return model


def lstm_next_to_a_dense_path(window):
    """An LSTM whose output is multiplied away; a Dense layer on the window does the work."""
    inputs = keras.Input((window, 1))
    lstm = layers.LSTM(8)(inputs)
    dense = layers.Dense(8, activation="relu")(layers.Flatten()(inputs))
    both = layers.Concatenate()([layers.Lambda(lambda t: 0.0 * t)(lstm), dense])
    model = keras.Model(inputs, layers.Dense(1)(both))
    model.compile(optimizer="adam", loss="mse")
    return model


RELU16 = partial(layers.Dense, 16, activation="relu")


@pytest.mark.parametrize(
    "lesson, build, fragments",
    [
        (3, frozen, ["Nothing in this model is trainable", "frozen"]),
        (3, mean_of_window, ["Nothing in this model is trainable", "Lambda"]),
        (
            3,
            mlp(RELU16, output=partial(layers.Dense, 1, activation="sigmoid")),
            ["from 0 to 1", "sigmoid"],
        ),
        (
            3,
            mlp(RELU16, output=partial(layers.Dense, 1, activation="relu")),
            ["of at least 0 in scaled units, that is at least 41.1 births", "relu"],
        ),
        (3, mlp(RELU16, output=partial(layers.Dense, 1, activation="softplus")), ["softplus"]),
        (
            3,
            mlp(RELU16, partial(layers.Dense, 1), output=partial(layers.Activation, "tanh")),
            ["Activation"],
        ),
        (3, mlp(RELU16, partial(layers.Dense, 1), output=partial(layers.ReLU)), ["ReLU"]),
        (5, lambda w: compiled(keras.Input((w, 1)), layers.LSTM(1)), ["from -1 to 1"]),
        (
            3,
            mlp(partial(layers.Dense, 16), partial(layers.Dense, 8)),
            ["linear function of its window"],
        ),
        (
            3,
            mlp(partial(layers.Lambda, lambda t: 0 * t), RELU16),
            ["does not depend on the window"],
        ),
        (4, conv_multiplied_away, ["Conv1D layer", "does not reach the forecast"]),
        (5, lstm_next_to_a_dense_path, ["LSTM layer", "does not reach the forecast"]),
    ],
)
def test_a_mistake_seen_before_training_is_named(lesson, build, fragments):
    feedback = ex.lesson(lesson).build.check(build)
    assert_says(feedback, "incorrect", *fragments)
    assert "could not read" not in feedback.message


def test_a_bounded_output_is_told_in_births_and_how_many_days_it_misses():
    feedback = ex.lesson3.build.check(
        mlp(RELU16, output=partial(layers.Dense, 1, activation="sigmoid"))
    )
    assert_says(
        feedback,
        "incorrect",
        "from 0 to 1 in scaled units, that is 41.1 to 48.3 births",
        "of the training days lie outside",
    )
    assert_says(feedback, "incorrect", "`layers.Dense(1)`, no activation")


@pytest.mark.parametrize(
    "lesson, build",
    [
        (3, mlp(partial(layers.Dense, 100, activation="relu"))),  # the toy example's size
        (
            3,
            mlp(
                partial(layers.Dense, 32, activation="elu"),
                partial(layers.Dropout, 0.1),
                partial(layers.Dense, 8),
            ),
        ),  # fmt: skip
    ],
    ids=["mlp-100", "mlp-elu-dropout-two-layers"],
)
def test_a_sound_variant_of_the_family_passes(lesson, build):
    feedback = ex.lesson(lesson).build.check(build)
    assert_says(feedback, "correct", "beats persistence on the validation days", "three seeds")
    assert_says(feedback, "correct", "For information: the lesson's default model")


@pytest.mark.parametrize(
    "hidden",
    [
        [partial(layers.Dense, 16), partial(layers.LeakyReLU, 0.1)],
        [partial(layers.Dense, 16), partial(layers.PReLU)],
        [partial(layers.Dense, 16, activation="softplus")],
        [partial(layers.Dense, 16, activation="mish")],
        [partial(layers.Dense, 16, activation="tanh")],
    ],
    ids=["LeakyReLU", "PReLU", "softplus", "mish", "tanh"],
)
def test_any_nonlinearity_counts_and_only_the_output_is_judged_for_bounds(hidden):
    """These MLPs pass every check before training; training is the same as for ReLU's."""
    model = mlp(*hidden)(7)
    X = np.random.default_rng(0).normal(size=(64, 7)).astype("float32")
    check_nonlinear(model, X)
    check_unbounded_output(model, np.linspace(-3, 5, 50))
    check_layers_matter(model, X, [model.layers[0]], "hidden Dense")


def test_stacked_lstms_pass_what_is_judged_before_training():
    build = lambda w: compiled(  # noqa: E731
        keras.Input((w, 1)), layers.LSTM(8, return_sequences=True), layers.LSTM(8), layers.Dense(1)
    )
    model = ex.lesson5.build._read(build, 7)
    ex.lesson5.build._check_probes(model)


def test_a_simple_rnn_is_refused_with_the_reason():
    feedback = ex.lesson5.build.check(
        lambda w: compiled(keras.Input((w, 1)), layers.SimpleRNN(16), layers.Dense(1))
    )
    assert_says(feedback, "incorrect", "without gates", "use `layers.LSTM`")


def test_a_diverged_fit_is_named():
    feedback = ex.lesson3.build.check(mlp(RELU16, lr=1e4))
    assert_says(feedback, "incorrect", "Training diverged", "learning rate")


def test_a_network_that_loses_to_persistence_on_a_seed_is_refused():
    feedback = ex.lesson3.build.check(mlp(RELU16, lr=1e-6))  # it barely moves from its start
    assert_says(feedback, "incorrect", "With seed 0 your model does no better than persistence")
    assert_says(feedback, "incorrect", "For information")


def fake_validation(forecasts, series):
    """A Validation of the last 40 training days with the given forecasts (one per seed)."""
    days = np.arange(225, 265)
    values = series.to_numpy(dtype=float)
    mean = np.full(len(days), values[:225].mean())
    return Validation(
        np.asarray(forecasts), values[days], series.index[days], {}, [0, 1], {"training mean": mean}
    )


def test_forecasts_equal_to_a_naive_forecast_are_named(births):
    days = np.arange(225, 265)
    values = births.to_numpy(dtype=float)
    ma7 = np.array([values[d - 7 : d].mean() for d in days])
    for naive, name in [(ma7, "7-day moving average"), (values[days - 1], "persistence")]:
        with pytest.raises(Mistake, match=name):
            check_not_naive(fake_validation([naive, naive + 1e-3], births), births)
    mean = np.full(len(days), values[:225].mean())
    with pytest.raises(Mistake, match="training mean"):
        check_not_naive(fake_validation([mean, mean], births), births)
    check_not_naive(fake_validation([ma7, ma7 + 0.5], births), births)  # one seed differs: fine
    assert isinstance(births, pd.Series)
