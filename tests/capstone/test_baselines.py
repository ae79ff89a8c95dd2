"""Lesson 8's scores and baselines: missing targets never scored, ridge chosen on validation."""

import numpy as np
import pandas as pd
import pytest

from course_helpers.capstone.baselines import (
    Ridge,
    baseline_forecasts,
    fit_ridge,
    hourly_mean,
    persistence_24,
    same_hour_yesterday,
    score,
)
from course_helpers.capstone.data import HORIZON


def test_missing_targets_are_never_scored():
    actual = np.array([[1.0, np.nan], [3.0, 5.0]])
    forecast = np.array([[2.0, 1000.0], [3.0, 7.0]])
    result = score(forecast, actual)
    assert result.by_horizon["rmse"].tolist() == pytest.approx([np.sqrt(0.5), 2.0])
    assert result.by_horizon["hours scored"].tolist() == [2, 1]
    assert result.rmse == pytest.approx(np.sqrt(5 / 3))
    with pytest.raises(ValueError, match="shape"):
        score(forecast[:, :1], actual)


def test_persistence_repeats_the_last_value_observed(task):
    windows = task.validation
    forecast = persistence_24(windows)
    position = task.index.get_loc(windows.origins[3])
    last_seen = pd.Series(task.pm[:position]).dropna().iloc[-1]
    assert (forecast[3] == last_seen).all()
    np.testing.assert_array_equal(
        same_hour_yesterday(windows)[3], task.pm_filled[position - 24 : position]
    )


def test_hourly_mean_follows_the_hour_of_day(task):
    forecast = hourly_mean(task, task.validation)
    assert forecast.shape == (365, HORIZON)
    np.testing.assert_array_equal(forecast[0], forecast[1])  # every midnight origin alike


def test_ridge_recovers_a_linear_rule_and_is_chosen_on_validation(task):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4, 2))
    y = X.reshape(300, -1) @ rng.normal(size=(8, 3)) + 5.0
    np.testing.assert_allclose(Ridge(0.0).fit(X, y).predict(X), y, atol=1e-8)
    with pytest.raises(ValueError, match="NaN"):
        Ridge().fit(X, np.full((300, 3), np.nan))
    best, by_alpha = fit_ridge(task)
    assert by_alpha[best.alpha] == min(by_alpha.values())


def test_every_baseline_forecast_is_clipped_at_zero(task):
    """PM2.5 is never negative: the ridge forecasts below 0 unclipped, never once clipped."""
    ridge, _ = fit_ridge(task)
    scaled = ridge.predict(task.validation.X)
    assert (task.to_pm(scaled, clip=False) < 0).sum() > 100  # 280 of the 8,760 hours of 2013
    for name, forecast in baseline_forecasts(task, "validation", ridge).items():
        assert forecast.min() >= 0, name
    clipped = baseline_forecasts(task, "validation", ridge)["linear autoregression (ridge)"]
    np.testing.assert_array_equal(clipped, np.maximum(task.to_pm(scaled, clip=False), 0))


def test_the_ridge_on_scaled_targets_is_the_ridge_in_micrograms(task):
    """Fitting the scaled target and unscaling gives the fit of the raw target (ridge is linear
    in its targets and does not penalise the intercept)."""
    X, y = task.train.X[::20], task.train.y[::20]
    raw = Ridge(10.0).fit(X, y).predict(task.validation.X)
    scaled = Ridge(10.0).fit(X, task.scale(y)).predict(task.validation.X)
    np.testing.assert_allclose(task.to_pm(scaled, clip=False), raw, atol=1e-3)
