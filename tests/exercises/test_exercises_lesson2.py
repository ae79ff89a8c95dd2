"""Lesson 2: windows of the births series, and training data without leakage, both ways."""

import keras
import numpy as np
import pandas as pd
import pytest
from exercise_helpers import assert_says
from keras import layers

from course_helpers import (
    Scaler,
    add_feature_axis,
    load_series,
    make_windows,
)
from course_helpers import exercises as ex

# ---------------------------------------------------------------------------------------------
# Lesson 2: windows of the births series
# ---------------------------------------------------------------------------------------------

WINDOWS = ex.lesson2.windows


def loop_windows(values, window):
    rows = [values[i : i + window] for i in range(len(values) - window)]
    return np.array(rows), np.array([values[i + window] for i in range(len(values) - window)])


@pytest.mark.parametrize("window", [1, 3, 7, 30])
def test_windows_right_answers_pass(births, window):
    X, y = loop_windows(births.to_numpy(), window)
    feedback = WINDOWS.check(X, y, window=window)
    assert_says(feedback, "correct", f"{365 - window} samples", f"window of {window}")
    assert WINDOWS.check(*make_windows(births, window)).passed


def test_windows_from_shift_and_with_feature_axis_pass(births, windows):
    table = pd.DataFrame({f"t-{k}": births.shift(k) for k in range(7, 0, -1)})
    table["t"] = births
    table = table.dropna()
    assert WINDOWS.check(table.drop(columns="t"), table["t"], window=7).passed
    X, y = windows
    assert WINDOWS.check(add_feature_axis(X), y[:, None]).passed


def test_windows_nan_rows_from_shift(births):
    table = pd.DataFrame({"t-2": births.shift(2), "t-1": births.shift(1), "t": births})
    feedback = WINDOWS.check(table[["t-2", "t-1"]], table["t"])
    assert_says(feedback, "incorrect", "missing values (NaN)", ".dropna()")


def test_windows_wrong_shapes(windows, births):
    X, y = windows
    assert_says(WINDOWS.check(X[0], y[:1]), "incorrect", "one row per sample")
    assert_says(
        WINDOWS.check(X, np.column_stack([y, y])), "incorrect", "2 values per sample", "lesson 7"
    )
    assert_says(WINDOWS.check(X, y[:, None, None]), "incorrect", "one target per sample")
    assert_says(WINDOWS.check(X, y[:-3]), "incorrect", "358 rows but y has 355")
    assert_says(WINDOWS.check(X.T, y), "incorrect", "transposed")
    assert_says(WINDOWS.check(X.T, y, window=7), "incorrect", "transposed")
    assert_says(WINDOWS.check("X", y), "incorrect", "is text")
    assert_says(WINDOWS.check([[1, 2], [3]], [1, 2]), "incorrect", "rows of different lengths")
    assert_says(WINDOWS.check(np.array([]), y), "incorrect", "empty")
    assert_says(WINDOWS.check(X, y, window=0), "incorrect", "at least 1")
    X_full = np.tile(births.to_numpy(), (2, 1))
    assert_says(WINDOWS.check(X_full, [1, 2]), "incorrect", "leaves no sample")


def test_windows_off_by_one_in_the_slice(windows):
    X, y = windows
    assert_says(WINDOWS.check(X[:, :6], y, window=7), "incorrect", "off by one", "6 values")
    X8, _ = make_windows(load_series(), 8)
    assert_says(WINDOWS.check(X8, y[:-1], window=7), "incorrect", "off by one", "takes the target")
    assert_says(WINDOWS.check(X[:, :4], y, window=7), "incorrect", "each row of X has 4 values")


def test_windows_last_window_missing(windows):
    X, y = windows
    assert_says(
        WINDOWS.check(X[:-1], y[:-1]),
        "incorrect",
        "last window is missing",
        "range(len(series) - window)",
    )
    assert_says(WINDOWS.check(X[:-5], y[:-5]), "incorrect", "last 5 windows are missing")


def test_windows_first_window_missing(windows):
    X, y = windows
    assert_says(
        WINDOWS.check(X[1:], y[1:]), "incorrect", "first window is missing", "series[0 : window]"
    )


def test_windows_target_leaks_into_inputs(windows, births):
    X, y = windows
    assert_says(
        WINDOWS.check(X, X[:, -1]), "incorrect", "target leaks into the inputs", "the last value"
    )
    ahead = make_windows(births.to_numpy()[2:], 7)[0]  # windows two days late: y sits inside
    assert_says(WINDOWS.check(ahead, y[:-2]), "incorrect", "target leaks", "X[i, 5]")


