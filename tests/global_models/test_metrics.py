"""M4's measures and benchmarks: small cases checked by hand, then the published Hourly rows."""

import numpy as np
import pytest

from course_helpers.global_models import data, metrics
from course_helpers.global_models.data import Panel


def panel(*series):
    """A Panel of the given series, padded with NaN to the longest."""
    width = max(len(s) for s in series)
    values = np.full((len(series), width), np.nan)
    for i, s in enumerate(series):
        values[i, : len(s)] = s
    return Panel(
        values, np.array([len(s) for s in series]), tuple(f"S{i}" for i in range(len(series)))
    )


def test_smape_by_hand():
    # |100 - 110| * 200 / 210 = 9.5238...; an exact forecast scores 0; 0 against 10 scores 200
    np.testing.assert_allclose(metrics.smape([100, 50, 10], [110, 50, 0]), [2000 / 210, 0, 200])


def test_mase_scale_is_the_mean_seasonal_difference_of_each_series_without_its_padding():
    short, long = [1.0, 2, 4, 8], [5.0, 5, 6, 6, 9, 9]
    scale = metrics.mase_scale(panel(short, long), period=2)
    # short: |4 - 1|, |8 - 2| -> 4.5; long: 1, 1, 3, 3 -> 2
    np.testing.assert_allclose(scale, [4.5, 2.0])


def test_score_divides_absolute_errors_by_the_scale_and_gives_owa_against_naive2():
    history = panel([1.0, 2, 4, 8], [5.0, 5, 6, 6, 9, 9])  # scales 4.5 and 2 at period 2
    actual = np.array([[10.0, 10], [10, 10]])
    forecast = np.array([[10.0, 19], [12, 10]])  # errors 0 and 9, then 2 and 0
    s = metrics.score(history, actual, forecast, period=2)
    np.testing.assert_allclose(s.mase_points, [[0, 2], [1, 0]])
    np.testing.assert_allclose(s.by_horizon()["mase"], [0.5, 1])
    np.testing.assert_allclose(s.by_series()["smape"], [200 * 9 / 29 / 2, 200 * 2 / 22 / 2])
    assert s.owa is None
    reference = metrics.Score(np.full((2, 2), 2 * s.smape), np.full((2, 2), 4 * s.mase))
    owa = metrics.score(history, actual, forecast, reference, period=2).owa
    assert owa == pytest.approx((1 / 2 + 1 / 4) / 2)
    with pytest.raises(ValueError, match="one row per series"):
        metrics.score(history, actual[:1], forecast[:1])
    with pytest.raises(ValueError, match="NaN"):
        metrics.score(history, actual, forecast * np.nan)


def test_mase_by_hand_with_period_24():
    hours = np.arange(72.0)
    x = (
        100 + 10 * (hours % 24 == 0) + hours
    )  # a step at midnight on a trend: every lag-24 diff is 24
    history = panel(x)
    assert metrics.mase_scale(history)[0] == pytest.approx(24)
    s = metrics.score(history, [[200.0, 200]], [[212.0, 176]])
    assert s.mase == pytest.approx((12 / 24 + 24 / 24) / 2)


def test_naive_and_seasonal_naive_repeat_the_end_of_each_series():
    history = panel(np.arange(30.0), np.arange(100.0, 126))
    np.testing.assert_array_equal(metrics.naive(history, 3), [[29, 29, 29], [125, 125, 125]])
    sn = metrics.seasonal_naive(history, horizon=30)
    np.testing.assert_array_equal(sn[0, :24], np.arange(6.0, 30))
    np.testing.assert_array_equal(sn[0, 24:], np.arange(6.0, 12))
    np.testing.assert_array_equal(sn[1, :3], [102, 103, 104])


