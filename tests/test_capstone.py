"""Lesson 8's networks, strategies, intervals and explorer (the data protocol: test_air_quality)."""

import keras
import numpy as np
import pytest
from keras import layers

from course_helpers import capstone as cap


@pytest.fixture(scope="module")
def task():
    return cap.shared_task(48, "all")


@pytest.fixture(scope="module")
def pm_task():
    return cap.AirQualityTask(window=24, inputs="pm2.5 + calendar", train_every=24)


def test_ridge_layer_is_the_ridge_inside_a_network(task):
    ridge, _ = cap.fit_ridge(task)
    inputs = keras.Input((task.window, task.n_inputs))
    model = keras.Model(inputs, cap.ridge_layer(ridge, task)(layers.Flatten()(inputs)))
    forecast = task.unscale(cap.predict(model, task.validation.X))
    np.testing.assert_allclose(forecast, ridge.predict(task.validation.X), atol=1e-2)
    assert not model.trainable_weights  # frozen
    with pytest.raises(ValueError, match="Fit the ridge"):
        cap.ridge_layer(cap.Ridge(), task)


def test_train_network_is_reproducible_and_lets_the_training_copy_go(pm_task):
    first = cap.train_network(cap.build_mlp, pm_task, seeds=(0, 1), epochs=2)
    again = cap.train_network(cap.build_mlp, pm_task, seeds=(0, 1), epochs=2)
    np.testing.assert_array_equal(first.forecasts("validation"), again.forecasts("validation"))
    assert first.forecasts("test").shape == (2, len(pm_task.test), 24)
    assert "_course_runner" not in first.model.__dict__
    assert first.summary()["sd"] > 0
    with pytest.raises(ValueError, match="validation"):
        first.forecasts("train")


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


def test_pinball_loss_weighs_each_side_by_its_quantile():
    loss = cap.pinball_loss((0.1, 0.9))
    y = np.zeros((1, 1), "float32")
    under = np.full((1, 1, 2), -1.0, "float32")  # forecast below the truth by 1
    assert float(loss(y, under)) == pytest.approx((0.1 + 0.9) / 2)
    over = np.full((1, 1, 2), 1.0, "float32")
    assert float(loss(y, over)) == pytest.approx((0.9 + 0.1) / 2)


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


def test_explorer_scores_validation_unless_the_test_year_is_asked_for():
    explorer = cap.CapstoneExplorer("mlp", inputs="pm2.5")
    explorer.epochs.value = 1
    record = explorer.run()
    assert record["period"] == "validation"
    assert record["rmse"] > 0 and record["ridge rmse"] > 0
    assert explorer.output.outputs  # the plot
    explorer.test_year.value = True
    assert explorer.run()["period"] == "test"
    assert len(explorer.history) == 2
    explorer.network.value = "lstm"
    assert explorer.epochs.value == cap.NETWORKS["lstm"].epochs
    assert explorer.epochs.max == 3  # a retrain stays within seconds
    with pytest.raises(ValueError, match="Unknown network"):
        cap.CapstoneExplorer("seq2seq")
