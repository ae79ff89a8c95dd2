"""Data the exercise tests share: the births series, its windows, training data, honest forecasts.

The helper ``assert_says`` is in ``exercise_helpers.py`` next to this file.
"""

from types import SimpleNamespace

import pytest

from course_helpers import (
    ForecastTask,
    Scaler,
    load_series,
    make_windows,
    moving_average,
    train_test_split,
)


@pytest.fixture(scope="module")
def births():
    return load_series()


@pytest.fixture(scope="module")
def windows(births):
    return make_windows(births, 7)  # (358, 7), (358,)


@pytest.fixture(scope="module")
def prepared(births):
    train, test = train_test_split(births, 100)
    scaler = Scaler().fit(train)
    X_train, y_train = make_windows(scaler.transform(train), 7)
    return SimpleNamespace(train=train, test=test, scaler=scaler, X=X_train, y=y_train)


@pytest.fixture(scope="module")
def honest(births):
    """Walk-forward forecasts that beat persistence without any model: a 7-day moving average."""
    return moving_average(births, 7)  # RMSE 7.049 on the test days


@pytest.fixture(scope="module")
def task():
    """The births task with the lessons' 7-day window: scaled training windows, test days."""
    return ForecastTask(7)
