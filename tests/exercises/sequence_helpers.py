"""Helpers the lesson 4-7 exercise tests share: run a worked answer as a notebook would, and
train a model the way a learner trains one in Task C (``model.fit`` on chosen windows)."""

import keras
import numpy as np
import pandas as pd
from keras import layers

import course_helpers as ch
from course_helpers import exercises as ex


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
