"""Lesson 7: multi-step targets, the encoder-decoder, its training and the scores by horizon,
each checked both ways.

Task A names targets that overlap the window, skip a day, run backwards or outnumber the
windows; Task B passes a decoder followed directly by ``Dense(1)`` (applied per step in Keras 3),
says what its headline averages, and names a decoder without ``return_sequences`` and a naive
forecast beside an unused LSTM; Task C asks for the gap between fitting and validation windows;
Task D names one number for all horizons, forecasts scored on the wrong day, naive forecasts that
read days after the origin and squared errors.
"""

import keras
import numpy as np
import pandas as pd
import pytest
from exercise_helpers import assert_says
from keras import layers
from sequence_helpers import run_solution, worked_builder, worked_training

import course_helpers as ch
from course_helpers import exercises as ex
from course_helpers.exercises import ____

TARGETS, BUILD, TRAINING, HORIZONS = (
    ex.lesson7.targets,
    ex.lesson7.build,
    ex.lesson7.training,
    ex.lesson7.horizons,
)


@pytest.fixture(scope="module")
def values(task):
    return task.scaler.transform(task.train)  # (265,)


@pytest.fixture(scope="module")
def pairs(values):
    X, Y = ch.make_windows(values, 7, 3)  # (256, 7), (256, 3)
    return X[:, :, np.newaxis], Y


def following(values, start, rows):
    """Row i: the 3 days from ``start + i``."""
    return np.stack([values[start + i : start + i + 3] for i in range(rows)])


def test_the_windows_and_targets_pass_with_or_without_a_last_axis(task, values, pairs):
    X, Y = pairs
    assert_says(TARGETS.check(X, Y), "correct", "(256, 7, 1)", "3 days after each window")
    assert_says(TARGETS.check(X, Y[:, :, np.newaxis]), "correct")
    namespace = run_solution(TARGETS, values=values, config=TARGETS.spec.defaults, horizon=3)
    assert_says(TARGETS.check(namespace["X_train"], namespace["Y_train"]), "correct")


@pytest.mark.parametrize(
    "make, fragments",
    [
        (lambda v, X, Y: (X, following(v, 6, 256)), ["starts on the last day of its own window"]),
        (lambda v, X, Y: (X[:255], following(v, 8, 255)), ["starts two days after its window"]),
        (lambda v, X, Y: (X, Y[:, ::-1]), ["days ahead backwards"]),
        (lambda v, X, Y: (X, np.repeat(Y[:, :1], 3, axis=1)), ["repeats the day after"]),
        (lambda v, X, Y: (X, Y[:, 0]), ["one target per window", "3 days at once"]),
        (lambda v, X, Y: (X[:, :, 0], Y), ["still flat, (256, 7)"]),
        (lambda v, X, Y: (np.pad(X, ((0, 2), (0, 0), (0, 0))), Y), ["258 windows", "256 rows"]),
        (lambda v, X, Y: (X, Y[:, np.newaxis, :]), ["(256, 1, 3)"]),
    ],
    ids=["overlap", "skip", "reversed", "repeated", "one-day", "flat", "258-windows", "swapped"],
)
def test_each_target_mistake_is_named(values, pairs, make, fragments):
    feedback = TARGETS.check(*make(values, *pairs))
    assert_says(feedback, "incorrect", *fragments)


def test_targets_in_births_and_a_blank(task, pairs):
    X, Y = pairs
    assert_says(TARGETS.check(X, task.scaler.inverse_transform(Y)), "incorrect", "in births")
    assert_says(TARGETS.check(X, ____), "not attempted")


