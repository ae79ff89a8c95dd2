"""Lesson 9's networks: shapes, the seasonal-naive start, and local models as independent nets."""

import keras
import numpy as np
import pytest

from course_helpers.global_models import models
from course_helpers.global_models.training import LOSSES, _apply_step


def test_repeat_last_day_is_seasonal_naive_in_scaled_units():
    x = np.arange(60.0, dtype="float32")[None]  # (1, 60)
    out = np.asarray(models.RepeatLastDay(horizon=48)(x))
    np.testing.assert_array_equal(out[0], np.tile(np.arange(36.0, 60), 2))


@pytest.mark.parametrize("build", [models.build_mlp, models.build_nbeats])
def test_networks_map_a_window_to_the_horizon_and_start_from_seasonal_naive(build):
    model = build(72, units=16)
    x = np.random.default_rng(0).normal(size=(5, 72)).astype("float32")
    assert model(x).shape == (5, 48)
    for w in model.trainable_variables:  # all weights zero: only the skip is left
        w.assign(np.zeros(w.shape))
    np.testing.assert_allclose(model(x), np.tile(x[:, -24:], 2), atol=1e-6)
    without = build(72, units=16, repeat_last_day=False)
    for w in without.trainable_variables:
        w.assign(np.zeros(w.shape))
    np.testing.assert_array_equal(without(x), np.zeros((5, 48)))


def test_nbeats_blocks_have_a_backcast_and_a_forecast_head():
    model = models.build_nbeats(72, blocks=3, units=16, depth=2)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    heads = sorted(layer.units for layer in dense if layer.units != 16)
    assert heads == [48, 48, 48, 72, 72]  # the last block's backcast would feed nothing
    assert sum(isinstance(layer, keras.layers.Subtract) for layer in model.layers) == 2


def test_matmul_flops_count_six_operations_per_kernel_weight():
    model = models.build_mlp(10, horizon=4, units=8, depth=2)
    assert models.matmul_flops(model) == 6 * (10 * 8 + 8 * 8 + 8 * 4)


def local_and_singles(n_series=3, window=30, units=8):
    """A local model of ``n_series`` and one single-series local model per series, same weights."""
    keras.utils.set_random_seed(0)
    local = models.build_local_mlp(n_series, window, units=units)
    singles = []
    for j in range(n_series):
        single = models.build_local_mlp(1, window, units=units)
        for target, source in zip(single.trainable_variables, local.trainable_variables):
            target.assign(np.asarray(source)[j : j + 1])
        singles.append(single)
    return local, singles


def test_a_local_model_forecasts_each_series_with_its_own_weights_only():
    local, singles = local_and_singles()
    x = np.random.default_rng(1).normal(size=(3, 4, 30)).astype("float32")  # (series, windows, 30)
    together = np.asarray(local(x))  # (3, 4, 48)
    for j, single in enumerate(singles):
        np.testing.assert_allclose(together[j], np.asarray(single(x[j : j + 1]))[0], atol=1e-5)
    changed = x.copy()
    changed[0] += 1  # other windows for series 0 change series 0's forecasts only
    np.testing.assert_array_equal(np.asarray(local(changed))[1:], together[1:])


def test_series_dense_kernels_start_like_dense_kernels():
    layer = models.SeriesDense(50, 100)
    layer.build((50, None, 168))
    limit = np.sqrt(6 / (168 + 100))  # Glorot uniform for one (168, 100) kernel
    kernel = np.asarray(layer.kernel)
    assert kernel.shape == (50, 168, 100) and np.abs(kernel).max() <= limit
    assert np.abs(kernel).max() > 0.95 * limit


def test_training_a_local_model_is_training_each_series_network_alone():
    local, singles = local_and_singles()
    rng = np.random.default_rng(2)
    batches = [
        (
            rng.normal(size=(3, 8, 30)).astype("float32"),
            rng.normal(size=(3, 8, 48)).astype("float32") * 0.1,
            rng.uniform(1, 2, size=(3, 8, 1)).astype("float32"),
            rng.uniform(1, 2, size=(3, 8, 1)).astype("float32"),
        )
        for _ in range(5)
    ]
    loss = LOSSES["sMAPE + MASE"]
    optimizer = keras.optimizers.Adam(1e-2)
    start = np.asarray(local.trainable_variables[0]).copy()
    for batch in batches:
        _apply_step(local, optimizer, batch, loss, local=True)
    for j, single in enumerate(singles):
        alone = keras.optimizers.Adam(1e-2)
        for batch in batches:
            _apply_step(single, alone, tuple(b[j : j + 1] for b in batch), loss, local=True)
        for mine, theirs in zip(single.trainable_variables, local.trainable_variables):
            np.testing.assert_allclose(np.asarray(mine)[0], np.asarray(theirs)[j], atol=1e-5)
    assert np.abs(np.asarray(local.trainable_variables[0]) - start).max() > 1e-3  # they moved
