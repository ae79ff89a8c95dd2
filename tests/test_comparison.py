"""Paired comparisons of two forecasts with a moving-block bootstrap over days.

The scores are checked against plain NumPy; the interval against what it claims: under no real
difference it covers 0 about as often as its level says, and a real, steady gain is found.
"""

import numpy as np
import pytest

from course_helpers.comparison import (
    block_bootstrap_indices,
    bootstrap_difference,
    compare_forecasts,
    comparison_table,
)


def test_blocks_are_runs_of_consecutive_days_inside_the_data():
    positions = block_bootstrap_indices(30, 7, 50, seed=1)
    assert positions.shape == (50, 30)
    assert positions.min() >= 0 and positions.max() <= 29
    for row in positions:
        for start in range(0, 28, 7):  # every full run of 7 counts up by one
            run = row[start : start + 7]
            assert np.array_equal(np.diff(run), np.ones(len(run) - 1)), run


def test_block_of_one_is_the_ordinary_bootstrap_and_the_seed_repeats_it():
    a = block_bootstrap_indices(10, 1, 200, seed=3)
    assert np.array_equal(a, block_bootstrap_indices(10, 1, 200, seed=3))
    assert len(np.unique(a)) == 10  # every day is drawn somewhere
    assert not np.array_equal(a, block_bootstrap_indices(10, 1, 200, seed=4))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_units": 1, "block": 1}, "at least 2 units"),
        ({"n_units": 10, "block": 11}, "from 1 to 10"),
        ({"n_units": 10, "block": 0}, "from 1 to 10"),
    ],
)
def test_bad_blocks_say_what_to_change(kwargs, message):
    with pytest.raises(ValueError, match=message):
        block_bootstrap_indices(n_boot=5, **kwargs)


def test_scores_match_plain_numpy_and_skip_unobserved_values():
    rng = np.random.default_rng(0)
    truth = rng.normal(50, 10, size=(40, 24))
    forecast, reference = truth + rng.normal(0, 3, truth.shape), truth + 5.0
    actual = truth.copy()
    actual[3, 5] = actual[10, :] = np.nan  # not observed: scored for neither forecast
    observed = ~np.isnan(actual)
    expected = np.sqrt(np.mean((forecast - actual)[observed] ** 2))
    result = compare_forecasts(actual, forecast, reference)
    assert result.score == pytest.approx(expected)
    assert result.reference_score == pytest.approx(5.0)
    assert result.difference == pytest.approx(5.0 - expected)
    mae = compare_forecasts(actual, forecast, reference, measure="mae")
    assert mae.score == pytest.approx(np.mean(np.abs(forecast - actual)[observed]))
    assert mae.measure == "MAE"


def test_the_same_forecast_twice_is_a_tie_with_no_width():
    actual = np.arange(20.0)
    result = compare_forecasts(actual, actual + 1, actual + 1)
    assert (result.difference, result.low, result.high) == (0.0, 0.0, 0.0)
    assert result.verdict == "tie"


def test_a_steady_gain_is_found_and_its_mirror_is_worse():
    rng = np.random.default_rng(1)
    actual = rng.normal(0, 1, 365)
    good, poor = actual + rng.normal(0, 1, 365), actual + rng.normal(0, 2, 365)
    assert compare_forecasts(actual, good, poor).verdict == "better"
    worse = compare_forecasts(actual, poor, good, names=("poor", "good"))
    assert worse.verdict == "worse" and worse.high < 0
    assert str(worse).startswith("poor vs good: RMSE") and str(worse).endswith(": worse")


def test_under_no_difference_the_interval_covers_zero_about_as_often_as_it_claims():
    """Two forecasts with errors of the same size, correlated from day to day (AR(1), 0.6)."""
    rng = np.random.default_rng(2)
    covered, trials = 0, 200
    for trial in range(trials):
        noise = rng.normal(size=(2, 200))
        errors = np.empty_like(noise)
        errors[:, 0] = noise[:, 0]
        for day in range(1, 200):
            errors[:, day] = 0.6 * errors[:, day - 1] + noise[:, day]
        result = compare_forecasts(np.zeros(200), errors[0], errors[1], n_boot=400, seed=trial)
        covered += result.low <= 0 <= result.high
    assert 0.85 <= covered / trials <= 0.995, covered / trials


def test_a_generic_statistic_over_series_resamples_them():
    """OWA-like: a ratio of means over series, each series drawn whole (block 1)."""
    rng = np.random.default_rng(3)
    ours, naive = rng.gamma(2, 1, 100), rng.gamma(2, 1.5, 100)

    def statistic(positions):
        return ours[positions].mean(axis=-1), naive[positions].mean(axis=-1)

    score, reference, difference, low, high = bootstrap_difference(statistic, 100, block=1)
    assert (score, reference) == pytest.approx((ours.mean(), naive.mean()))
    assert difference == pytest.approx(naive.mean() - ours.mean())
    assert low < difference < high


def test_bad_inputs_get_messages():
    actual = np.zeros((10, 3))
    with pytest.raises(ValueError, match="one row per day"):
        compare_forecasts(actual, np.zeros((10, 2)), actual)
    with pytest.raises(ValueError, match="contains NaN"):
        compare_forecasts(actual, np.full((10, 3), np.nan), actual)
    with pytest.raises(ValueError, match="measure must be one of"):
        compare_forecasts(actual, actual, actual, measure="mape")
    with pytest.raises(ValueError, match="level must be between"):
        compare_forecasts(actual, actual, actual, level=95)
    with pytest.raises(ValueError, match="nothing to score"):
        compare_forecasts(np.full((10, 3), np.nan), actual, actual)


def test_a_table_compares_every_forecast_with_one_reference():
    rng = np.random.default_rng(3)
    actual = rng.normal(size=(120, 4))
    forecasts = {
        "reference": actual + rng.normal(size=(120, 4)),
        "close": actual + 0.5 * rng.normal(size=(120, 4)),
        "far": actual + 3 * rng.normal(size=(120, 4)),
    }
    table = comparison_table(actual, forecasts, "reference", block=5)
    assert list(table.index) == ["close", "far"]
    assert list(table["verdict"]) == ["better", "worse"]
    alone = compare_forecasts(actual, forecasts["far"], forecasts["reference"], block=5)
    assert table.loc["far", "gain"] == pytest.approx(alone.difference)
    assert table.loc["far", "95% low"] == pytest.approx(alone.low)
    with pytest.raises(ValueError, match="not one of the forecasts"):
        comparison_table(actual, forecasts, "ridge")
