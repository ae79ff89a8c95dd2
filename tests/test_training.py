"""course_helpers.fit does the same gradient steps as model.fit, only faster."""

import json
import subprocess
import sys

import keras
import numpy as np
import pytest
from keras import layers

from course_helpers import training
from course_helpers.training import fit, set_seed
from course_tools.toys import toy_mlp as lesson3_toy

_, X, Y, NEXT, _ = lesson3_toy()  # (4, 3), (4,), (1, 3): the lesson 3 example


def toy_mlp():
    """A fresh, compiled copy of the lesson 3 toy MLP."""
    return lesson3_toy()[0]


def test_full_batch_fit_matches_model_fit():
    set_seed(1)
    plain = toy_mlp()
    plain_history = plain.fit(X, Y, epochs=200, batch_size=len(X), shuffle=False, verbose=0)
    set_seed(1)
    fast = toy_mlp()
    fast_history = fit(fast, X, Y, epochs=200)
    np.testing.assert_allclose(
        fast.predict(NEXT, verbose=0), plain.predict(NEXT, verbose=0), rtol=1e-6
    )
    np.testing.assert_allclose(
        fast_history.history["loss"], plain_history.history["loss"], rtol=1e-5
    )
    assert len(fast_history.history["loss"]) == 200


def test_minibatch_fit_takes_one_step_per_batch():
    set_seed(2)
    model = toy_mlp()
    fit(model, X, Y, epochs=5, batch_size=3)
    # 4 samples in batches of 3: two steps per epoch, ten optimizer steps in all
    assert int(model.optimizer.iterations.numpy()) == 10


def test_toy_mlp_learns_the_pattern():
    set_seed(1)
    model = toy_mlp()
    history = fit(model, X, Y, epochs=2000)
    assert history.history["loss"][-1] < history.history["loss"][0] / 100
    assert abs(float(model.predict(NEXT, verbose=0)[0, 0]) - 80) < 3


def test_early_stopping_restores_the_best_weights():
    set_seed(3)
    model = toy_mlp()
    history = fit(model, X[:3], Y[:3], epochs=3000, validation_data=(X[3:], Y[3:]), patience=5)
    val = history.history["val_loss"]
    assert len(val) < 3000
    best = min(val)
    restored = float(model.evaluate(X[3:], Y[3:], verbose=0))
    assert restored == pytest.approx(best, rel=1e-4)


@pytest.mark.parametrize(
    "bad, message",
    [
        (dict(epochs=0), "epochs"),
        (dict(epochs=5, batch_size=0), "batch_size"),
        (dict(epochs=5, patience=3), "validation_data"),
    ],
)
def test_bad_arguments_are_explained(bad, message):
    with pytest.raises(ValueError, match=message):
        fit(toy_mlp(), X, Y, **bad)


def test_wrong_input_shape_says_how_to_fix_it():
    model = keras.Sequential([keras.Input((3, 1)), layers.LSTM(4), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match="add_feature_axis"):
        fit(model, X, Y, epochs=1)


SCRIPT = """
import course_helpers, keras
from course_helpers.runs import train_and_evaluate
run = train_and_evaluate("mlp", seed=7, epochs=20)
numbers = {"rmse": run.result.rmse, "first": float(run.result.predictions.iloc[0])}
"""


def test_same_seed_same_numbers_in_a_new_process_as_in_this_one():
    printing = SCRIPT + "import json; print(json.dumps(numbers))"
    done = subprocess.run(
        [sys.executable, "-c", printing], capture_output=True, text=True, check=True
    )
    fresh = json.loads(done.stdout.strip().splitlines()[-1])
    here = {}  # this process has trained other models first: the seed alone sets the numbers
    exec(SCRIPT, here)
    assert fresh == here["numbers"]


def test_progress_bar_counts_every_epoch(capsys):
    set_seed(4)
    fit(toy_mlp(), X, Y, epochs=120, progress=True)
    final = capsys.readouterr().err.strip().split("\r")[-1]
    assert "120/120" in final and "100%" in final


def test_progress_callback_reaches_the_last_epoch():
    seen = []
    set_seed(4)
    fit(toy_mlp(), X, Y, epochs=95, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (95, 95)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert len(seen) > 1  # it reports as training goes, not only at the end


def test_epoch_end_sees_every_epoch_and_changes_no_step():
    """A hook after each epoch runs the epochs one by one, through the same batches: the model
    it leaves is the one a plain fit with the same seed leaves."""
    seen = []
    set_seed(4)
    hooked = toy_mlp()
    fit(hooked, X, Y, epochs=12, batch_size=2, seed=4, epoch_end=lambda m, d: seen.append(d))
    set_seed(4)
    plain = toy_mlp()
    fit(plain, X, Y, epochs=12, batch_size=2, seed=4)
    assert seen == list(range(1, 13))
    for a, b in zip(hooked.get_weights(), plain.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_data_loaded_a_slice_at_a_time_train_as_data_loaded_whole(monkeypatch):
    """Data larger than LOAD_BYTES go into TensorFlow in slices (lesson 8's windows, 67 MB,
    would otherwise take two more full copies): the same steps as data loaded whole, through
    a second fit on a different number of samples; no fit keeps a copy of its data."""
    rng = np.random.default_rng(0)
    X_many = rng.normal(size=(700, 3)).astype("float32")  # 8.4 kB
    y_many = X_many @ np.array([1.0, -2.0, 0.5], dtype="float32")

    def trained(load_bytes):
        monkeypatch.setattr(training, "LOAD_BYTES", load_bytes)
        set_seed(5)
        model = toy_mlp()
        for n in (700, 450):  # the second fit reuses the loop with fewer samples
            fit(model, X_many[:n], y_many[:n], epochs=3, batch_size=64, seed=5)
            runner = model.__dict__["_course_runner"]
            assert [int(training._length(v)) for v in (runner.X, runner.y)] == [0, 0]
        return model.get_weights()

    whole, sliced = trained(2**21), trained(1000)  # 1,000 bytes: slices of 83 samples
    for a, b in zip(whole, sliced):
        np.testing.assert_array_equal(a, b)
