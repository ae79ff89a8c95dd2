"""Lesson 4: the feature axis, the births CNN and its training, each checked both ways.

Answers are written as a learner writes them. Task A passes the right windows however they are
made and names each shaping mistake; Task B passes sound CNNs whatever their sizes (the toy
example's among them) and names what is wrong before any training where it can; Task C passes a
``model.fit`` with a chronological validation tail and early stopping, and names each way of
getting that wrong. Naive forecasts in a network's clothing never pass.
"""

import keras
import numpy as np
import pytest
from exercise_helpers import assert_says
from keras import layers
from sequence_helpers import fit, run_solution, worked_builder, worked_training

import course_helpers as ch
from course_helpers import exercises as ex
from course_helpers.exercises import ____

AXIS, BUILD, TRAINING = ex.lesson4.feature_axis, ex.lesson4.build, ex.lesson4.training


@pytest.mark.parametrize(
    "make",
    [
        lambda X: X[:, :, np.newaxis],
        lambda X: X.reshape(len(X), 7, 1),
        lambda X: np.expand_dims(X, -1),
        ch.add_feature_axis,
        lambda X: X[..., None].tolist(),
    ],
    ids=["newaxis", "reshape", "expand_dims", "ch", "list"],
)
def test_the_feature_axis_passes_however_it_is_added(task, make):
    assert_says(AXIS.check(make(task.X_train)), "correct", "(258, 7, 1)", "in time order")


@pytest.mark.parametrize(
    "make, fragments",
    [
        (lambda X: X, ["still flat, (258, 7)", "add a last axis"]),
        (lambda X: X[:, np.newaxis, :], ["(258, 1, 7)", "one time step with 7 features"]),
        (lambda X: X.T[:, :, np.newaxis], ["(7, 258, 1)", "samples are on the second axis"]),
        (lambda X: X[:, ::-1, np.newaxis], ["days run backwards"]),
        (lambda X: X[::-1, :, np.newaxis], ["right samples, but not in time order"]),
        (lambda X: X[:-6, :, np.newaxis], ["only the first 252 of the 258"]),
        (lambda X: X.reshape(7, 258).T[:, :, np.newaxis], ["not the right values"]),
        (lambda X: X[:, :, np.newaxis, np.newaxis], ["(258, 7, 1, 1)"]),
        (lambda X: "X_train", ["text"]),
    ],
    ids=["flat", "swapped", "transposed", "reversed", "shuffled", "early", "mixed", "4d", "text"],
)
def test_each_shaping_mistake_is_named(task, make, fragments):
    assert_says(AXIS.check(make(task.X_train)), "incorrect", *fragments)


def test_windows_in_births_and_a_blank(task):
    births = task.scaler.inverse_transform(task.X_train)[:, :, np.newaxis]
    assert_says(AXIS.check(births), "incorrect", "in births, not in scaled units")
    assert_says(AXIS.check(____), "not attempted")


def test_the_worked_feature_axis_passes(task):
    assert_says(AXIS.check(run_solution(AXIS, task=task)["X_train"]), "correct")


def cnn(window, *, filters=16, units=16, output="linear", pooling=True, trainable=True):
    """A learner's births CNN, with knobs to change its sizes or break it."""
    stack = [keras.Input(shape=(window, 1)), layers.Conv1D(filters, 2, activation="relu")]
    if pooling:
        stack.append(layers.MaxPooling1D(2, padding="same"))
    stack += [
        layers.Flatten(),
        layers.Dense(units, activation="relu"),
        layers.Dense(1, activation=output),
    ]
    model = keras.Sequential(stack)
    model.trainable = trainable
    model.compile(optimizer="adam", loss="mse")
    return model


def test_a_cnn_of_the_toy_examples_sizes_passes():
    def build_model(window):
        return cnn(window, filters=64, units=50)  # the toy example's 64 filters and 50 units

    feedback = BUILD.check(build_model)
    assert_says(feedback, "correct", "Your 1D CNN beats persistence", "three seeds")
    assert_says(feedback, "correct", "For information: the lesson's default model")


def mean_beside_an_unused_conv(window):
    """The 7-day mean in a Lambda, with a Conv1D branch computed beside it and never used."""
    inputs = keras.Input(shape=(window, 1))
    branch = layers.Dense(1)(layers.Flatten()(layers.Conv1D(8, 2, activation="relu")(inputs)))
    mean = layers.Lambda(lambda t: keras.ops.mean(t[:, -7:, 0], axis=1, keepdims=True))(inputs)
    outputs = layers.Add()([mean, layers.Lambda(lambda t: 0.0 * t)(branch)])
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    return model


