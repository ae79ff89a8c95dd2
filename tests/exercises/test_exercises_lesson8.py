"""Lesson 8: the check passes sound networks that add to the ridge and names each mistake.

Answers are written the way a learner writes them. The mistakes found before training cost no
training; a network fitted with the validation year (frozen, or as its starting weights, or
trained inside `build_model`) is caught. Sound answers pass over the check's seeds and hold on
seeds and epochs the check does not use.
"""

import keras
import numpy as np
import pytest
from exercise_helpers import assert_says
from keras import layers

from course_helpers import capstone as cap
from course_helpers import exercises as ex
from course_helpers.comparison import compare_forecasts
from course_helpers.exercises import ____

task = ex.lesson8.reference().task  # 24 hours of the 16 inputs, the check's windows
check = ex.lesson8.add_to_ridge.check


def solution():
    """The worked answer's `build_model` and `epochs`, run as the learner would run it."""
    return ex.lesson8.add_to_ridge.reference({})


def mlp(window, n_features):
    model = keras.Sequential(
        [
            keras.Input(shape=(window, n_features)),
            layers.Flatten(),
            layers.Dense(32, activation="relu"),
            layers.Dense(24),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model


def test_the_worked_solution_passes_as_the_learner_runs_it():
    build_model, epochs = solution()
    feedback = check(build_model, epochs=epochs)
    assert_says(feedback, "correct", "adds to the ridge", "interval", "seeds [0, 1, 2]", "epoch")


def test_a_plain_mlp_trained_long_enough_passes_too():
    assert_says(check(mlp, epochs=12), "correct", "adds to the ridge")


@pytest.fixture(scope="module")
def other_seeds():
    """The worked answer's 2013 forecasts on seeds 3-5 after 8 and after 15 epochs, from one
    training of 15 epochs: a forecast after epoch 8 is that of a network trained 8 epochs
    (tests/tools/test_tune_capstone.py)."""
    kept = {8: [], 15: []}

    def keep(model, done):
        if done in kept:
            kept[done].append(task.to_pm(cap.predict(model, task.validation.X)))

    cap.train_network(solution()[0], task, seeds=(3, 4, 5), epochs=15, epoch_end=keep)
    return {epochs: np.stack(forecasts) for epochs, forecasts in kept.items()}


@pytest.mark.parametrize("epochs", [8, 15])
def test_the_rule_holds_on_seeds_and_epochs_the_check_does_not_use(epochs, other_seeds):
    """The check's bar (the blend with the ridge better than the ridge, by the day-level
    interval) on seeds 3-5, at fewer and more epochs than the solution's 10."""
    ref = ex.lesson8.reference()
    assert other_seeds[epochs].shape == (3, len(task.validation), 24)
    ensemble = other_seeds[epochs].mean(axis=0)
    blend = compare_forecasts(task.validation.y, (ensemble + ref.ridge) / 2, ref.ridge)
    assert blend.verdict == "better", blend


def test_too_little_training_is_told_it_adds_nothing_yet():
    feedback = check(mlp, epochs=2)
    assert_says(feedback, "incorrect", "does not beat the ridge", "lowest after epoch 2", "hint")


def compiled(inputs, outputs, **options):
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(**options), loss="mse")
    return model


def linear_only(window, n_features):
    inputs = keras.Input(shape=(window, n_features))
    return compiled(inputs, layers.Dense(24)(layers.Flatten()(inputs)))


def relu_times_zero(window, n_features):
    inputs = keras.Input(shape=(window, n_features))
    flat = layers.Flatten()(inputs)
    branch = layers.Lambda(lambda x: x * 0.0)(layers.Dense(32, activation="relu")(flat))
    return compiled(inputs, layers.Dense(24)(layers.Concatenate()([flat, branch])))


def flat_input(window, n_features):
    inputs = keras.Input(shape=(window * n_features,))
    return compiled(inputs, layers.Dense(24)(layers.Dense(8, activation="relu")(inputs)))


def one_hour_out(window, n_features):
    inputs = keras.Input(shape=(window, n_features))
    hidden = layers.Dense(8, activation="relu")(layers.Flatten()(inputs))
    return compiled(inputs, layers.Dense(1)(hidden))


def not_compiled(window, n_features):
    return keras.Sequential([keras.Input((window, n_features)), layers.Flatten(), layers.Dense(24)])


def all_frozen(window, n_features):
    model = mlp(window, n_features)
    model.trainable = False
    return model


def ridge_through_2013():
    """A ridge for the check's windows fitted on 2010-2012 and 2013: what a learner who used
    every year before the test year would fit."""
    X = np.concatenate([task.train.X, task.validation.X])
    y = np.concatenate([task.y_train, task.scale(task.validation.y)])
    observed = ~np.isnan(y).any(axis=1)
    return cap.Ridge(1.0).fit(X[observed], y[observed])


RIDGE_2013 = ridge_through_2013()


def frozen_ridge(window, n_features):
    """The lesson's frozen ridge shortcut, with a ridge that has seen 2013."""
    inputs = keras.Input(shape=(window, n_features))
    flat = layers.Flatten()(inputs)
    linear = cap.ridge_layer(RIDGE_2013, task)(flat)
    hidden = layers.Dense(32, activation="relu")(flat)
    return compiled(inputs, layers.Add()([linear, layers.Dense(24)(hidden)]))


def ridge_as_starting_weights(window, n_features):
    """The same ridge as the trainable starting weights of a layer, the branch starting at 0."""
    inputs = keras.Input(shape=(window, n_features))
    flat = layers.Flatten()(inputs)
    start = keras.initializers.Constant(RIDGE_2013.weights[:-1].astype("float32"))
    bias = keras.initializers.Constant(RIDGE_2013.weights[-1].astype("float32"))
    linear = layers.Dense(24, kernel_initializer=start, bias_initializer=bias)(flat)
    hidden = layers.Dense(32, activation="relu")(flat)
    branch = layers.Dense(24, kernel_initializer="zeros")(hidden)
    return compiled(inputs, layers.Add()([linear, branch]))


def trained_on_2013_inside(window, n_features):
    """A network fitted on the 2013 windows before it is handed to the check."""
    model = mlp(window, n_features)
    observed = ~np.isnan(task.validation.y).any(axis=1)
    X, y = task.validation.X[observed], task.scale(task.validation.y[observed])
    model.fit(X, y, epochs=15, batch_size=32, verbose=0)
    return model


def not_a_network(window, n_features):
    return np.zeros((365, 24))


def raises(window, n_features):
    return layers.Dense(24)(window)


@pytest.mark.parametrize(
    "build, fragments",
    [
        (linear_only, ("linear function of its window", "ties")),
        (relu_times_zero, ("linear function of its window", "multiplied away")),
        (flat_input, ("shape (384,)", "keras.Input(shape=(window, n_features))")),
        (one_hour_out, ("shape (1,)", "next 24 hours", "Dense(24)")),
        (not_compiled, ("not compiled",)),
        (all_frozen, ("nothing in this model is trainable",)),
        (frozen_ridge, ("frozen weights", "fitted before the check")),
        (ridge_as_starting_weights, ("before any training", "weights fitted before the check")),
        (trained_on_2013_inside, ("before any training", "2010-2012 itself")),
        (not_a_network, ("not a Keras model", "not come from a network")),
        (raises, ("raised",)),
        (mlp(24, 16), ("this is a model", "function")),
        ("build_model", ("expected a function",)),
    ],
    ids=[
        "linear",
        "relu-times-zero",
        "flat",
        "one-hour",
        "uncompiled",
        "frozen-all",
        "frozen-ridge-2013",
        "ridge-start-2013",
        "fitted-on-2013",
        "not-a-network",
        "raises",
        "model",
        "text",
    ],
)
def test_each_mistake_before_training_gets_its_own_message(build, fragments):
    assert_says(check(build), "incorrect", *fragments)


def relu_output(window, n_features):
    inputs = keras.Input(shape=(window, n_features))
    hidden = layers.Dense(32, activation="relu")(layers.Flatten()(inputs))
    return compiled(inputs, layers.Dense(24, activation="relu")(hidden))


def diverging(window, n_features):
    inputs = keras.Input(shape=(window, n_features))
    hidden = layers.Dense(32, activation="relu")(layers.Flatten()(inputs))
    return compiled(inputs, layers.Dense(24)(hidden), learning_rate=1e12)


@pytest.mark.parametrize(
    "build, fragments",
    [
        (relu_output, ("never forecasts below 0", "bounded", "Dense(24)")),
        (diverging, ("diverged", "not finite")),
    ],
    ids=["relu-output", "diverged"],
)
def test_each_mistake_after_training_gets_its_own_message(build, fragments):
    assert_says(check(build, epochs=1), "incorrect", *fragments)


def test_blank_junk_and_bad_epochs_get_feedback_not_a_traceback():
    assert check(____).status == "not attempted"
    assert_says(check(lambda w, n: ____), "not attempted", "____")
    assert_says(check(mlp, epochs=0), "incorrect", "epochs")
    assert_says(check(mlp, epochs=2.5), "incorrect", "epochs")
    assert_says(check(None), "incorrect")
    assert ex.lesson8.add_to_ridge.hint().status == "hint"
    assert "layers.Add()" in ex.lesson8.add_to_ridge.solution().code


def test_an_undone_task_continues_with_the_worked_answer(capsys):
    build_model, epochs = ex.lesson8.add_to_ridge.result(____, ____, names={})
    assert (build_model, epochs) == solution() and epochs == 10
    assert "continue with the worked answer's `build_model` and `epochs`" in capsys.readouterr().out


def test_the_check_reads_the_windows_the_tuning_chose_for_the_mlp():
    assert task.window == cap.MODELS["mlp"].defaults.window == ex.lesson8.WINDOW
