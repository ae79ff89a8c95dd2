"""Lesson 8's strategies: recursive forecasts feed each hour back; intervals calibrated."""

import numpy as np
import pytest

from course_helpers import capstone as cap


class OneMore:
    """A stand-in one-hour model: the newest scaled PM2.5 in the window plus one."""

    def __init__(self, column):
        self.column = column

    def __call__(self, X, training=False):
        return X[:, -1, self.column : self.column + 1] + 1.0


def test_recursive_forecasts_feed_each_hour_back(pm_task):
    forecast = cap.recursive_forecaster(pm_task)
    column = pm_task.columns.index("pm2.5")
    out = forecast(OneMore(column), pm_task.validation)
    last = pm_task.validation.X[:, -1, column]
    np.testing.assert_allclose(out, last[:, None] + np.arange(1, 25), rtol=1e-5)
    with pytest.raises(ValueError, match="future values of dew point"):
        cap.recursive_forecaster(cap.shared_task(48, "all"))


def test_calibrated_intervals_cover_the_calibration_set():
    rng = np.random.default_rng(0)
    actual = 50 + rng.normal(size=(400, 24)) * 10
    actual[::7, 3] = np.nan  # missing hours are left out
    low, high = np.full_like(actual, 49.0), np.full_like(actual, 51.0)  # far too narrow
    calibrate = cap.calibrate_intervals(low, high, actual, level=0.8)
    intervals = calibrate(low, high)
    coverage, width = intervals.overall(actual)
    assert 0.8 <= coverage < 0.85
    assert width > 2.0
    assert (calibrate(np.zeros_like(low), high).lower == 0).all()  # PM2.5 is never negative
    table = intervals.coverage(actual)
    assert list(table.columns) == ["coverage", "width"] and len(table) == 24