def conv_to_dense_without_flatten(window):
    model = keras.Sequential(
        [keras.Input(shape=(window, 1)), layers.Conv1D(16, 2, activation="relu"), layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    return model


@pytest.mark.parametrize(
    "build_model, fragments",
    [
        (lambda w: cnn(w, output="sigmoid"), ["from 0 to 1", "sigmoid", "no activation"]),
        (lambda w: cnn(w, trainable=False), ["Nothing in this model is trainable", "frozen"]),
        (mean_beside_an_unused_conv, ["Conv1D layer", "does not reach the forecast"]),
        (conv_to_dense_without_flatten, ["layers.Flatten()", "(6, 1)"]),
        (lambda w: cnn(7), ["window of 14", "Use the `window` argument"]),
        (lambda w: cnn(w)(np.zeros((1, w, 1))), ["returned"]),
        (worked_builder(3), ["(7,)", "keras.Input(shape=(window, 1))"]),
    ],
    ids=["sigmoid", "frozen", "unused-conv", "no-flatten", "fixed-window", "not-a-model", "mlp"],
)
def test_each_model_mistake_is_named_before_training(build_model, fragments):
    feedback = BUILD.check(build_model)
    assert_says(feedback, "incorrect", *fragments)
    assert "could not read" not in feedback.message


def test_a_model_instead_of_the_function_and_an_lstm_are_named():
    assert_says(BUILD.check(cnn(7)), "incorrect", "This is a model")
    lstm = worked_builder(5)
    assert_says(BUILD.check(lstm), "incorrect", "LSTM layers; lesson 4's model is a CNN")


@pytest.fixture(scope="module")
def windows(task):
    """Task A's windows and the split of Task C: fit on all but the last 40, validate on those."""
    X = task.X_train[:, :, np.newaxis]
    return X, task.y_train


@pytest.fixture(scope="module")
def worked():
    """The notebook after the worked Task C ran on a fresh seed (Task A's windows, Task B's CNN)."""
    return worked_training(4)


@pytest.fixture(scope="module")
def trained(worked):
    return worked["model"], worked["history"]


def test_the_worked_training_passes_on_a_fresh_seed(windows, worked, trained):
    X, _ = windows
    assert np.array_equal(worked["X_fit"], X[:-40]) and np.array_equal(worked["X_val"], X[-40:])
    feedback = TRAINING.check(*trained, worked["X_fit"], worked["X_val"])
    assert_says(feedback, "correct", "Early stopping ended training", "No test day")


@pytest.mark.parametrize(
    "fitting, validating, fragments",
    [
        (slice(None), slice(-40, None), ["X_fit includes 40 of the validation windows"]),
        (slice(40, None), slice(None, 40), ["not the last ones in time order"]),
        (slice(None, -40), slice(-120, None), ["X_val has shape (120, 7, 1)"]),
        (slice(20, -40), slice(-40, None), ["X_fit is not the first windows"]),
    ],
    ids=["val-fitted", "val-first", "val-too-long", "fit-from-later"],
)
def test_windows_that_are_not_a_chronological_split_are_named(
    windows, trained, fitting, validating, fragments
):
    X, _ = windows
    assert_says(TRAINING.check(*trained, X[fitting], X[validating]), "incorrect", *fragments)


def test_validation_on_test_days_and_flat_windows_are_named(task, windows, trained):
    X, _ = windows
    days = task.scaler.transform(task.series)
    test_windows = np.stack([days[t - 7 : t] for t in range(300, 340)])[:, :, np.newaxis]
    assert_says(TRAINING.check(*trained, X[:-40], test_windows), "incorrect", "test days")
    assert_says(TRAINING.check(*trained, X[:-40], X[-40:, :, 0]), "incorrect", "(40, 7)")


def test_training_without_stopping_or_restoring_or_validation_is_named(windows):
    X, y = windows
    split = X[:-40], y[:-40], X[-40:], y[-40:]
    build = worked_builder(4)
    no_stop = fit(build, 7, *split, epochs=4, stop=False)
    assert_says(TRAINING.check(*no_stop, X[:-40], X[-40:]), "incorrect", "ran all 4 epochs")
    last = fit(build, 7, *split, patience=2, restore=False)
    feedback = TRAINING.check(*last, X[:-40], X[-40:])
    assert_says(feedback, "incorrect", "last epoch", "restore_best_weights=True")
    blind = fit(build, 7, X[:-40], y[:-40], None, None, epochs=2, stop=False)
    assert_says(TRAINING.check(*blind, X[:-40], X[-40:]), "incorrect", "no `val_loss`")
    assert_says(TRAINING.check(blind[0], "history", X, X), "incorrect", "History")
