"""Lesson 8's training over seeds: reproducible, and the training copy is let go."""

import numpy as np
import pytest

from course_helpers import capstone as cap


def test_train_network_is_reproducible_and_lets_the_training_copy_go(pm_task):
    first = cap.train_network("mlp", pm_task, seeds=(0, 1), epochs=2)
    again = cap.train_network("mlp", pm_task, seeds=(0, 1), epochs=2)
    np.testing.assert_array_equal(first.forecasts("validation"), again.forecasts("validation"))
    assert "test" not in first.predictions  # 2014 is forecast only when asked for
    assert first.forecasts("test").shape == (2, len(pm_task.test), 24)
    assert first.forecasts("test").min() >= 0  # clipped, as every forecast
    assert "_course_runner" not in first.model.__dict__
    assert first.summary()["sd"] > 0
    with pytest.raises(ValueError, match="validation"):
        first.forecasts("train")


def test_every_seed_starts_where_a_new_model_of_that_seed_would(pm_task):
    both = cap.train_network("mlp", pm_task, seeds=(0, 1), epochs=2)
    alone = cap.train_network("mlp", pm_task, seeds=(1,), epochs=2)
    np.testing.assert_array_equal(both.forecasts("test")[1], alone.forecasts("test")[0])


def test_forecasts_asked_for_later_come_from_each_seeds_own_weights(pm_task):
    """The test year is forecast after training, from the weights each seed ended with: the same
    numbers a forecast made right after that seed's training gives (its validation forecast)."""
    trial = cap.train_network("mlp", pm_task, seeds=(0, 1), epochs=2)
    during = trial.predictions.pop("validation")  # made right after each seed trained
    np.testing.assert_allclose(trial.forecasts("validation"), during, rtol=1e-6)
