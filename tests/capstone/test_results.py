"""Lesson 8's results table: scores per period and gains on the ridge with day-level intervals."""

import numpy as np
import pytest

from course_helpers import capstone as cap
from course_helpers.comparison import compare_forecasts


def test_a_blend_is_the_weighted_mean_of_its_forecasts():
    a, b = np.full((2, 24), 10.0), np.full((2, 24), 30.0)
    np.testing.assert_allclose(cap.blend(a, b), 20.0)
    np.testing.assert_allclose(cap.blend(a, b, weights=(0.75, 0.25)), 15.0)
    with pytest.raises(ValueError, match="one weight per forecast"):
        cap.blend(a, b, weights=(0.5, 0.6))


def test_the_table_scores_each_period_and_compares_with_the_reference(task):
    periods = ("validation", "test")
    persistence = {p: cap.persistence_24(task.period(p)) for p in periods}
    nudged = {  # halfway from persistence to the truth: better on every day
        p: cap.blend(persistence[p], np.nan_to_num(task.period(p).y, nan=0.0)) for p in periods
    }
    table = cap.results_table(task, {"persistence": persistence, "nudged": nudged}, "persistence")
    assert list(table.index) == ["persistence", "nudged"]
    assert table.loc["persistence", "validation verdict"] == "reference"
    assert table.loc["persistence", "test gain"] == 0.0
    alone = compare_forecasts(task.test.y, nudged["test"], persistence["test"])
    assert table.loc["nudged", "test gain"] == pytest.approx(alone.difference)
    assert table.loc["nudged", "test low"] == pytest.approx(alone.low)
    assert table.loc["nudged", "validation verdict"] == "better"
    expected = cap.score(nudged["test"], task.test.y)
    assert table.loc["nudged", "test MAE"] == pytest.approx(expected.mae)
    assert table.loc["nudged", "test 24 h"] == pytest.approx(expected.by_horizon["rmse"].iloc[-1])


def test_the_readable_table_puts_the_best_first_and_each_gain_in_words(task):
    periods = ("validation", "test")
    persistence = {p: cap.persistence_24(task.period(p)) for p in periods}
    nudged = {p: cap.blend(persistence[p], np.nan_to_num(task.period(p).y)) for p in periods}
    table = cap.results_table(task, {"persistence": persistence, "nudged": nudged}, "persistence")
    seeds = {"nudged": {"validation": (60.04, 0.31), "test": (50.0, 0.26)}}
    shown = cap.readable(table, seeds)
    assert list(shown.index) == ["nudged", "persistence"]
    assert list(shown["one seed, mean ± sd"]) == ["60.0 ± 0.3, 50.0 ± 0.3", ""]
    assert list(shown.columns) == [
        "2013 RMSE",
        "gain on the ridge, 2013",
        "2014 RMSE",
        "gain on the ridge, 2014",
        "2014 MAE",
        "2014 1 h",
        "2014 24 h",
        "one seed, mean ± sd",
    ]
    assert shown.iloc[1]["gain on the ridge, 2014"] == "reference"
    gain = cap.gain_text(table.loc["nudged"], "test")
    assert shown.iloc[0]["gain on the ridge, 2014"] == gain and gain.endswith("better")

    assert cap.verdict_lines(table) == [
        "- better than the ridge on 2013 and on 2014: nudged.",
        "- better on 2013 only: none.",
        "- better on 2014 only: none.",
        "- better on neither (a tie, or worse): none.",
        "- worse than the ridge on at least one: none.",
    ]
