"""Lesson 8's training over seeds: reproducible, and the training copy is let go."""

import dataclasses

import numpy as np
import pytest

from course_helpers import capstone as cap


@pytest.fixture(scope="module")
def two_seeds(pm_task):
    """The MLP over seeds 0 and 1, 2 epochs: the trial the tests below compare with."""
    return cap.train_network("mlp", pm_task, seeds=(0, 1), epochs=2)


def test_train_network_is_reproducible_and_lets_the_training_copy_go(pm_task, two_seeds):
    again = cap.train_network("mlp", pm_task, seeds=(0, 1), epochs=2)
    np.testing.assert_array_equal(two_seeds.forecasts("validation"), again.forecasts("validation"))
    assert "test" not in again.predictions  # 2014 is forecast only when asked for
    assert again.forecasts("test").shape == (2, len(pm_task.test), 24)
    assert again.forecasts("test").min() >= 0  # clipped, as every forecast
    assert "_course_runner" not in again.model.__dict__
    assert again.summary()["sd"] > 0
    with pytest.raises(ValueError, match="validation"):
        again.forecasts("train")


def test_every_seed_starts_where_a_new_model_of_that_seed_would(pm_task, two_seeds):
    alone = cap.train_network("mlp", pm_task, seeds=(1,), epochs=2)
    np.testing.assert_array_equal(two_seeds.forecasts("test")[1], alone.forecasts("test")[0])


def test_forecasts_asked_for_later_come_from_each_seeds_own_weights(two_seeds):
    """The test year is forecast after training, from the weights each seed ended with: the same
    numbers a forecast made right after that seed's training gives (its validation forecast)."""
    during = two_seeds.predictions["validation"]  # made right after each seed trained
    later = dataclasses.replace(two_seeds, predictions={})  # nothing kept: forecast again
    np.testing.assert_allclose(later.forecasts("validation"), during, rtol=1e-6)
