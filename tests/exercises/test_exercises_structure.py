"""Shape mistakes in a learner's network, each named, never a raw Keras error (structure.py).

Every model here is written the way a learner writes one: a ``build_model(window)`` that stacks
Keras layers and compiles. Each mistake is found before any training, so these tests are quick.
"""

import keras
import pytest
from exercise_helpers import assert_says
from keras import layers

from course_helpers import exercises as ex


def builder(*stack, functional=False):
    """A learner's ``build_model``: ``stack(window)`` gives the layers after ``keras.Input``."""

    def build_model(window):
        first, *rest = stack[0](window)
        if functional:
            inputs = first
            x = inputs
            for layer in rest:
                x = layer(x)
            model = keras.Model(inputs, x)
        else:
            model = keras.Sequential([first, *rest])
        model.compile(optimizer="adam", loss="mse")
        return model

    return build_model


def check(lesson, *stack, functional=False):
    return ex.lesson(lesson).build.check(builder(*stack, functional=functional))


FLAT_CONV = lambda w: [keras.Input((w,)), layers.Conv1D(16, 2), layers.Flatten(), layers.Dense(1)]  # noqa: E731
FLAT_LSTM = lambda w: [keras.Input((w,)), layers.LSTM(16), layers.Dense(1)]  # noqa: E731


@pytest.mark.parametrize("functional", [False, True], ids=["Sequential", "functional"])
@pytest.mark.parametrize("lesson, stack, name", [(4, FLAT_CONV, "Conv1D"), (5, FLAT_LSTM, "LSTM")])
def test_a_flat_input_to_conv1d_or_lstm(lesson, stack, name, functional):
    feedback = check(lesson, stack, functional=functional)
    assert_says(
        feedback,
        "incorrect",
        "input is flat, (7,) per sample",
        f"{name} reads each sample as a sequence",
        "keras.Input(shape=(window, 1))",
    )
    assert "ndim" not in feedback.message and "Traceback" not in feedback.message


def test_a_missing_time_distributed():
    feedback = check(
        6,
        lambda w: [
            keras.Input((2, w // 2, 1)),
            layers.Conv1D(16, 1, activation="relu"),
            layers.Flatten(),
            layers.LSTM(16),
            layers.Dense(1),
        ],
    )
    assert_says(feedback, "incorrect", "2 subsequences of 4 steps", "layers.TimeDistributed(Conv1D")


def test_a_missing_time_distributed_flatten():
    feedback = check(
        6,
        lambda w: [
            keras.Input((2, w // 2, 1)),
            layers.TimeDistributed(layers.Conv1D(16, 1, activation="relu")),
            layers.LSTM(16),
            layers.Dense(1),
        ],
    )
    assert_says(
        feedback, "incorrect", "still a table of 4 steps", "TimeDistributed(layers.Flatten())"
    )


def test_subsequences_expected_but_one_sequence_given():
    feedback = check(
        6,
        lambda w: [
            keras.Input((w, 1)),
            layers.TimeDistributed(layers.Conv1D(16, 1)),
            layers.LSTM(4),
            layers.Dense(1),
        ],
    )
    assert_says(feedback, "incorrect", "one sequence, not several subsequences")


@pytest.mark.parametrize(
    "head, fragment",
    [
        (lambda: layers.TimeDistributed(layers.Dense(1)), "decoder LSTM returns only its last"),
        (lambda: layers.Dense(3), "decoder returns only its last state"),
    ],
    ids=["TimeDistributed(Dense(1))", "Dense(3)"],
)
def test_a_decoder_without_return_sequences(head, fragment):
    feedback = check(
        7,
        lambda w: [
            keras.Input((w, 1)),
            layers.LSTM(16),
            layers.RepeatVector(3),
            layers.LSTM(16),
            head(),
        ],
    )
    assert_says(feedback, "incorrect", fragment, "return_sequences=True")


def test_an_encoder_decoder_without_repeat_vector():
    feedback = check(
        7,
        lambda w: [
            keras.Input((w, 1)),
            layers.LSTM(8),
            layers.LSTM(8, return_sequences=True),
            layers.Dense(1),
        ],
    )
    assert_says(feedback, "incorrect", "returns only its last state", "RepeatVector(horizon)")


@pytest.mark.parametrize("lesson", [5, 6])
def test_a_sequence_output_feeding_the_dense_head(lesson):
    head = [layers.LSTM(16, return_sequences=True), layers.Dense(1)]
    if lesson == 5:
        stack = lambda w: [keras.Input((w, 1)), *head]  # noqa: E731
    else:
        stack = lambda w: [  # noqa: E731
            keras.Input((2, w // 2, 1)),
            layers.TimeDistributed(layers.Conv1D(8, 1, activation="relu")),
            layers.TimeDistributed(layers.Flatten()),
            *head,
        ]
    feedback = check(lesson, stack)
    assert_says(
        feedback, "incorrect", "returns a state for each of", "leave out `return_sequences=True`"
    )
    assert "end with `layers.Dense(1)`" not in feedback.message


def test_a_missing_flatten():
    feedback = check(
        4,
        lambda w: [
            keras.Input((w, 1)),
            layers.Conv1D(16, 2, activation="relu"),
            layers.MaxPooling1D(2, padding="same"),
            layers.Dense(16, activation="relu"),
            layers.Dense(1),
        ],
    )
    assert_says(
        feedback, "incorrect", "outputs (3, 1) per sample", "after MaxPooling1D", "layers.Flatten()"
    )
    assert "end with `layers.Dense(1)`" not in feedback.message


def test_a_sequence_layer_after_flatten():
    feedback = check(
        4, lambda w: [keras.Input((w, 1)), layers.Flatten(), layers.Conv1D(4, 2), layers.Dense(1)]
    )
    assert_says(feedback, "incorrect", "comes after `Flatten`", "before `Flatten`")


def test_the_wrong_width_says_how_to_end():
    feedback = check(
        3, lambda w: [keras.Input((w,)), layers.Dense(8, activation="relu"), layers.Dense(3)]
    )
    assert_says(feedback, "incorrect", "outputs 3 values per sample", "End with `layers.Dense(1)`")


def test_an_error_of_another_kind_is_still_explained():
    feedback = check(
        4, lambda w: [keras.Input((w, 1)), layers.Conv1D(16, 9), layers.Flatten(), layers.Dense(1)]
    )
    assert_says(feedback, "incorrect", "failed at its Conv1D layer", "Keras said", ".summary()")
    assert "Traceback" not in feedback.message
