"""Lesson 5: Keras's windows, the births LSTM and its training, each checked both ways.

Task A reads the dataset ``keras.utils.timeseries_dataset_from_array`` returns, as a learner
calls it, and names each way of calling it wrongly; Task B passes sound recurrent networks (a
GRU with its note) and names what is wrong; Task C shares lesson 4's check (tested there in
full) and is tried here on the LSTM's own windows.
"""

import keras
import numpy as np
import pytest
from exercise_helpers import assert_says
from keras import layers
from sequence_helpers import run_solution, worked_builder, worked_training

from course_helpers import exercises as ex
from course_helpers.exercises import ____

WINDOWS, BUILD, TRAINING = ex.lesson5.windows, ex.lesson5.build, ex.lesson5.training
cut = keras.utils.timeseries_dataset_from_array


@pytest.fixture(scope="module")
def values(task):
    return task.scaler.transform(task.train)  # (265,)


@pytest.mark.parametrize("batch_size", [None, 32, 1000], ids=["unbatched", "32", "one-batch"])
def test_the_right_dataset_passes_whatever_its_batches(values, batch_size):
    dataset = cut(values[:, np.newaxis], values[7:], sequence_length=7, batch_size=batch_size)
    feedback = WINDOWS.check(dataset)
    assert_says(feedback, "correct", "258 windows shaped (7, 1)", "from the training days only")


def test_the_worked_dataset_passes(task):
    namespace = run_solution(WINDOWS, task=task, config=ex.lesson5.windows.spec.defaults)
    assert_says(WINDOWS.check(namespace["dataset"]), "correct")


@pytest.mark.parametrize(
    "call, fragments",
    [
        (lambda v: cut(v, v[7:], 7, batch_size=300), ["still flat, (258, 7)", "one column"]),
        (lambda v: cut(v[:, None], v[6:], 7, batch_size=300), ["last day of its own window"]),
        (lambda v: cut(v[:, None], v[8:], 7, batch_size=300), ["two days after its window"]),
        (lambda v: cut(v[:-7, None], v[7:], 7, batch_size=300), ["only the first 252 of the 258"]),
        (
            lambda v: cut(v[:, None], v[7:], 7, batch_size=300, shuffle=True, seed=1),
            ["not in time order"],
        ),
        (lambda v: cut(v[:, None], None, 7, batch_size=300), ["no targets"]),
        (lambda v: cut(v[:, None], v[8:], 8, batch_size=300), ["(257, 8, 1)", "(258, 7, 1)"]),
        (lambda v: np.stack([v[i : i + 7] for i in range(258)]), ["Expected the dataset"]),
    ],
    ids=["flat", "overlap", "skip", "stops-early", "shuffled", "no-targets", "length-8", "array"],
)
def test_each_windowing_mistake_is_named(values, call, fragments):
    assert_says(WINDOWS.check(call(values)), "incorrect", *fragments)


def test_test_days_and_births_are_named(task):
    every = task.scaler.transform(task.series)
    dataset = cut(every[:, None], every[7:], sequence_length=7, batch_size=400)
    assert_says(WINDOWS.check(dataset), "incorrect", "goes on into the test days")
    births = task.train.to_numpy()
    dataset = cut(births[:, None], births[7:], sequence_length=7, batch_size=300)
    assert_says(WINDOWS.check(dataset), "incorrect", "in births")
    assert_says(WINDOWS.check(____), "not attempted")


def lstm(window, *, units=16, sequences=False, output=None, recurrent=layers.LSTM):
    """A learner's births LSTM, with knobs to change or break it."""
    model = keras.Sequential(
        [
            keras.Input(shape=(window, 1)),
            recurrent(units, return_sequences=sequences),
            layers.Dense(1, activation=output),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model


@pytest.mark.parametrize(
    "build_model, fragments",
    [
        (lambda w: lstm(w, sequences=True), ["(7, 1) per sample", "return_sequences=True"]),
        (lambda w: lstm(w, output="tanh"), ["from -1 to 1", "tanh"]),
        (lambda w: lstm(w, recurrent=layers.SimpleRNN), ["without gates", "layers.LSTM"]),
        (worked_builder(4), ["Conv1D", "no LSTM layer"]),
    ],
    ids=["sequence-into-dense", "tanh-output", "simple-rnn", "cnn"],
)
def test_each_model_mistake_is_named_before_training(build_model, fragments):
    feedback = BUILD.check(build_model)
    assert_says(feedback, "incorrect", *fragments)


@pytest.fixture(scope="module")
def windows(task):
    return task.X_train[:, :, np.newaxis], task.y_train


def test_the_worked_lstm_training_passes_on_a_fresh_seed_and_mistakes_are_named(windows):
    X, _ = windows
    worked = worked_training(5)
    model, history = worked["model"], worked["history"]
    feedback = TRAINING.check(model, history, worked["X_fit"], worked["X_val"])
    assert_says(feedback, "correct", "Early stopping", "No test day")
    assert_says(TRAINING.check(model, history, X, X[-40:]), "incorrect", "X_fit includes 40")
    feedback = TRAINING.check(model, history, X[:-40], X[-40:, ::-1])
    assert_says(feedback, "incorrect", "X_val is not windows", "X_lstm[-40:]")
