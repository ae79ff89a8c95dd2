"""Lesson 6: the subsequences, the births CNN-LSTM and its training, each checked both ways.

Task A passes windows cut into two blocks of consecutive days however they are cut, and names
blocks of the wrong length or in the wrong order, mixed days and missing axes; Task B passes a
sound CNN-LSTM of other sizes and names each shape mistake with its own message (no literal
quotes around it); Task C shares lesson 4's check and is tried on the CNN-LSTM's samples.
"""

import keras
import numpy as np
import pytest
from exercise_helpers import assert_says
from keras import layers
from sequence_helpers import run_solution, worked_builder, worked_training

import course_helpers as ch
from course_helpers import exercises as ex

CUT, BUILD, TRAINING = ex.lesson6.subsequences, ex.lesson6.build, ex.lesson6.training


@pytest.fixture(scope="module")
def task8():
    return ch.ForecastTask(8)  # (257, 8) windows: 2 blocks of 4 days


@pytest.mark.parametrize(
    "make",
    [
        lambda X: X.reshape(len(X), 2, 4, 1),
        lambda X: ch.to_subsequences(X, 2),
        lambda X: np.stack([X[:, :4], X[:, 4:]], axis=1)[..., np.newaxis],
    ],
    ids=["reshape", "ch", "stack"],
)
def test_subsequences_pass_however_they_are_cut(task8, make):
    assert_says(CUT.check(make(task8.X_train)), "correct", "(257, 2, 4, 1)", "oldest block first")


def test_the_worked_subsequences_pass(task8):
    namespace = run_solution(CUT, task=task8, n_seq=2, steps=4)
    assert_says(CUT.check(namespace["X_train"]), "correct")


@pytest.mark.parametrize(
    "make, fragments",
    [
        (lambda X: X, ["still the flat windows, (257, 8)"]),
        (lambda X: X[..., np.newaxis], ["(257, 8, 1): one sequence of 8 days"]),
        (lambda X: X.reshape(len(X), 2, 4), ["(257, 2, 4)", "feature axis is missing"]),
        (lambda X: X.reshape(len(X), 4, 2, 1), ["4 blocks of 2 days", "n_seq = 2"]),
        (lambda X: ch.to_subsequences(X, 4), ["4 blocks of 2 days"]),
        (lambda X: X.reshape(len(X), 2, 1, 4), ["one step with 4 features"]),
        (
            lambda X: X.reshape(len(X), 4, 2).transpose(0, 2, 1)[..., np.newaxis],
            ["every other day", "transpose"],
        ),
        (lambda X: X.reshape(len(X), 2, 4, 1)[:, ::-1], ["most recent block comes first"]),
        (lambda X: X.reshape(len(X), 2, 4, 1)[:, :, ::-1], ["inside each block", "backwards"]),
        (
            lambda X: X[:, ::-1].reshape(len(X), 2, 4, 1),
            ["Each window of `X_train` runs backwards"],
        ),
        (lambda X: X[:-3].reshape(-1, 2, 4, 1), ["only the first 254 of the 257"]),
    ],
    ids=[
        "flat",
        "one-sequence",
        "no-axis",
        "4x2",
        "n_seq-4",
        "1x4",
        "interleaved",
        "blocks-reversed",
        "days-reversed",
        "all-reversed",
        "early",
    ],  # fmt: skip
)
def test_each_cutting_mistake_is_named(task8, make, fragments):
    assert_says(CUT.check(make(task8.X_train)), "incorrect", *fragments)


def cnn_lstm(window, *, wrap=True, flatten=True, kernel=1, units=16):
    """A learner's CNN-LSTM, with knobs to change its sizes or break it."""
    conv = layers.Conv1D(16, kernel, activation="relu")
    stack = [keras.Input(shape=(2, window // 2, 1)), layers.TimeDistributed(conv) if wrap else conv]
    if flatten:
        stack.append(layers.TimeDistributed(layers.Flatten()))
    stack += [layers.LSTM(units), layers.Dense(1)]
    model = keras.Sequential(stack)
    model.compile(optimizer="adam", loss="mse")
    return model


@pytest.mark.parametrize(
    "build_model, fragments",
    [
        (lambda w: cnn_lstm(w, wrap=False), ["subsequences", "layers.TimeDistributed(Conv1D"]),
        (lambda w: cnn_lstm(w, flatten=False), ["TimeDistributed(layers.Flatten())"]),
        (worked_builder(5), ["(8, 1)", "(2, 4, 1)"]),
    ],
    ids=["no-time-distributed", "no-flatten", "plain-lstm"],
)
def test_each_model_mistake_is_named_without_quotes(build_model, fragments):
    feedback = BUILD.check(build_model)
    assert_says(feedback, "incorrect", *fragments)
    assert not feedback.title.startswith(('"', "'")) and not feedback.title.endswith(('"', "'"))


def test_the_missing_lstm_is_named_without_quotes():
    def build_model(window):
        model = keras.Sequential(
            [
                keras.Input(shape=(2, window // 2, 1)),
                layers.TimeDistributed(layers.Conv1D(16, 1, activation="relu")),
                layers.TimeDistributed(layers.Flatten()),
                layers.Flatten(),
                layers.Dense(16, activation="relu"),
                layers.Dense(1),
            ]
        )
        model.compile(optimizer="adam", loss="mse")
        return model

    feedback = BUILD.check(build_model)
    assert_says(feedback, "incorrect", "no LSTM layer")
    assert feedback.title.startswith("This model") and '"' not in feedback.title


def test_a_cnn_lstm_of_other_sizes_passes():
    feedback = BUILD.check(lambda w: cnn_lstm(w, kernel=2, units=8))  # no pooling, kernel 2
    assert_says(feedback, "correct", "Your CNN-LSTM beats persistence", "three seeds")


def test_the_worked_training_passes_on_a_fresh_seed_and_a_shuffled_split_is_named(task8):
    X = task8.X_train.reshape(-1, 2, 4, 1)
    worked = worked_training(6)
    model, history = worked["model"], worked["history"]
    feedback = TRAINING.check(model, history, worked["X_fit"], worked["X_val"])
    assert_says(feedback, "correct", "Early stopping", "No test day")
    order = np.random.default_rng(0).permutation(len(X))
    feedback = TRAINING.check(model, history, X[order][:-40], X[order][-40:])
    assert_says(feedback, "incorrect", "not the last ones in time order")
