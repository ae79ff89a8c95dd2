"""Training on sampled windows: the losses, reproducibility, and forecasts in the data's units."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_helpers.global_models import data, metrics, models, training
from course_helpers.global_models.windows import Windows

from .panel_helpers import daily_panel


def test_losses_are_the_m4_measures_of_the_unscaled_values():
    y_data, f_data, level, scale = np.array([[120.0, 80]]), np.array([[100.0, 100]]), 90.0, 7.0
    y, o = np.log(y_data / level), np.log(f_data / level)  # what the network sees and outputs
    args = [tf.constant(v, tf.float64) for v in (y, o, [[level]], [[scale]])]
    np.testing.assert_allclose(training.LOSSES["sMAPE"](*args), metrics.smape(y_data, f_data) / 100)
    np.testing.assert_allclose(training.LOSSES["MASE"](*args), [[20 / 7, 20 / 7]])
    np.testing.assert_allclose(training.LOSSES["log MAE"](*args), np.abs(y - o))


@pytest.fixture(scope="module")
def split():
    return data.validation_split(daily_panel(), horizon=24)


@pytest.fixture(scope="module")
def windows(split):
    return Windows(split[0], window=48, horizon=24)


def fitted(windows, seed=0, **kwargs):
    keras.utils.set_random_seed(seed)
    model = models.build_mlp(48, horizon=24, units=16, repeat_last_day=False)
    run = training.train(model, windows, 5, batch_size=64, learning_rate=3e-3, seed=seed, **kwargs)
    return model, run


def test_training_learns_the_cycle_and_is_reproducible(split, windows):
    model, run = fitted(windows)
    assert run.steps == int(np.ceil(5 * len(windows) / 64))
    assert run.samples == run.steps * 64 and run.seconds > 0 and run.gflops > 0
    assert run.losses[-1] < run.losses[0] / 4
    forecasts = training.forecast(model, windows)  # (6, 24) in the data's units
    assert forecasts.shape == (6, 24) and (forecasts > 0).all()
    history, actual = split
    naive = metrics.smape(actual, metrics.naive(history, 24)).mean()  # about 31
    assert metrics.smape(actual, forecasts).mean() < naive / 3
    again, _ = fitted(windows)
    np.testing.assert_array_equal(training.forecast(again, windows), forecasts)
    other, _ = fitted(windows, seed=1)
    assert not np.array_equal(training.forecast(other, windows), forecasts)


def test_a_local_model_trains_on_windows_of_every_series_at_each_step(windows):
    keras.utils.set_random_seed(0)
    model = models.build_local_mlp(6, 48, horizon=24, units=8)
    run = training.train(model, windows, epochs=1, batch_size=8, local=True)
    assert run.windows_per_step == 8 * 6
    assert run.steps == int(np.ceil(len(windows) / 48))
    assert training.forecast(model, windows, local=True).shape == (6, 24)


def test_an_unknown_loss_names_the_known_ones(windows):
    with pytest.raises(ValueError, match="Unknown loss 'mse'; choose one of sMAPE, MASE"):
        training.train(models.build_mlp(48, horizon=24), windows, 1, loss="mse")
