"""Lessons 3-7: the improve check accepts honest forecasts and names each protocol mistake."""

from types import SimpleNamespace

import keras
import numpy as np
import pandas as pd
import pytest
from exercise_helpers import assert_says, run_solution
from keras import layers

from course_helpers import (
    Result,
    Scaler,
    moving_average,
    persistence,
    rmse,
    seasonal_naive,
)
from course_helpers import exercises as ex
from course_helpers.models import MODELS

# ---------------------------------------------------------------------------------------------
# Lessons 3-7: improve on the default model
# ---------------------------------------------------------------------------------------------

IMPROVE = ex.lesson4.improve


def test_improve_honest_forecasts_pass(honest, prepared):
    feedback = IMPROVE.check(honest, prepared.scaler)
    assert_says(feedback, "correct", "beat persistence", "7.049 < 7.892", "few seeds")
    assert "Pass the scaler" not in feedback.message
    assert_says(IMPROVE.check(honest), "correct", "Pass the scaler as well")


def test_improve_accepts_results_and_runs(honest, prepared):
    result = Result(7.049, 5.763, 7.892, honest)
    assert IMPROVE.check(result, prepared.scaler).passed
    run = SimpleNamespace(result=result, task=SimpleNamespace(scaler=prepared.scaler))
    feedback = IMPROVE.check(run)
    assert feedback.passed and "Pass the scaler" not in feedback.message


def test_improve_against_the_default(honest, prepared):
    better_default = Result(6.9, 5.3, 7.892, honest)
    feedback = IMPROVE.check(honest, prepared.scaler, default=better_default)
    assert_says(feedback, "partial", "not yet the lesson's default", "7.049 vs 6.900")
    feedback = IMPROVE.check(honest, prepared.scaler, default=7.2)
    assert_says(feedback, "correct", "The lesson's default had 7.200")
    run = SimpleNamespace(result=Result(7.1, 5.5, 7.892, honest))
    assert_says(IMPROVE.check(honest, default=run), "correct", "default had 7.100")


def test_improve_lists_errors_per_horizon(honest):
    per_horizon = pd.DataFrame(
        {"rmse": [7.0, 7.5], "mae": [5.0, 5.5], "persistence_rmse": [7.892, 8.5]},
        index=pd.Index([1, 2], name="horizon"),
    )
    feedback = ex.lesson7.improve.check(Result(7.049, 5.763, 7.892, honest, per_horizon))
    assert_says(feedback, "correct", "2 day(s) ahead: RMSE 7.500 (persistence 8.500)")


def test_improve_not_beating_persistence(births):
    feedback = IMPROVE.check(persistence(births))
    assert_says(feedback, "incorrect", "does not beat persistence", "copy the last input")
    feedback = IMPROVE.check(seasonal_naive(births, 7))
    assert_says(feedback, "incorrect", "RMSE 9.145 does not beat persistence (7.892)")
    assert "copy" not in feedback.message


def test_improve_needs_a_series_with_dates(honest):
    assert_says(IMPROVE.check(honest.to_numpy()), "incorrect", "pandas Series", "shape (100,)")
    assert_says(
        IMPROVE.check(honest.reset_index(drop=True)),
        "incorrect",
        "not indexed by dates",
        "1959-09-23 to 1959-12-31",
    )
    table = pd.DataFrame({1: honest, 2: honest})
    assert_says(IMPROVE.check(table), "incorrect", "several horizons")
    gaps = honest.copy()
    gaps.iloc[3] = np.nan
    assert_says(IMPROVE.check(gaps), "incorrect", "1 forecast(s) are missing")


def test_improve_wrong_number_of_test_days(births, honest):
    assert_says(
        IMPROVE.check(honest.iloc[7:]),
        "incorrect",
        "93 forecasts",
        "reach back into the training days",
    )
    longer = births.rolling(7).mean().shift(1).iloc[-110:]
    assert_says(IMPROVE.check(longer), "incorrect", "110 forecasts", "training days do not count")


