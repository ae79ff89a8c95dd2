"""M4 Hourly as a Panel, and the protocol: validation never reads the test file or its 48 hours."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_helpers.global_models import data, metrics, models, training
from course_helpers.global_models.data import Panel
from course_helpers.global_models.windows import Windows

from .panel_helpers import place, position_panel


@pytest.fixture(scope="module")
def m4():
    return data.load_m4_hourly()


@pytest.fixture
def positions():
    return position_panel()


def test_m4_hourly_has_414_series_of_700_or_960_hours(m4):
    assert len(m4) == 414 and m4.values.shape == (414, 960)
    assert m4.names[:2] == ("H1", "H2") and set(m4.lengths) == {700, 960}
    assert np.isfinite(m4.series(0)).all() and np.isnan(m4.values[0, m4.lengths[0] :]).all()
    assert data.load_test(m4).shape == (414, 48)


def test_a_panel_checks_its_shapes():
    with pytest.raises(ValueError, match="one length and one name per series"):
        Panel(np.zeros((2, 5)), np.array([5]), ("a", "b"))
    with pytest.raises(ValueError, match="between 1 and the width"):
        Panel(np.zeros((1, 5)), np.array([6]), ("a",))


def test_the_validation_split_holds_out_the_last_48_hours_of_each_series(positions):
    history, targets = data.validation_split(positions, horizon=5)
    np.testing.assert_array_equal(history.lengths, positions.lengths - 5)
    for i, n in enumerate(positions.lengths):
        np.testing.assert_array_equal(targets[i], positions.series(i)[-5:])
        np.testing.assert_array_equal(history.series(i), positions.series(i)[:-5])
        assert np.isnan(history.values[i, n - 5 :]).all()
    np.testing.assert_array_equal(positions.last(5), targets)  # the panel itself is unchanged


def test_training_windows_for_validation_never_reach_the_held_out_hours():
    full = position_panel(lengths=(700, 960, 820))
    history, _ = data.validation_split(full)  # 48 hours held out
    windows = Windows(history, window=168)
    x, y, level, _ = windows.sample(tf.random.Generator.from_seed(0), 50000)
    series, hour = place(np.exp(y.numpy()) * level.numpy())
    latest = np.array(full.lengths)[series[:, 0]] - 48  # the first held-out hour of each
    assert (hour < latest[:, None]).all()
    assert (hour[:, -1] == latest[:, None][:, 0] - 1).any()  # and they do reach up to it
    x_series, x_hour = place(np.exp(x.numpy()) * level.numpy())
    assert (x_hour < latest[:, None]).all()
    inputs, level = windows.last_inputs()  # the validation forecast reads the history's end
    np.testing.assert_array_equal(place(np.exp(inputs) * level)[1][:, -1], full.lengths - 49)


def test_the_validation_score_is_computed_without_the_test_file(m4, monkeypatch):
    def no_test_file(name, **kwargs):
        if name == data.TEST:
            raise AssertionError("validation read the test file")
        return original(name, **kwargs)

    original = data.load_frame
    monkeypatch.setattr(data, "load_frame", no_test_file)
    history, actual = data.validation_split(data.load_m4_hourly())
    windows = Windows(history, window=168, series=np.arange(0, 414, 40))
    keras.utils.set_random_seed(0)
    model = models.build_mlp(168, units=8)
    training.train(model, windows, epochs=0.05)
    forecast = training.forecast(model, Windows(history, window=168))
    reference = metrics.score(history, actual, metrics.naive2(history))
    assert np.isfinite(metrics.score(history, actual, forecast, reference).owa)
    with pytest.raises(AssertionError, match="validation read the test file"):
        data.load_test(history)
