"""Rolling-origin validation: it never reads the test period and scores what it says it does."""

import keras
import numpy as np
import pytest
from keras import layers

from course_helpers import ModelCache, load_series, train_and_evaluate
from course_helpers.evaluation import N_TEST
from course_helpers.validation import rolling_origin_folds, validate

SERIES = load_series()
TRAIN = SERIES.iloc[:-N_TEST].to_numpy()


def _test_period_changed():
    changed = SERIES.copy()
    changed.iloc[-N_TEST:] = changed.iloc[-N_TEST:] * 3 + 50
    return changed


def test_folds_hold_out_blocks_counted_back_from_the_end_of_training():
    assert rolling_origin_folds(258) == [(218, 218, 258), (178, 178, 218), (138, 138, 178)]
    assert rolling_origin_folds(256, 1, 40, 3) == [(214, 216, 256)]  # a gap of horizon - 1
    with pytest.raises(ValueError, match="nothing to train on"):
        rolling_origin_folds(100, 3, 40)


def test_the_held_out_days_are_the_last_120_training_days_in_time_order():
    score = validate("mlp", epochs=2, seeds=[0])
    assert list(score.dates) == list(SERIES.index[265 - 120 : 265])
    np.testing.assert_array_equal(score.actual, TRAIN[-120:])
    assert score.forecasts.shape == (1, 120)


def test_naive_scores_are_computed_from_the_series_itself():
    score = validate("mlp", epochs=2, seeds=[0])
    days = np.arange(265 - 120, 265)
    actual = TRAIN[days]
    persistence = np.sqrt(np.mean((TRAIN[days - 1] - actual) ** 2))
    ma7 = np.array([TRAIN[t - 7 : t].mean() for t in days])
    assert score.baselines["persistence"] == pytest.approx(persistence)
    assert score.baselines["moving average (7 days)"] == pytest.approx(
        np.sqrt(np.mean((ma7 - actual) ** 2))
    )
    # each fold's mean comes from the days that fold trained on only
    means = np.repeat([TRAIN[: 145 + 40 * k].mean() for k in range(3)], 40)
    assert score.baselines["training mean"] == pytest.approx(
        np.sqrt(np.mean((means - actual) ** 2))
    )


@pytest.mark.parametrize("name", ["mlp", "encoder_decoder"])
def test_validation_never_reads_the_test_period(name):
    original = validate(name, epochs=3, seeds=[0], series=SERIES)
    changed = validate(name, epochs=3, seeds=[0], series=_test_period_changed())
    np.testing.assert_array_equal(original.forecasts, changed.forecasts)
    assert original.baselines == changed.baselines


def test_rmse_per_seed_mean_and_spread():
    score = validate("mlp", epochs=5, seeds=[0, 1, 2])
    by_seed = np.sqrt(((score.forecasts - score.actual) ** 2).mean(axis=1))
    np.testing.assert_allclose(score.rmse_by_seed, by_seed)
    assert score.rmse == pytest.approx(by_seed.mean())
    assert score.sd == pytest.approx(by_seed.std(ddof=1))
    assert "over 3 seeds" in str(score) and "persistence" in str(score)


def test_multi_step_scores_each_horizon_beside_the_naive_forecasts():
    score = validate("encoder_decoder", epochs=3, seeds=[0])
    assert score.forecasts.shape == (1, 120, 3)
    table = score.baselines_by_horizon()
    assert list(table.index) == [1, 2, 3]
    assert list(table.columns) == [
        "model",
        "persistence",
        "moving average (7 days)",
        "training mean",
    ]
    # persistence h days ahead repeats the last value before the forecast origin
    last = TRAIN[np.arange(142, 262)]  # the last input day of each held-out window
    h3 = np.sqrt(np.mean((last - score.actual[:, 2]) ** 2))
    assert table.loc[3, "persistence"] == pytest.approx(h3)


def test_a_learners_build_function_is_validated_like_a_registry_model():
    def build_model(window):
        model = keras.Sequential(
            [keras.Input((window,)), layers.Dense(8, activation="relu"), layers.Dense(1)]
        )
        model.compile(optimizer="adam", loss="mse")
        return model

    score = validate(build_model, window=7, epochs=5, seeds=[0, 1])
    assert score.forecasts.shape == (2, 120)
    assert 5 < score.rmse < 12  # births, near the naive forecasts' 7 to 9
    with pytest.raises(ValueError, match="Give the window and the number of epochs"):
        validate(build_model)
    with pytest.raises(TypeError, match="model name such as 'mlp' or a function"):
        validate(42)


def test_a_model_cache_gives_the_same_validation_as_fresh_models():
    fresh = validate("cnn", epochs=4, seeds=[3])
    cache = ModelCache()
    cached = [validate("cnn", epochs=4, seeds=[3], cache=cache) for _ in range(2)]
    for score in cached:
        np.testing.assert_array_equal(score.forecasts, fresh.forecasts)
    assert len(cache) == 1  # one model serves every fold and seed
    train_and_evaluate("cnn", epochs=2)  # clears the Keras session in between
    np.testing.assert_array_equal(
        validate("cnn", epochs=4, seeds=[3], cache=cache).forecasts, fresh.forecasts
    )


def test_cached_retrains_neither_build_nor_reseed_and_give_fresh_numbers(monkeypatch):
    import course_helpers.runs as runs

    fresh = {seed: validate("lstm", epochs=3, seeds=[seed]).forecasts for seed in (0, 1)}
    cache = ModelCache()
    validate("lstm", epochs=3, seeds=[1, 0], cache=cache)  # each seed's start recorded once
    calls = []
    monkeypatch.setattr(runs, "set_seed", lambda seed: calls.append(seed))
    for seeds in ([0], [1], [0, 1]):
        score = validate("lstm", epochs=3, seeds=seeds, cache=cache)
        np.testing.assert_array_equal(score.forecasts, np.concatenate([fresh[s] for s in seeds]))
    # resetting the global seed would clear TensorFlow's kernel cache: retrains must not
    assert calls == [], f"a cached retrain called set_seed({calls})"
    assert len(cache) == 1


def test_progress_counts_epochs_over_all_fits_and_can_stop_them():
    seen = []
    validate("mlp", epochs=4, seeds=[0, 1], progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (24, 24)  # 3 folds x 2 seeds x 4 epochs
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)

    class Stop(Exception):
        pass

    def stop_at_five(done, total):
        if done >= 5:
            raise Stop

    with pytest.raises(Stop):
        validate("mlp", epochs=4, seeds=[0, 1], progress=stop_at_five)
