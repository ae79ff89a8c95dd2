"""Data the capstone tests share: the hourly table and the tasks of lesson 8."""

import pytest

from course_helpers import capstone as cap


@pytest.fixture(scope="module")
def frame():
    """The pollution dataset, hourly 2010-2014."""
    return cap.load_air_quality()


@pytest.fixture(scope="module")
def task():
    """The lesson's task: 48 hours of every input (built once per process, as in the lesson)."""
    return cap.shared_task(48, "all")


@pytest.fixture(scope="module")
def pm_task():
    """A small task: 24 hours of PM2.5 and calendar, a training origin every midnight."""
    return cap.AirQualityTask(window=24, inputs="pm2.5 + calendar", train_every=24)
