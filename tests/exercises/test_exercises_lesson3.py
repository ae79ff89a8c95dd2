"""Lesson 3: the checks of a hand-built, hand-trained MLP and its walk-forward loop, both ways.

Each check passes its worked solution, run as a learner would, and names each mistake: a model
without a hidden layer or nonlinearity, a fixed window, the wrong layers, no compile, a model
worse than the default over three seeds, training without validation or early stopping, shuffled
or test-day validation windows, and forecasts that did not come from the network.
"""

import contextlib
import io

import keras
import numpy as np
import pandas as pd
import pytest
from exercise_helpers import assert_says
from keras import layers

import course_helpers as ch
from course_helpers import exercises as ex
from course_helpers.exercises import ____

BUILD, TRAINING, WALK = ex.lesson3.build, ex.lesson3.training, ex.lesson3.walk_forward


def mlp(window, hidden=16, activation="relu", lr=1e-3, loss="mse", compile=True):
    """A births MLP like the worked solution, with knobs to break it."""
    inputs = [keras.Input(shape=(window,))]
    hidden_layers = [layers.Dense(hidden, activation=activation)] if hidden else []
    model = keras.Sequential([*inputs, *hidden_layers, layers.Dense(1)])
    if compile:
        model.compile(optimizer=keras.optimizers.Adam(lr), loss=loss)
    return model


def solution_namespace():
    return {"keras": keras, "layers": layers, "np": np, "pd": pd, "ch": ch, "exercises": ex}


def run(code, **names):
    """Run a worked solution as a learner would; return the namespace it leaves."""
    namespace = {**solution_namespace(), **names}
    exec(code, namespace)
    return namespace


def test_build_solution_passes_on_three_seeds_beside_the_default():
    namespace = run(BUILD.solution_code)
    feedback = BUILD.check(namespace["build_model"])
    assert_says(feedback, "correct", "three seeds", "seeds [0, 1, 2]", "default", "persistence")
    assert_says(feedback, "correct", "beats persistence on the validation days")


@pytest.mark.parametrize(
    "build, fragments",
    [
        (lambda w: mlp(w, hidden=0), ["no hidden layer", "linear model"]),
        (lambda w: mlp(w, activation=None), ["linear function of its window"]),
        (lambda w: mlp(7), ["window of 14", "Use the `window` argument"]),
        (lambda w: mlp(w, compile=False), ["not compiled", "model.compile"]),
        (lambda w: mlp(w, loss="mae"), ["loss 'mae'", 'loss="mse"']),
        (lambda w: 1 / 0, ["raised ZeroDivisionError"]),
        (lambda w: "model", ["returned str"]),
        (mlp(7), ["This is a model", "build_model` itself"]),
        (None, ["Expected a function"]),
    ],
)
def test_build_names_each_mistake(build, fragments):
    assert_says(BUILD.check(build), "incorrect", *fragments)


def test_build_names_the_wrong_layer_family():
    def lstm(window):
        model = keras.Sequential(
            [keras.Input((window,)), layers.Reshape((window, 1)), layers.LSTM(4), layers.Dense(1)]
        )
        model.compile(optimizer="adam", loss="mse")
        return model

    assert_says(BUILD.check(lstm), "incorrect", "LSTM layers", "MLP of Dense layers")


def test_build_blank_is_not_attempted():
    assert_says(BUILD.check(lambda window: ____), "not attempted", "still returns `____`")
    assert_says(BUILD.check(____), "not attempted")


def fit_with(task, *, val, callbacks=(), epochs=300, validation=True):
    keras.utils.set_random_seed(0)
    model = mlp(7)
    X_fit, y_fit = task.X_train[:-40], task.y_train[:-40]
    history = model.fit(
        X_fit,
        y_fit,
        validation_data=(val, task.y_train[-len(val) :]) if validation else None,
        epochs=epochs,
        batch_size=32,
        callbacks=list(callbacks),
        verbose=0,
    )
    return model, history


def stop(restore=True):
    return keras.callbacks.EarlyStopping(patience=3, restore_best_weights=restore)


def notebook(task, **names):
    """The names of lesson 3's notebook that the worked answers read."""
    return {"task": task, "config": ch.DEFAULTS["mlp"], **names}


@pytest.fixture(scope="module")
def undone_training(task):
    """Task B left blank: its result, the worked answer trained once, and what it said."""
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown):
        model, history = TRAINING.result(____, ____, ____, names=notebook(task, mlp_builder=mlp))
    return model, history, shown.getvalue()


def test_training_solution_passes(task, undone_training):
    model, history, _ = undone_training  # the worked answer, run as the notebook runs it
    feedback = TRAINING.check(model, history, task.X_train[-40:])
    assert_says(feedback, "correct", "Early stopping ended training", "births", "No test day")