def test_acf_and_seasonality_limit_by_hand():
    x = np.array([1.0, 3, 2, 5, 1, 4, 2, 6, 1, 3, 2, 5, 2, 4, 2, 6])
    c = x - x.mean()
    r = [sum(c[t] * c[t + k] for t in range(16 - k)) / sum(c * c) for k in (1, 2, 3, 4)]
    np.testing.assert_allclose(metrics._acf(x, 4), r)
    # period 2 on 16 values: 3 seasons fit, lag 2 <= 10 log10(16) = 12; limit from lag 1 only
    limit = 1.645 / 4 * np.sqrt(1 + 2 * r[0] ** 2)
    assert metrics.seasonality_test(x, period=2) == (abs(r[1]) > limit)


def test_seasonality_test_finds_a_daily_cycle_and_not_noise():
    hours = np.arange(24 * 20)
    rng = np.random.default_rng(0)
    daily = 100 + 20 * np.sin(2 * np.pi * hours / 24) + rng.normal(0, 1, len(hours))
    assert metrics.seasonality_test(daily)
    assert not metrics.seasonality_test(100 + rng.normal(0, 1, len(hours)))
    assert not metrics.seasonality_test(daily[:71])  # under three days: not tested
    # R's acf stops at lag 10 log10(n): 23 for 240 hours, so lag 24 is never tested there
    assert metrics.seasonality_test(daily[:288]) and not metrics.seasonality_test(daily[:240])


def test_seasonal_indices_recover_a_multiplicative_season():
    for season in ([0.5, 1.5, 1.2, 0.8], [0.7, 1.1, 1.2]):  # an even and an odd period
        period = len(season)
        x = 10 * np.tile(season, 10)[:30]  # a constant trend of 10
        np.testing.assert_allclose(metrics.seasonal_indices(x, period), season, rtol=1e-12)
    with pytest.raises(ValueError, match="two seasons"):
        metrics.seasonal_indices(np.ones(7), 4)


def test_naive2_divides_the_last_value_by_its_index_and_multiplies_the_next_ones_in():
    hours = np.arange(24 * 12 + 5)
    season = 1 + 0.5 * np.sin(2 * np.pi * np.arange(24) / 24)
    x = 50 * season[hours % 24] * (1 + 0.001 * hours)  # seasonal, slow trend
    history = panel(x, 7.0 + np.arange(60) % 24)  # the second is too short to be tested
    figure = metrics.seasonal_indices(x)
    expected = x[-1] / figure[(len(x) - 1) % 24] * figure[(len(x) + np.arange(30)) % 24]
    forecasts = metrics.naive2(history, horizon=30)
    np.testing.assert_allclose(forecasts[0], expected)
    np.testing.assert_array_equal(forecasts[1], np.full(30, history.series(1)[-1]))


PUBLISHED = {  # M4 Hourly, sMAPE / MASE (organisers' table; the lesson's published.py cites it)
    "Naive": (43.003, 11.608),
    "seasonal naive": (13.912, 1.193),
    "Naive2": (18.383, 2.395),
}


def test_the_three_benchmark_rows_match_the_published_table_to_three_decimals():
    history = data.load_m4_hourly()
    scores = metrics.benchmarks(history, data.load_test(history))
    for name, (smape, mase) in PUBLISHED.items():
        assert round(scores[name].smape, 3) == smape, name
        assert round(scores[name].mase, 3) == mase, name
    assert scores["Naive2"].owa == 1.0


def test_owa_difference_is_the_difference_of_owas_with_an_interval_over_series():
    rng = np.random.default_rng(0)
    history = panel(*[100 + 10 * rng.random(60) for _ in range(30)])
    actual = 100 + 10 * rng.random((30, 4))
    good, bad, naive = (
        actual + rng.normal(0, 1, (30, 4)),
        actual + rng.normal(0, 3, (30, 4)),
        actual + 5,
    )
    reference = metrics.score(history, actual, naive, period=2)
    a = metrics.score(history, actual, good, reference, period=2)
    b = metrics.score(history, actual, bad, reference, period=2)
    difference, low, high = metrics.owa_difference(a, b, reference)
    assert difference == pytest.approx(a.owa - b.owa)
    assert low < difference < high < 0  # clearly better, and the interval says so
    assert metrics.owa_difference(a, a, reference) == (0.0, 0.0, 0.0)
    again = metrics.owa_difference(a, b, reference)
    assert again == (difference, low, high)  # seeded