def test_improve_shuffled_test_days(honest):
    shuffled = honest.sample(frac=1, random_state=0)
    assert_says(IMPROVE.check(shuffled), "incorrect", "shuffled", "Never shuffle the test")


def test_improve_dates_off_by_one(births, honest):
    early = pd.Series(honest.to_numpy(), index=births.index[-101:-1])
    assert_says(IMPROVE.check(early), "incorrect", "1 day(s) too early", "that day's date")
    other = pd.Series(honest.to_numpy(), index=births.index[:100])
    assert_says(IMPROVE.check(other), "incorrect", "not the test dates")


def test_improve_scaled_units(honest, prepared):
    scaled = (honest - prepared.scaler.mean_) / prepared.scaler.std_
    assert_says(
        IMPROVE.check(scaled, prepared.scaler), "incorrect", "scaled values", "inverse_transform"
    )


def test_improve_scaler_fitted_on_the_whole_series(births, honest):
    assert_says(
        IMPROVE.check(honest, Scaler().fit(births)), "incorrect", "fitted on the whole series"
    )


def test_improve_leakage(births):
    test = births.iloc[-100:]
    assert_says(IMPROVE.check(test.copy()), "incorrect", "exactly the actual test values")
    tomorrow = pd.Series(np.r_[test.to_numpy()[1:], 40.0], index=test.index)
    assert_says(IMPROVE.check(tomorrow), "incorrect", "next day's actual value")
    near = test + np.random.default_rng(0).normal(0, 2, len(test))
    assert_says(IMPROVE.check(near), "incorrect", "Suspiciously accurate", "leakage")


def test_improve_rejects_a_task_or_model(births):
    from course_helpers import ForecastTask

    assert_says(IMPROVE.check(ForecastTask(7, series=births)), "incorrect", "the task itself")
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    assert_says(IMPROVE.check(model), "incorrect", "That is a model")


def test_improve_exercise_needs_a_model_outside_lessons_3_to_7():
    with pytest.raises(ValueError, match="Give the model"):
        ex.ImproveModelExercise(lesson=9)
    assert ex.ImproveModelExercise(lesson=9, model="lstm").model == "lstm"


def test_improve_several_runs_are_scored_by_their_mean(births, honest, prepared):
    ma14 = moving_average(births, 14)
    feedback = IMPROVE.check([honest, ma14], prepared.scaler, default=[7.2, 7.4])
    mean = (7.049 + rmse(births.iloc[-100:], ma14)) / 2
    assert_says(
        feedback, "correct", f"mean RMSE {mean:.3f} < 7.892", "default had 7.300", "over 2 runs"
    )
    assert "One seed can be lucky" not in feedback.message
    assert_says(
        IMPROVE.check((honest, honest), default=[7.0, 7.0]), "partial", "mean RMSE 7.049 vs 7.000"
    )
    assert_says(
        IMPROVE.check([persistence(births)] * 2),
        "incorrect",
        "mean RMSE 7.892 does not beat",
        "copy the last input",
    )


def test_improve_names_the_run_with_a_mistake(honest):
    feedback = IMPROVE.check([honest, honest.sample(frac=1, random_state=0), honest])
    assert_says(feedback, "incorrect", "Run 2 of 3: The test days are shuffled")
    assert_says(IMPROVE.check([]), "incorrect", "list is empty")


@pytest.mark.parametrize(
    "lesson", sorted(spec.lesson for spec in MODELS.values() if spec.lesson > 3)
)
def test_improve_solution_beats_the_default(lesson):
    """The solution's code, run as shown (three seeds each), improves on the lesson default."""
    from course_helpers import train_and_evaluate

    task = ex.lesson(lesson).improve
    settings = task.solution_settings  # declared by the lesson's module, not the fallback
    assert task.solution_reason != ex.ImproveModelExercise.default_reason
    code = task.solution().code
    assert all(f"{key}={value!r}" in code for key, value in settings.items())
    feedback = run_solution(code, train_and_evaluate=train_and_evaluate)
    assert feedback.passed, feedback.message
    assert "over 3 runs" in feedback.message
