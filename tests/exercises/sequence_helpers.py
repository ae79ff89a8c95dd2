"""Helpers the lesson 4-7 exercise tests share: run a worked answer as a notebook would, run
the worked Task C on a fresh seed, and train a model the way a learner trains one in Task C
(``model.fit`` on chosen windows)."""

import keras
import numpy as np
import pandas as pd
from keras import layers

import course_helpers as ch
from course_helpers import exercises as ex
from course_helpers.models import lesson_model

FRESH_SEED = 3  # the worked answers were written and run in the notebooks with seed 0


def notebook_names(**names) -> dict:
    """The names every lesson notebook imports, plus ``names``."""
    return {
        "keras": keras,
        "layers": layers,
        "np": np,
        "pd": pd,
        "ch": ch,
        "exercises": ex,
        **names,
    }


def run_solution(exercise, **names) -> dict:
    """Run ``exercise``'s worked answer in a namespace of the notebook's names; return it."""
    namespace = notebook_names(**names)
    exec(exercise.solution_code, namespace)
    return namespace


def worked_builder(lesson: int):
    """The worked ``build_model`` of a lesson's Task B, defined as a learner would."""
    return run_solution(ex.lesson(lesson).build)["build_model"]


def worked_training(lesson: int, seed: int = FRESH_SEED) -> dict:
    """The notebook's names after the worked Task C of lesson 4-7 ran with ``seed``.

    Task C reads the windows of the lesson's worked Task A and the worked ``build_model``, under
    the names the notebook gives them; the result holds ``model``, ``history``, ``X_fit`` and
    ``X_val`` among them.
    """
    config = lesson_model(lesson).defaults
    task = ch.ForecastTask(config.window)
    exercises, builder = ex.lesson(lesson), worked_builder(lesson)
    names = notebook_names(task=task, config=config)
    if lesson == 4:
        X = run_solution(exercises.feature_axis, task=task)["X_train"]
        names.update(X_cnn=X, cnn_builder=builder)
    elif lesson == 5:
        dataset = run_solution(exercises.windows, task=task, config=config)["dataset"]
        X, y = (np.concatenate(part) for part in zip(*dataset.as_numpy_iterator()))
        names.update(X_lstm=X, y_lstm=y, lstm_builder=builder)
    elif lesson == 6:
        n_seq = config.kwargs["n_seq"]
        cut = run_solution(
            exercises.subsequences, task=task, n_seq=n_seq, steps=config.window // n_seq
        )
        names.update(X_sub=cut["X_train"], cnn_lstm_builder=builder)
    else:
        values = task.scaler.transform(task.train)
        made = run_solution(exercises.targets, values=values, config=config, horizon=3)
        names.update(X_ed=made["X_train"], Y_ed=made["Y_train"], encoder_decoder_builder=builder)
    code = exercises.training.solution_code
    assert "keras.utils.set_random_seed(0)" in code
    exec(code.replace("set_random_seed(0)", f"set_random_seed({seed})"), names)
    return names


def fit(build, window, X_fit, y_fit, X_val, y_val, *, patience=3, restore=True, epochs=300,
        stop=True):  # fmt: skip
    """A learner's Task C: a fresh ``build(window)`` (seed 0) trained with ``model.fit``.

    Early stopping on the validation loss with ``patience``, unless ``stop=False``;
    ``X_val=None`` trains without validation data.
    """
    keras.utils.set_random_seed(0)
    model = build(window)
    callbacks = []
    if stop:
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=patience, restore_best_weights=restore
            )
        )
    validation = None if X_val is None else (X_val, y_val)
    history = model.fit(
        X_fit,
        y_fit,
        validation_data=validation,
        epochs=epochs,
        batch_size=32,
        callbacks=callbacks,
        verbose=0,
    )
    return model, history