def test_windows_target_off_by_one(windows, births):
    X, _ = windows
    values = births.to_numpy()
    late = values[np.arange(len(X) - 1) + 8]  # two days after each window
    assert_says(WINDOWS.check(X[:-1], late), "incorrect", "2 steps after", "off by 1")
    before = values[np.arange(1, len(X)) - 1]  # the day before each window
    assert_says(WINDOWS.check(X[1:], before), "incorrect", "just before each window")


def test_windows_target_shuffled_apart_from_inputs(windows):
    X, y = windows
    shuffled = np.random.default_rng(0).permutation(y)
    assert_says(WINDOWS.check(X, shuffled), "incorrect", "another order than X")
    wrong = y.copy()
    wrong[10] += 1
    assert_says(WINDOWS.check(X, wrong), "incorrect", "not the value right after", "Row 10")


def test_windows_shuffled_samples(windows):
    X, y = windows
    order = np.random.default_rng(1).permutation(len(X))
    assert_says(WINDOWS.check(X[order], y[order]), "incorrect", "not in time order (shuffled)")


def test_windows_non_overlapping(windows):
    X, y = windows
    assert_says(
        WINDOWS.check(X[::7], y[::7]), "incorrect", "jump 7 days at a time", "one day at a time"
    )


def test_windows_too_many_samples(windows):
    X, y = windows
    padded = np.vstack([X, np.zeros((2, 7))])
    assert_says(WINDOWS.check(padded, np.r_[y, 0, 0]), "incorrect", "only 358 windows")


def test_windows_backwards(windows):
    X, y = windows
    assert_says(WINDOWS.check(X[:, ::-1], y), "incorrect", "newest value first")


def test_windows_scaled_values(windows):
    X, y = windows
    assert_says(WINDOWS.check((X - 42) / 7, y), "incorrect", "transformed (scaled)")


def test_windows_not_from_the_series(windows):
    X, y = windows
    other = X + np.arange(X.shape[1])  # not a single linear transform of the windows
    assert_says(
        WINDOWS.check(other, y),
        "incorrect",
        "not consecutive windows",
        "[35, 32, 30, 31, 44, 29, 45] -> 43",
    )


# ---------------------------------------------------------------------------------------------
# Lesson 2: training data without leakage
# ---------------------------------------------------------------------------------------------

TRAINING = ex.lesson2.training_data


def test_training_data_right_answer(prepared):
    feedback = TRAINING.check(prepared.X, prepared.y, prepared.scaler)
    assert_says(feedback, "correct", "258 samples from 265 training days")
    assert "shuffled" not in feedback.message


def test_training_data_shuffled_pairs_are_fine(prepared):
    order = np.random.default_rng(0).permutation(len(prepared.X))
    feedback = TRAINING.check(prepared.X[order], prepared.y[order], prepared.scaler)
    assert_says(feedback, "correct", "fine for training")


def test_training_data_scaler_fitted_on_everything(births, prepared):
    feedback = TRAINING.check(prepared.X, prepared.y, Scaler().fit(births))
    assert_says(feedback, "incorrect", "fitted on the whole series", "leak", "41.064")


def test_training_data_scaler_fitted_on_test(prepared):
    feedback = TRAINING.check(prepared.X, prepared.y, Scaler().fit(prepared.test))
    assert_says(feedback, "incorrect", "fitted on the test period")


def test_training_data_scaler_fitted_elsewhere(births, prepared):
    feedback = TRAINING.check(prepared.X, prepared.y, Scaler().fit(births.iloc[:100]))
    assert_says(feedback, "incorrect", "but the training period's is 41.064")


def test_training_data_scaler_not_fitted_or_unknown(prepared):
    assert_says(TRAINING.check(prepared.X, prepared.y, Scaler()), "incorrect", "not fitted yet")
    assert_says(
        TRAINING.check(prepared.X, prepared.y, object()),
        "incorrect",
        "Cannot read the statistics of a object",
    )


class FakeStandardScaler:
    """Duck-typed scikit-learn StandardScaler: wants columns, has mean_ and scale_."""

    def __init__(self, values):
        values = np.asarray(values, dtype=float)
        self.mean_, self.scale_ = np.array([values.mean()]), np.array([values.std()])

    def transform(self, X):
        X = np.asarray(X, dtype=float)
        if X.ndim != 2:
            raise ValueError("Expected 2D array")
        return (X - self.mean_) / self.scale_