def encoder_decoder(window, *, sequences=True, head=None):
    """A learner's encoder-decoder; ``head`` is the layer after the decoder."""
    model = keras.Sequential(
        [
            keras.Input(shape=(window, 1)),
            layers.LSTM(16),
            layers.RepeatVector(3),
            layers.LSTM(16, return_sequences=sequences),
            head or layers.TimeDistributed(layers.Dense(1)),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model


def test_dense_directly_after_the_decoder_passes_and_the_headline_says_what_it_averages():
    feedback = BUILD.check(lambda w: encoder_decoder(w, head=layers.Dense(1)))
    assert_says(feedback, "correct", "beats persistence", "all 3 days ahead")
    assert_says(feedback, "correct", "1 day ahead alone, the number the explorer shows")
    assert_says(feedback, "correct", "1 day ahead: yours", "3 days ahead: yours")


def mean_beside_an_unused_lstm(window):
    """The 7-day mean repeated for 3 days, with an encoder-decoder branch multiplied away."""
    inputs = keras.Input(shape=(window, 1))
    branch = layers.LSTM(8, return_sequences=True)(layers.RepeatVector(3)(layers.LSTM(8)(inputs)))
    branch = layers.TimeDistributed(layers.Dense(1))(branch)  # (3, 1)
    mean = layers.Lambda(lambda t: keras.ops.mean(t[:, -7:], axis=1, keepdims=True))(inputs)
    repeated = layers.Lambda(lambda t: keras.ops.repeat(t, 3, axis=1))(mean)  # (3, 1)
    outputs = layers.Add()([repeated, layers.Lambda(lambda t: 0.0 * t)(branch)])
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    return model


@pytest.mark.parametrize(
    "build_model, fragments",
    [
        (lambda w: encoder_decoder(w, sequences=False), ["return_sequences=True"]),
        (
            lambda w: encoder_decoder(w, sequences=False, head=layers.Dense(1)),
            ["decoder returns only its last state"],
        ),
        (mean_beside_an_unused_lstm, ["LSTM layer", "does not reach the forecast"]),
        (worked_builder(5), ["two LSTM layers"]),
    ],
    ids=["decoder-last-state", "decoder-last-state-dense", "naive-beside-lstm", "one-day-lstm"],
)
def test_each_model_mistake_is_named(build_model, fragments):
    assert_says(BUILD.check(build_model), "incorrect", *fragments)


@pytest.fixture(scope="module")
def worked():
    """The notebook after the worked Task C ran on a fresh seed, with the 2-window gap."""
    return worked_training(7)


def test_the_worked_training_passes_on_a_fresh_seed_and_without_the_gap_is_named(pairs, worked):
    X, _ = pairs
    trained = worked["model"], worked["history"]
    feedback = TRAINING.check(*trained, worked["X_fit"], worked["X_val"])
    assert_says(feedback, "correct", "Early stopping", "over the 3 days ahead")
    feedback = TRAINING.check(*trained, X[:-40], X[-40:])
    assert_says(feedback, "incorrect", "last 2 fitting windows have targets", "X_ed[:-42]")


@pytest.fixture(scope="module")
def paths(task):
    """The default encoder-decoder's paths from every origin that reaches the test days."""
    run = ch.train_and_evaluate("encoder_decoder", seed=0)
    every = task.scaler.transform(task.series)
    starts = np.arange(len(every) - 102, len(every))
    windows = np.stack([every[s - 7 : s] for s in starts])[:, :, np.newaxis]
    scaled = np.asarray(run.model(windows, training=False)).reshape(len(starts), 3)
    table = pd.DataFrame(task.scaler.inverse_transform(scaled), index=task.series.index[starts])
    table.columns = [1, 2, 3]
    return table, run.result.per_horizon


def test_the_worked_scores_pass_and_equal_the_packages(task, paths):
    table, per_horizon = paths
    names = {"paths": table, "task": task, "test_days": task.test.index, "horizon": 3}
    namespace = run_solution(HORIZONS, **names)
    scores = [namespace[n] for n in ("model_rmse", "persistence_rmse", "average_rmse")]
    assert_says(HORIZONS.check(*scores, table), "correct", "1 day ahead: model")
    np.testing.assert_allclose(scores[0], per_horizon["rmse"], atol=1e-9)
    np.testing.assert_allclose(scores[2], per_horizon["moving_average_rmse"], atol=1e-9)


def table_forecasts(table, days):
    """Every horizon's forecasts of the test days, one horizon after the other."""
    return np.concatenate([table[h].shift(h - 1).loc[days] for h in (1, 2, 3)])


def naive(task, shift, *, rolling=False):
    """RMSE of the value (or the 7-day mean ending) ``shift`` days before each test day."""
    series = task.series.rolling(7).mean() if rolling else task.series
    return ch.rmse(task.test, series.shift(shift).loc[task.test.index])


def test_each_scoring_mistake_is_named(task, paths):
    table, per_horizon = paths
    right = [list(per_horizon[c]) for c in ("rmse", "persistence_rmse", "moving_average_rmse")]
    days = task.test.index
    wrong = {
        "one number": (np.mean(right[0]), right[1], right[2]),
        "overall": (ch.rmse(np.tile(task.test, 3), table_forecasts(table, days)), *right[1:]),
        "first day": ([ch.rmse(task.test, table[h].loc[days]) for h in (1, 2, 3)], *right[1:]),
        "late persistence": (right[0], [naive(task, 1)] * 3, right[2]),
        "late average": (right[0], right[1], [naive(task, 1, rolling=True)] * 3),
        "with the day": (right[0], right[1], [naive(task, 0, rolling=True)] * 3),
        "squared": (np.square(right[0]), *right[1:]),
        "backwards": (right[0][::-1], *right[1:]),
    }
    expected = {
        "one number": "the mean of the horizons' RMSEs",
        "overall": "RMSE over all horizons at once",
        "first day": "against the path's first day",
        "late persistence": "day before each test day",
        "late average": "reads days after the origin",
        "with the day": "include the day being forecast",
        "squared": "squared errors (MSE)",
        "backwards": "horizons backwards",
    }
    for name, scores in wrong.items():
        assert_says(HORIZONS.check(*scores, table), "incorrect", expected[name])
    assert_says(HORIZONS.check(____, *right[1:], table), "not attempted")
