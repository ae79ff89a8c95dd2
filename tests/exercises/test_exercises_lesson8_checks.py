"""Lesson 8's checks of what a network does: nonlinearity by behaviour (the shared
``behaviour.check_nonlinear``, on lesson 8's windows, after its kernels are drawn anew),
nothing trainable, frozen values fitted beforehand and a bounded output.

Each activation a learner may reach for is nonlinear whatever its name, and a model that is
linear throughout, or whose nonlinear branch is multiplied away, is linear whatever its layers.
"""

import keras
import numpy as np
import pytest
from exercise_helpers import assert_says
from keras import layers

from course_helpers.exercises import Mistake
from course_helpers.exercises.behaviour import check_nonlinear, check_trainable
from course_helpers.exercises.lesson8 import (
    check_bounded_output,
    check_no_prefitted_weights,
    check_nonlinear_when_trained,
)

WINDOWS = np.random.default_rng(0).normal(size=(64, 24, 16)).astype("float32")


def mlp(activation):
    """Flatten -> Dense(32) with ``activation`` (a name or a layer) -> Dense(24)."""
    inputs = keras.Input(shape=(24, 16))
    flat = layers.Flatten()(inputs)
    if isinstance(activation, str):
        hidden = layers.Dense(32, activation=activation)(flat)
    else:
        hidden = activation(layers.Dense(32)(flat))
    return keras.Model(inputs, layers.Dense(24)(hidden))


def says(check, *fragments):
    with pytest.raises(Mistake) as raised:
        check()
    assert_says(raised.value.feedback, "incorrect", *fragments)


@pytest.mark.parametrize(
    "activation",
    [
        "relu",
        layers.LeakyReLU,
        layers.PReLU,
        "elu",
        "softplus",
        "mish",
        "tanh",
        "gelu",
        lambda: layers.LeakyReLU(negative_slope=0.9),  # nearly linear, still not
    ],
    ids=["relu", "LeakyReLU", "PReLU", "elu", "softplus", "mish", "tanh", "gelu", "leaky-0.9"],
)
def test_every_nonlinear_activation_is_seen_by_its_effect(activation):
    keras.utils.set_random_seed(0)
    layer = activation() if callable(activation) and not isinstance(activation, str) else None
    model = mlp(layer if layer is not None else activation)
    check_nonlinear(model, WINDOWS)  # no mistake, as built
    check_nonlinear_when_trained(model, WINDOWS)  # nor with its kernels drawn anew


def linear_throughout():
    inputs = keras.Input(shape=(24, 16))
    hidden = layers.Dense(32)(layers.Flatten()(inputs))
    return keras.Model(inputs, layers.Dense(24)(layers.Activation("linear")(hidden)))


def relu_multiplied_away():
    inputs = keras.Input(shape=(24, 16))
    flat = layers.Flatten()(inputs)
    branch = layers.Dense(24)(layers.Dense(32, activation="relu")(flat))
    unused = layers.Lambda(lambda x: 0.0 * x)(branch)
    return keras.Model(inputs, layers.Add()([layers.Dense(24)(flat), unused]))


def zero_started_branch():
    """A ReLU branch whose last layer starts at 0: linear at first, nonlinear once trained."""
    inputs = keras.Input(shape=(24, 16))
    flat = layers.Flatten()(inputs)
    hidden = layers.Dense(32, activation="relu")(flat)
    branch = layers.Dense(24, kernel_initializer="zeros")(hidden)
    return keras.Model(inputs, layers.Add()([layers.Dense(24)(flat), branch]))


def test_a_branch_that_starts_at_zero_is_judged_by_what_it_can_become():
    model = zero_started_branch()
    says(lambda: check_nonlinear(model, WINDOWS), "linear function")  # as built
    check_nonlinear_when_trained(model, WINDOWS)  # no mistake: with drawn weights it bends


def batch_norm_and_conv():
    inputs = keras.Input(shape=(24, 16))
    x = layers.Conv1D(8, 3)(inputs)  # linear convolution
    x = layers.BatchNormalization()(layers.Flatten()(x))  # affine at inference
    return keras.Model(inputs, layers.Dense(24)(x))


@pytest.mark.parametrize("build", [linear_throughout, relu_multiplied_away, batch_norm_and_conv])
def test_a_model_that_is_affine_is_linear_whatever_its_layers(build):
    model = build()
    says(lambda: check_nonlinear(model, WINDOWS), "linear function of its window")
    says(lambda: check_nonlinear_when_trained(model, WINDOWS), "linear function", "ties")


def test_nothing_trainable_and_frozen_values_are_named():
    frozen = mlp("relu")
    frozen.trainable = False
    says(lambda: check_trainable(frozen), "nothing in this model is trainable")
    fitted = mlp("relu")
    fitted.layers[-1].trainable = False  # random weights, frozen: values the check did not train
    says(lambda: check_no_prefitted_weights(fitted), "frozen weights", "fitted before the check")
    normalised = keras.Sequential(
        [
            keras.Input(shape=(24, 16)),
            layers.BatchNormalization(),
            layers.Flatten(),
            layers.Dense(24),
        ]
    )
    check_no_prefitted_weights(normalised)  # Keras's own 0 and 1 starting values are fine
    check_trainable(normalised)


def test_a_bounded_output_is_named_with_its_side():
    targets = np.random.default_rng(1).normal(size=(500, 24))
    says(lambda: check_bounded_output(np.abs(targets), targets), "never forecasts below 0")
    says(lambda: check_bounded_output(np.tanh(targets), targets), "never forecasts above 1")
    check_bounded_output(targets * 0.8, targets)  # free on both sides