class FakeMinMaxScaler:
    def __init__(self, values):
        values = np.asarray(values, dtype=float)
        self.data_min_, self.data_max_ = np.array([values.min()]), np.array([values.max()])

    def transform(self, X):
        X = np.asarray(X, dtype=float).reshape(-1, 1)
        return (X - self.data_min_) / (self.data_max_ - self.data_min_)


def test_training_data_accepts_scikit_learn_style_scalers(births, prepared):
    for kind in (FakeStandardScaler, FakeMinMaxScaler):
        scaler = kind(prepared.train)
        X, y = make_windows(scaler.transform(prepared.train.to_numpy()[:, None]).ravel(), 5)
        assert TRAINING.check(X, y, scaler).passed, kind
        assert_says(TRAINING.check(X, y, kind(births)), "incorrect", "whole series")


def test_training_data_unscaled(prepared):
    X, y = make_windows(prepared.train, 7)
    assert_says(
        TRAINING.check(X, y, prepared.scaler),
        "incorrect",
        "unscaled values",
        "scaler.transform(train)",
    )


def test_training_data_windows_reach_into_the_test_period(births, prepared):
    X, y = make_windows(prepared.scaler.transform(births), 7)
    assert_says(
        TRAINING.check(X, y, prepared.scaler),
        "incorrect",
        "run into the test period",
        "358 samples",
        "only 258",
    )


def test_training_data_window_mistakes_are_named_in_scaled_units(prepared):
    feedback = TRAINING.check(prepared.X[:-1], prepared.y[:-1], prepared.scaler)
    assert_says(feedback, "incorrect", "last window is missing")
    feedback = TRAINING.check(prepared.X, prepared.X[:, -1], prepared.scaler)
    assert_says(feedback, "incorrect", "target leaks")


def test_training_data_forgot_the_feature_axis(prepared):
    feedback = TRAINING.check(prepared.X, prepared.y, prepared.scaler, model="lstm")
    assert_says(
        feedback,
        "incorrect",
        "feature axis for Conv1D/LSTM is missing",
        "(258, 7, 1)",
        "add_feature_axis",
    )
    lstm_task = ex.TrainingDataExercise(model="cnn")
    assert_says(
        lstm_task.check(prepared.X, prepared.y, prepared.scaler), "incorrect", "feature axis"
    )
    feedback = lstm_task.check(add_feature_axis(prepared.X), prepared.y, prepared.scaler)
    assert_says(feedback, "correct", "(258, 7, 1) ready for 'cnn'")


def test_training_data_shapes_for_mlp_and_cnn_lstm(prepared):
    X3 = add_feature_axis(prepared.X)
    assert_says(
        TRAINING.check(X3, prepared.y, prepared.scaler, model="mlp"),
        "incorrect",
        "an MLP takes flat rows",
        "X.reshape(len(X), -1)",
    )
    X8, y8 = make_windows(prepared.scaler.transform(prepared.train), 8)
    assert_says(
        TRAINING.check(X8, y8, prepared.scaler, model="cnn_lstm"),
        "incorrect",
        "reads subsequences",
        "to_subsequences(X, 2)",
    )
    assert TRAINING.check(X8.reshape(-1, 2, 4, 1), y8, prepared.scaler, model="cnn_lstm").passed


def test_training_data_checks_against_a_keras_model(prepared):
    model = keras.Sequential([keras.Input((5, 1)), layers.LSTM(2), layers.Dense(1)])
    feedback = TRAINING.check(
        add_feature_axis(prepared.X), prepared.y, prepared.scaler, model=model
    )
    assert_says(feedback, "incorrect", "the model takes (258, 5, 1)")
    assert_says(
        TRAINING.check(prepared.X, prepared.y, prepared.scaler, model="gru"),
        "incorrect",
        "Unknown model 'gru'",
    )


def test_worked_solutions_pass_their_own_checks(births, prepared):
    X, y = ex.lesson2.windows.reference({"births": births})
    assert ex.lesson2.windows.check(X, y).passed
    X_train, y_train = ex.lesson2.training_data.reference({"births": births})
    assert ex.lesson2.training_data.check(X_train, y_train, prepared.scaler).passed
