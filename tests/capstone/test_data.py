"""Lesson 8's data protocol: no leakage, views not copies, the past-only fill."""

import numpy as np
import pandas as pd
import pytest

from course_helpers.capstone.data import (
    HORIZON,
    INPUT_SETS,
    AirQualityTask,
    FeatureScaler,
    make_features,
    past_fill,
    period_mask,
    shared_task,
)


def test_past_fill_uses_only_the_past():
    filled, missing = past_fill([np.nan, 1.0, np.nan, np.nan, 4.0, np.nan])
    np.testing.assert_array_equal(missing, [1, 0, 1, 1, 0, 1])
    assert np.isnan(filled[0])  # nothing before it: not filled from the future
    np.testing.assert_array_equal(filled[1:], [1, 1, 1, 4, 4])


def test_scaling_statistics_come_from_the_training_years_only(frame, task):
    features = make_features(frame)
    train = features[period_mask(frame.index, "train")]
    assert task.scaler.mean["pm2.5"] == pytest.approx(train["pm2.5"].mean())
    assert task.scaler.mean["temperature"] == pytest.approx(train["temperature"].mean())
    # changing the validation and test years changes nothing in the statistics
    altered = frame.copy()
    later = ~period_mask(frame.index, "train")
    altered.loc[later, "TEMP"] += 100.0
    altered.loc[later, "pm2.5"] *= 3
    other = AirQualityTask(window=48, inputs="all", frame=altered)
    pd.testing.assert_series_equal(other.scaler.mean, task.scaler.mean)


def test_a_later_value_never_reaches_an_earlier_input(frame, task):
    altered = frame.copy()
    cut = task.validation.origins[100]
    altered.loc[altered.index >= cut, ["pm2.5", "TEMP", "DEWP"]] = 999.0
    other = AirQualityTask(window=48, inputs="all", frame=altered)
    np.testing.assert_array_equal(other.validation.X[:101], task.validation.X[:101])


def test_unscaled_columns_and_the_fill_before_the_first_observation():
    features = pd.DataFrame({"pm2.5": [np.nan, 2.0, 4.0], "pm2.5 missing": [1.0, 0.0, 0.0]})
    scaler = FeatureScaler().fit(features)
    values = scaler.transform(features)
    assert values[0, 0] == 0.0  # no past value: the training mean
    np.testing.assert_array_equal(values[:, 1], [1, 0, 0])  # the indicator is not scaled
    with pytest.raises(ValueError, match="Fit the scaler"):
        FeatureScaler().transform(features)


def test_windows_are_views_of_the_feature_table(task):
    assert np.shares_memory(task.validation.X, task.values)
    assert np.shares_memory(task.test.X, task.values)
    assert task.validation.X.shape == (365, 48, len(INPUT_SETS["all"]))
    assert task.memory()["windows share the table's memory"]


def test_shared_task_is_one_task_however_it_is_asked_for(task):
    """Keyword and positional calls share one task, so its training windows exist once."""
    assert shared_task(window=48, inputs="all") is task
    assert shared_task(48, inputs="all") is task


def test_each_window_ends_the_hour_before_its_origin(task):
    windows = task.validation
    position = task.index.get_loc(windows.origins[5])
    np.testing.assert_array_equal(windows.X[5], task.values[position - 48 : position])
    np.testing.assert_array_equal(windows.y[5], task.pm[position : position + HORIZON])
    assert (windows.origins.hour == 0).all()
    assert windows.origins[0] == pd.Timestamp("2013-01-01")


def test_training_targets_stay_inside_the_training_years_and_are_observed(task):
    last_target = task.train.origins[-1] + pd.Timedelta(hours=HORIZON - 1)
    assert last_target.year == 2012
    assert not np.isnan(task.train.y).any()
    assert len(task.train) > 20000  # an origin every hour


def test_midnight_training_origins(frame):
    midnights = AirQualityTask(window=24, inputs="pm2.5", train_every=24, frame=frame)
    assert (midnights.train.origins.hour == 0).all()
    assert midnights.n_features == 2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"inputs": "rain"}, "Unknown inputs"),
        ({"window": 0}, "window must be"),
        ({"train_every": 5}, "train_every must divide 24"),
    ],
)
def test_bad_settings_get_a_clear_message(frame, kwargs, message):
    with pytest.raises(ValueError, match=message):
        AirQualityTask(frame=frame, **kwargs)
