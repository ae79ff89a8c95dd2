"""What the model lessons claim, checked through the package (not by reading notebook text).

* Each toy example predicts what its lesson says: about 80 (lessons 3-5), about 90 (lesson 6),
  about [80, 90] (lesson 7), at the lesson's full epoch count.
* Each lesson's default model beats persistence (RMSE 7.892) clearly on the births protocol: its
  RMSE over five seeds averages below 7.3, the figure the lessons and the benchmark report.
"""

import statistics

import keras
import numpy as np
import pytest

from course_helpers import ModelCache, persistence, rmse, set_seed, train_and_evaluate
from course_helpers.data import load_series
from course_helpers.models import MODEL_NAMES
from course_helpers.training import fit
from course_tools.toys import TOYS

EXPECTED = {
    "mlp": [80],
    "cnn": [80],
    "lstm": [80],
    "cnn_lstm": [90],
    "encoder_decoder": [80, 90],
}
TARGET_RMSE = 7.3


@pytest.mark.parametrize("name", list(TOYS))
def test_toy_example_predicts_what_the_lesson_says(name):
    keras.backend.clear_session()
    set_seed(1)
    model, X, y, x_next, epochs = TOYS[name]()
    history = fit(model, X, y, epochs=epochs)
    assert len(history.history["loss"]) == epochs
    prediction = np.asarray(model(x_next)).ravel()
    np.testing.assert_allclose(prediction, EXPECTED[name], atol=4.0)


def test_persistence_on_the_protocol():
    births = load_series()
    assert rmse(births.iloc[-100:], persistence(births)) == pytest.approx(7.892, abs=5e-4)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_lesson_model_beats_persistence_clearly(name):
    cache = ModelCache()
    runs = [train_and_evaluate(name, seed=seed, cache=cache) for seed in range(5)]
    mean = statistics.fmean(run.result.rmse for run in runs)
    assert mean < TARGET_RMSE < runs[0].result.persistence_rmse
    assert all(len(run.history.history["loss"]) == run.epochs for run in runs)
