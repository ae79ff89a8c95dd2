"""Lessons 4-7: the architecture checks pass each worked solution and sound variants, and name
each mistake.

A worked solution is run as a learner would and judged over three seeds on the validation days;
so are two Conv1D layers and a GRU (which passes with a note). The mistakes need no training:
the check stops at the first missing layer or wrong shape.
"""

import keras
import pytest
from exercise_helpers import assert_says
from keras import layers

from course_helpers import exercises as ex
from course_helpers.exercises import ____


def solution_builder(lesson):
    namespace = {"keras": keras, "layers": layers}
    exec(ex.lesson(lesson).build.solution_code, namespace)
    return namespace["build_model"]


def compiled(*stack):
    model = keras.Sequential(list(stack))
    model.compile(optimizer="adam", loss="mse")
    return model


@pytest.mark.parametrize("lesson", [4, 5, 6, 7])
def test_worked_solution_passes_over_three_seeds(lesson):
    feedback = ex.lesson(lesson).build.check(solution_builder(lesson))
    assert_says(feedback, "correct", "over three seeds", "default", "persistence")
    if lesson == 7:  # every horizon, beside the naive forecasts of the same horizon
        assert_says(feedback, "correct", "1 day ahead", "2 days ahead", "3 days ahead")


def mlp(window):
    return compiled(keras.Input((window,)), layers.Dense(8, activation="relu"), layers.Dense(1))


def dense_on_days(window):
    return compiled(keras.Input((window, 1)), layers.Flatten(), layers.Dense(8), layers.Dense(1))


def cnn_without_pooling(window):
    return compiled(
        keras.Input((window, 1)), layers.Conv1D(4, 2), layers.Flatten(), layers.Dense(1)
    )


def cnn_lstm_flat(window):
    return compiled(
        keras.Input((2, window // 2, 1)),
        layers.TimeDistributed(layers.Flatten()),
        layers.LSTM(4),
        layers.Dense(1),
    )


def one_lstm_decoder(window):
    return compiled(
        keras.Input((window, 1)),
        layers.LSTM(4),
        layers.RepeatVector(3),
        layers.TimeDistributed(layers.Dense(1)),
    )


def encoder_decoder_one_day(window):
    return compiled(keras.Input((window, 1)), layers.LSTM(4), layers.Dense(1))


def no_repeat(window):
    return compiled(
        keras.Input((window, 1)),
        layers.LSTM(4, return_sequences=True),
        layers.LSTM(4, return_sequences=True),
        layers.TimeDistributed(layers.Dense(1)),
    )


@pytest.mark.parametrize(
    "lesson, build, fragments",
    [
        (4, mlp, ["(7,)", "(7, 1)", "keras.Input(shape=(window, 1))"]),
        (4, dense_on_days, ["no Conv1D layer"]),
        (4, cnn_without_pooling, ["linear function of its window", 'activation="relu"']),
        (5, mlp, ["windows are (7, 1)"]),
        (5, dense_on_days, ["no LSTM layer", "Its layers: Flatten, Dense, Dense"]),
        (6, solution_builder(5), ["(8, 1)", "(2, 4, 1)", "to_subsequences"]),
        (6, cnn_lstm_flat, ["no convolution applied to each subsequence"]),
        (7, one_lstm_decoder, ["two LSTM layers"]),
        (7, encoder_decoder_one_day, ["two LSTM layers", "Its layers: LSTM, Dense"]),
        (7, no_repeat, ["RepeatVector"]),
        (7, lambda w: solution_builder(7)(w).__class__, ["returned"]),
    ],
)
def test_each_mistake_is_named(lesson, build, fragments):
    assert_says(ex.lesson(lesson).build.check(build), "incorrect", *fragments)


def test_the_output_must_cover_every_forecast_day():
    def two_days(window):
        return compiled(
            keras.Input((window, 1)),
            layers.LSTM(4),
            layers.RepeatVector(2),
            layers.LSTM(4, return_sequences=True),
            layers.TimeDistributed(layers.Dense(1)),
        )

    assert_says(ex.lesson7.build.check(two_days), "incorrect", "(2, 1)", "forecasts 3 days")


def test_blanks_and_junk_get_feedback_not_a_traceback():
    for lesson in (4, 5, 6, 7):
        task = ex.lesson(lesson).build
        assert_says(task.check(lambda window: ____), "not attempted")
        assert_says(task.check(____), "not attempted")
        assert_says(task.check("build_model"), "incorrect", "Expected a function")
        assert_says(task.check(lambda window: 1 / 0), "incorrect", "ZeroDivisionError")


def test_two_conv_layers_pass():
    build = lambda w: compiled(  # noqa: E731
        keras.Input((w, 1)),
        layers.Conv1D(16, 2, activation="relu"),
        layers.Conv1D(16, 2, activation="relu"),
        layers.Flatten(),
        layers.Dense(1),
    )
    assert_says(ex.lesson4.build.check(build), "correct", "beats persistence", "three seeds")


def test_a_gru_passes_with_a_note_on_why():
    feedback = ex.lesson5.build.check(
        lambda w: compiled(keras.Input((w, 1)), layers.GRU(16), layers.Dense(1))
    )
    assert_says(feedback, "correct", "A note on the GRU", "gated recurrent layer", "layers.LSTM")
