"""Windows as views: bounds, gathering, scaling, sampling and what a copy would cost."""

import numpy as np
import pytest
import tensorflow as tf

from course_helpers.global_models.windows import Windows

from .panel_helpers import place, position_panel


@pytest.fixture
def positions():
    return position_panel()


def test_bounds_and_counts_keep_every_window_inside_its_series(positions):
    w = Windows(positions, window=10, horizon=5)
    first, last = w.bounds
    np.testing.assert_array_equal(first, [10, 10, 10])
    np.testing.assert_array_equal(last, [55, 85, 70])  # the targets end at the series' end
    assert len(w) == 46 + 76 + 61
    recent = Windows(positions, window=10, horizon=5, recent=20, series=[1, 2])
    np.testing.assert_array_equal(recent.bounds[0], [66, 51])
    assert len(recent) == 40


def test_a_window_that_does_not_fit_is_a_clear_error(positions):
    with pytest.raises(ValueError, match="do not fit in series S0: choose a shorter window"):
        Windows(positions, window=50, horizon=20)
    with pytest.raises(ValueError, match="level_hours"):
        Windows(positions, window=10, level_hours=11)
    positions.values[1, 3] = 0.0
    with pytest.raises(ValueError, match="every value must be above 0"):
        Windows(positions, window=10)


def test_memory_compares_a_full_copy_with_what_the_views_hold(positions):
    memory = Windows(positions, window=10, horizon=5).memory()
    assert memory["windows"] == 183
    assert memory["copy of every window"] == 183 * 15 * 4
    series_and_levels = 2 * 3 * 90 * 4  # log values and log levels, float32, padded
    bounds = 3 * (4 + 4 + 4 + 8 + 4)  # series, first, count (int32), cumulative (int64), scale
    assert memory["held (series, levels and bounds)"] == series_and_levels + bounds + 4 + 15 * 4


def test_gather_is_the_slice_of_the_series_scaled_by_the_last_inputs(positions):
    w = Windows(positions, window=10, horizon=5, level_hours=4)
    x, y, level, scale = w.gather(tf.constant([1, 2]), tf.constant([10, 40]))
    raw = positions.values[1, 0:15]
    expected_level = raw[6:10].mean()
    np.testing.assert_allclose(level[0], [expected_level], rtol=1e-6)
    np.testing.assert_allclose(x[0], np.log(raw[:10] / expected_level), atol=1e-6)
    np.testing.assert_allclose(y[0], np.log(raw[10:] / expected_level), atol=1e-6)
    np.testing.assert_allclose(scale[:, 0], [24, 24])  # the series rise by 1 an hour
    series_level = Windows(positions, window=10, horizon=5, per_series=True)
    level = series_level.gather(tf.constant([2]), tf.constant([40]))[2]
    np.testing.assert_allclose(level[0], [3000 + 37], rtol=1e-6)  # the mean of hours 0..74


def test_samples_stay_inside_the_bounds_and_cover_windows_evenly(positions):
    w = Windows(positions, window=10, horizon=5, series=[0, 2])
    x, y, level, _ = w.sample(tf.random.Generator.from_seed(0), 20000)
    assert x.shape == (20000, 10) and y.shape == (20000, 5)
    series, hour = place(np.exp(y.numpy()) * level.numpy())
    assert set(np.unique(series)) == {0, 2}
    first_target = hour[:, 0]
    for s, (first, last) in zip((0, 2), zip(*w.bounds)):
        drawn = first_target[series[:, 0] == s]
        assert drawn.min() == first and drawn.max() == last
    share = np.mean(series[:, 0] == 0)  # 46 of the 107 windows are series 0's
    assert abs(share - 46 / 107) < 0.02


def test_sample_each_draws_windows_of_every_series_in_its_own_row(positions):
    w = Windows(positions, window=10, horizon=5)
    x, y, level, _ = w.sample_each(tf.random.Generator.from_seed(1), 500)
    assert x.shape == (3, 500, 10) and y.shape == (3, 500, 5)
    series, hour = place(np.exp(y.numpy()) * level.numpy())
    np.testing.assert_array_equal(series[:, :, 0], np.broadcast_to([[0], [1], [2]], (3, 500)))
    for j, (first, last) in enumerate(zip(*w.bounds)):
        assert hour[j, :, 0].min() == first and hour[j, :, 0].max() == last


def test_last_inputs_end_where_the_panel_ends(positions):
    w = Windows(positions, window=10, horizon=5, level_hours=10)
    x, level = w.last_inputs()
    series, hour = place(np.exp(x) * level)
    np.testing.assert_array_equal(hour[:, -1], positions.lengths - 1)
    np.testing.assert_array_equal(series[:, 0], [0, 1, 2])
