"""Lesson 1: the capabilities check recognises ideas, names swapped or missing ones."""

import pytest
from exercise_helpers import assert_says

from course_helpers import exercises as ex

# ---------------------------------------------------------------------------------------------
# Lesson 1: capabilities of CNNs and RNNs
# ---------------------------------------------------------------------------------------------

CAPABILITIES = ex.lesson1.capabilities


@pytest.mark.parametrize(
    "cnn, rnn",
    [
        ("CNNs learn local patterns from the raw series", "LSTMs keep a memory of the past"),
        (
            "A convolution finds the same shape wherever it appears in the window",
            "They read the values in order, one step at a time",
        ),
        ("They are fast because the filter weights are shared", "RNNs accept inputs of any length"),
    ],
)
def test_capabilities_recognised(cnn, rnn):
    feedback = CAPABILITIES.check(cnn=cnn, rnn=rnn)
    assert_says(feedback, "correct", "recognised", "solution()")
    assert feedback.passed


def test_capabilities_one_of_two():
    feedback = CAPABILITIES.check(
        cnn="CNNs detect local patterns in the window", rnn="They are quite good at everything"
    )
    assert_says(feedback, "partial", "CNNs: recognised", "RNNs: no capability recognised")


def test_capabilities_swapped_ideas_are_named():
    feedback = CAPABILITIES.check(
        cnn="They remember long-term dependencies", rnn="They find local patterns with filters"
    )
    assert_says(
        feedback,
        "incorrect",
        "CNNs: that sounds like recurrent networks",
        "RNNs: that sounds like convolutional networks",
    )


def test_capabilities_too_short_and_empty():
    feedback = CAPABILITIES.check(cnn="good", rnn="  ")
    assert_says(feedback, "incorrect", '"good" is too short', "RNNs: the answer is empty")


def test_capabilities_answers_must_be_text():
    assert_says(CAPABILITIES.check(cnn=3, rnn="memory"), "incorrect", "as text in quotes")


def test_example_answers_pass_the_capabilities_check():
    cnn, rnn = ex.lesson1.capabilities.solution_details[:2]
    assert cnn.startswith("**CNNs:**") and rnn.startswith("**RNNs (LSTMs):**")
    assert ex.lesson1.capabilities.check(cnn=cnn, rnn=rnn).passed


def test_the_worked_answer_passes_as_the_instructors_copy_runs_it():
    cnn, rnn = CAPABILITIES.reference({})
    assert CAPABILITIES.check(cnn=cnn, rnn=rnn).passed
