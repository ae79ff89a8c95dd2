"""Lessons 3-7: each worked solution holds on seeds that were not used to choose it.

The checks judge a learner's model on seeds 0, 1 and 2, and the worked solutions and the lessons'
defaults were settled on those seeds. Here every worked ``build_model`` is judged by the checks'
own rule (:func:`judge_on_validation`: better than persistence on the validation days, beyond
day-to-day noise, and neither diverged nor a naive forecast) on seeds 3, 4 and 5, and the
lesson 3 training solution (early stopping) passes its check from three other seeds. The
lessons 4-7 training solutions run on seed 3 in their lessons' modules, where the model they
train also serves the tests of Task C's mistakes (``sequence_helpers.worked_training``). No test
day is read: the judging uses validation days inside the training period only.
"""

import keras
import numpy as np
import pandas as pd
import pytest
from exercise_helpers import assert_says
from keras import layers

from course_helpers import exercises as ex
from course_helpers.exercises.networks import judge_on_validation
from course_helpers.models import DEFAULTS, lesson_model

FRESH_SEEDS = (3, 4, 5)  # the checks use 0, 1, 2


def worked_builder(lesson):
    """The worked solution's ``build_model``, defined as a learner would by running its code."""
    namespace = {"keras": keras, "layers": layers}
    exec(ex.lesson(lesson).build.solution_code, namespace)
    return namespace["build_model"]


@pytest.mark.parametrize("lesson", [3, 4, 5, 6, 7])
def test_worked_model_passes_the_checks_rule_on_fresh_seeds(lesson):
    spec = lesson_model(lesson)
    # raises the check's own Mistake (with the numbers) if the rule fails on these seeds
    judgement = judge_on_validation(worked_builder(lesson), spec, seeds=FRESH_SEEDS)
    learner = judgement.learner
    assert learner.seeds == list(FRESH_SEEDS)  # the default, for information only, is not trained
    assert learner.rmse < learner.baselines["persistence"]
    assert judgement.against_persistence.verdict == "better"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_training_solution_stops_early_and_passes_on_fresh_seeds(task, seed):
    code = ex.lesson3.training.solution_code
    assert "keras.utils.set_random_seed(0)" in code
    code = code.replace("set_random_seed(0)", f"set_random_seed({seed})")
    namespace = {"keras": keras, "np": np, "pd": pd, "task": task, "config": DEFAULTS["mlp"]}
    namespace["mlp_builder"] = worked_builder(3)
    exec(code, namespace)
    feedback = ex.lesson3.training.check(
        namespace["model"], namespace["history"], namespace["X_val"]
    )
    assert_says(feedback, "correct", "Early stopping ended training", "No test day")