def test_training_names_each_mistake(task):
    tail = task.X_train[-40:]
    model, history = fit_with(task, val=tail, epochs=5)
    assert_says(TRAINING.check(model, history, tail), "incorrect", "ran all 5 epochs")
    model, history = fit_with(task, val=tail, callbacks=[stop(restore=False)])
    assert_says(TRAINING.check(model, history, tail), "incorrect", "restore_best_weights=True")
    early = task.X_train[:40]
    model, history = fit_with(task, val=tail, epochs=3)
    assert_says(TRAINING.check(model, history, early), "incorrect", "not the last ones")
    assert_says(TRAINING.check(model, history, tail[:, :3]), "incorrect", "X_val has shape")
    assert_says(TRAINING.check(model, "history", tail), "incorrect", "History")
    model, history = fit_with(task, val=tail, epochs=3, validation=False)
    assert_says(TRAINING.check(model, history, tail), "incorrect", "no `val_loss`")
    assert_says(TRAINING.check(model, history, ____), "not attempted")


def test_training_rejects_validation_windows_from_the_test_days(task):
    values = task.scaler.transform(task.series)
    test_windows, _ = ch.make_windows(values[-107:], 7)  # windows ending in the test days
    model, history = fit_with(task, val=task.X_train[-40:], epochs=3)
    assert_says(TRAINING.check(model, history, test_windows[:40]), "incorrect", "test days")


@pytest.fixture(scope="module")
def trained(task):
    keras.utils.set_random_seed(0)
    model = mlp(7)
    ch.fit(model, task.X_train, task.y_train, epochs=37, batch_size=32, seed=0)
    return model


def test_walk_forward_solution_passes_and_matches_task_evaluate(task, trained):
    (forecasts,) = WALK.reference(notebook(task, mlp=trained))
    assert_says(WALK.check(forecasts, trained, task.scaler), "correct", "RMSE", "persistence")
    np.testing.assert_allclose(forecasts, task.evaluate(trained).predictions, atol=1e-4)


def test_walk_forward_recognises_forecasts_that_are_not_the_networks(task, trained):
    series, test = task.series, task.test
    noise = np.random.default_rng(0).normal(0, 1, 100)
    scaled = task.scaler.transform(task.evaluate(trained).predictions)
    values = task.scaler.transform(series)
    leaked = [float(trained(values[t - 6 : t + 1].reshape(1, 7))[0, 0]) for t in range(265, 365)]
    cases = {
        "7-day moving average": ch.moving_average(series, 7),
        "persistence": ch.persistence(series),
        "actual test values themselves": test,
        "training mean": pd.Series(task.train.mean(), index=test.index),
        "follow the test values far too closely": test + noise,
        "include the day being forecast": pd.Series(task.scaler.inverse_transform(leaked)),
        "scaled units": pd.Series(scaled, index=test.index),
    }
    for fragment, forecasts in cases.items():
        assert_says(WALK.check(forecasts, trained, task.scaler), "incorrect", fragment)


def test_walk_forward_blanks_and_junk(task, trained):
    assert_says(WALK.check([____] * 100, trained, task.scaler), "not attempted")
    assert_says(WALK.check(task.test.iloc[:50], trained, task.scaler), "incorrect", "50 forecasts")
    assert_says(WALK.check("forecasts", trained, task.scaler), "incorrect")


def test_the_tasks_results_are_the_learners_answers_once_they_pass(
    task, trained, undone_training, capsys
):
    """A passing build, training and loop are used as they are; nothing is trained again."""
    build_model = run(BUILD.solution_code)["build_model"]
    assert BUILD.result(build_model, names={}) is build_model  # its check ran above: remembered
    model, history, _ = undone_training  # as if a learner had written the worked answer
    used = TRAINING.result(model, history, task.X_train[-40:], names={})
    assert used[0] is model and used[1] is history
    forecasts = task.evaluate(trained).predictions
    assert WALK.result(forecasts, trained, task.scaler, names={}) is forecasts
    shown = capsys.readouterr().out
    assert shown.count("its check passed") == 3 and "worked answer" not in shown


def test_an_undone_task_continues_with_the_worked_answer(task, undone_training, capsys):
    model, history, shown = undone_training
    assert isinstance(history, keras.callbacks.History) and "val_loss" in history.history
    assert "Task B is not done yet" in shown and "(yours are left as they are)" in shown
    forecasts = WALK.result(____, model, task.scaler, names=notebook(task, mlp=model))
    assert_says(WALK.check(forecasts, model, task.scaler), "correct")
    assert "Task C is not done yet" in capsys.readouterr().out
