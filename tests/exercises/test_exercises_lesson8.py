"""Lesson 8: the check passes the worked solution over three seeds and names each mistake.

The mistakes need no training: the check stops at the first wrong shape, missing compile, a model
that is not a network or one with no nonlinear layer. A plain MLP trains and is told it does not
beat the linear autoregression.
"""

import keras
import numpy as np
import pytest
from exercise_helpers import assert_says
from keras import layers

from course_helpers import capstone as cap
from course_helpers import exercises as ex
from course_helpers.exercises import ____

check = ex.lesson8.beat_linear.check


@pytest.fixture(scope="module")
def reference():
    return ex.lesson8.reference()  # task, ridge, ridge RMSE on validation


def solution_builder(reference):
    task, ridge, _ = reference
    namespace = {"keras": keras, "layers": layers, "cap": cap, "ridge": ridge, "task": task}
    exec(ex.lesson8.beat_linear.solution_code, namespace)
    return namespace["build_model"]


def compiled(*stack, loss="mse"):
    model = keras.Sequential(list(stack))
    model.compile(optimizer="adam", loss=loss)
    return model


def test_worked_solution_passes_over_three_seeds(reference):
    feedback = check(solution_builder(reference))
    assert_says(feedback, "correct", "beat the linear autoregression", "seeds [0, 1, 2]", "ridge")


def test_worked_solution_holds_on_seeds_it_was_not_chosen_on(reference):
    """The check's rule (mean of the seeds' forecasts ahead of the ridge by more than one seed's
    sd) on seeds 3, 4 and 5; the check itself uses 0, 1 and 2."""
    _, _, ridge_rmse = reference
    trial = cap.train_network(solution_builder(reference), reference[0], seeds=(3, 4, 5), epochs=3)
    _, sd = trial.rmse("validation")
    assert trial.ensemble("validation").rmse < ridge_rmse - sd


def test_a_plain_mlp_is_told_it_does_not_beat_the_linear_model():
    def build_model(window, n_features):
        return compiled(
            keras.Input((window, n_features)),
            layers.Flatten(),
            layers.Dense(32, activation="relu"),
            layers.Dense(24),
        )

    feedback = check(build_model, epochs=6)
    assert_says(feedback, "incorrect", "does not beat the linear autoregression", "ridge")


def linear_only(window, n_features):
    return compiled(keras.Input((window, n_features)), layers.Flatten(), layers.Dense(24))


def flat_input(window, n_features):
    return compiled(
        keras.Input((window * n_features,)), layers.Dense(8, activation="relu"), layers.Dense(24)
    )


def one_hour_out(window, n_features):
    return compiled(
        keras.Input((window, n_features)),
        layers.Flatten(),
        layers.Dense(8, activation="relu"),
        layers.Dense(1),
    )


def not_compiled(window, n_features):
    return keras.Sequential([keras.Input((window, n_features)), layers.Flatten(), layers.Dense(24)])


def ridge_forecasts(window, n_features):
    return np.zeros((365, 24))  # numbers, not a network


def raises(window, n_features):
    return layers.Dense(24)(window)


@pytest.mark.parametrize(
    "build, fragments",
    [
        (linear_only, ("linear", "ridge regression again", "relu")),
        (flat_input, ("shape (768,)", "keras.Input(shape=(window, n_features))")),
        (one_hour_out, ("shape (1,)", "next 24 hours", "Dense(24)")),
        (not_compiled, ("not compiled",)),
        (ridge_forecasts, ("not a Keras model", "not come from a network")),
        (raises, ("raised",)),
        (linear_only(48, 16), ("this is a model", "function")),
        ("build_model", ("expected a function",)),
    ],
    ids=["linear", "flat", "one-hour", "uncompiled", "not-a-network", "raises", "model", "text"],
)
def test_each_mistake_gets_its_own_message(build, fragments):
    assert_says(check(build), "incorrect", *fragments)


def test_blank_junk_and_bad_epochs_get_feedback_not_a_traceback():
    assert check(____).status == "not attempted"
    assert_says(check(lambda w, n: ____), "not attempted", "____")
    assert_says(check(linear_only, epochs=0), "incorrect", "epochs")
    assert_says(check(None), "incorrect")
    assert ex.lesson8.beat_linear.hint().status == "hint"
    assert "ridge_layer" in ex.lesson8.beat_linear.solution().code
