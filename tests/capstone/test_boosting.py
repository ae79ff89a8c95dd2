"""Lesson 8's gradient-boosted trees: features from the past only, one model per hour ahead."""

import numpy as np
import pytest

from course_helpers import capstone as cap
from course_helpers.capstone.boosting import LAGS


def test_features_read_only_hours_before_the_origin(task):
    """Row p holds PM2.5 p - k hours back, and changing hour p or later changes nothing in it."""
    table = cap.tabular_features(task)
    p = task.index.get_loc(task.validation.origins[10])
    for lag in LAGS:
        assert table[f"pm2.5 {lag} h before"].iloc[p] == pytest.approx(task.pm_filled[p - lag])
    assert table["pm2.5 mean of the last 24 h"].iloc[p] == pytest.approx(
        task.pm_filled[p - 24 : p].mean()
    )
    changed = cap.AirQualityTask(window=48, inputs="all")
    changed.values = changed.values.copy()
    changed.values[p:] += 7.0  # every input from the origin on
    changed.pm_filled = changed.pm_filled + np.where(np.arange(len(task.index)) >= p, 100.0, 0)
    after = cap.tabular_features(changed)
    np.testing.assert_array_equal(after.iloc[: p + 1].to_numpy(), table.iloc[: p + 1].to_numpy())
    assert not np.allclose(after.iloc[p + 1].to_numpy(), table.iloc[p + 1].to_numpy())


def test_trees_forecast_every_hour_ahead_through_to_pm(pm_task):
    settings = cap.BoostingSettings(max_iter=5)
    trees = cap.fit_boosted(pm_task, settings)
    assert cap.fit_boosted(pm_task, settings) is trees  # kept on the task
    assert len(trees.models) == cap.HORIZON
    scaled = trees.predict(pm_task, pm_task.validation)
    assert scaled.shape == (len(pm_task.validation), cap.HORIZON)
    staged = trees.staged_predict(pm_task, pm_task.validation)
    assert staged.shape == (5, len(pm_task.validation), cap.HORIZON)
    np.testing.assert_allclose(staged[-1], scaled)
    again = cap.BoostedTrees(settings).fit(pm_task).predict(pm_task, pm_task.validation)
    np.testing.assert_array_equal(again, scaled)  # the same trees every time
    forecast = pm_task.to_pm(scaled)
    persistence = cap.score(cap.persistence_24(pm_task.validation), pm_task.validation.y).rmse
    assert forecast.min() >= 0 and cap.score(forecast, pm_task.validation.y).rmse < persistence
    with pytest.raises(ValueError, match="Fit the trees first"):
        cap.BoostedTrees().predict(pm_task, pm_task.validation)
