"""Windowing, splitting in time and scaling, checked against plain loops and hand-made data."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_helpers.windowing import (
    Scaler,
    add_feature_axis,
    as_float_array,
    make_windows,
    to_subsequences,
    train_test_split,
)

FINITE = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
FAST = settings(max_examples=60, deadline=None)


def loop_windows(values, window, horizon, target=0):
    """The sliding window written as the plain loop a learner would write first."""
    X, y = [], []
    for i in range(len(values) - window - horizon + 1):
        X.append(values[i : i + window])
        future = values[i + window : i + window + horizon]
        if values.ndim == 2:
            future = future[:, target]
        y.append(future[0] if horizon == 1 else future)
    return np.array(X), np.array(y)


@st.composite
def series_and_window(draw, ndim=1):
    """A finite series (1-D, or 2-D time x features) with a window that fits in it."""
    length = draw(st.integers(2, 40))
    shape = (length,) if ndim == 1 else (length, draw(st.integers(1, 4)))
    values = draw(arrays(np.float64, shape, elements=FINITE))
    window = draw(st.integers(1, length - 1))
    horizon = draw(st.integers(1, length - window))
    return values, window, horizon


# --- make_windows --------------------------------------------------------------------------------


@FAST
@given(series_and_window(ndim=1))
def test_make_windows_1d_matches_plain_loop(case):
    values, window, horizon = case
    X, y = make_windows(values, window, horizon)
    samples = len(values) - window - horizon + 1
    assert X.shape == (samples, window)
    assert y.shape == ((samples,) if horizon == 1 else (samples, horizon))
    X_loop, y_loop = loop_windows(values, window, horizon)
    np.testing.assert_array_equal(X, X_loop)
    np.testing.assert_array_equal(y, y_loop)


@FAST
@given(series_and_window(ndim=2), st.data())
def test_make_windows_2d_matches_plain_loop(case, data):
    values, window, horizon = case
    target = data.draw(st.integers(0, values.shape[1] - 1), label="target")
    X, y = make_windows(values, window, horizon, target=target)
    samples = len(values) - window - horizon + 1
    assert X.shape == (samples, window, values.shape[1])
    assert y.shape == ((samples,) if horizon == 1 else (samples, horizon))
    X_loop, y_loop = loop_windows(values, window, horizon, target)
    np.testing.assert_array_equal(X, X_loop)
    np.testing.assert_array_equal(y, y_loop)


def test_make_windows_small_example_by_hand():
    X, y = make_windows([10, 20, 30, 40, 50, 60], 3)
    np.testing.assert_array_equal(X, [[10, 20, 30], [20, 30, 40], [30, 40, 50]])
    np.testing.assert_array_equal(y, [40, 50, 60])
    X, y = make_windows([10, 20, 30, 40, 50, 60], 3, horizon=2)
    np.testing.assert_array_equal(X, [[10, 20, 30], [20, 30, 40]])
    np.testing.assert_array_equal(y, [[40, 50], [50, 60]])


def test_make_windows_2d_target_column_by_hand():
    table = np.array([[1, 100], [2, 200], [3, 300], [4, 400]], dtype=float)  # (time, features)
    X, y = make_windows(table, 2, target=1)
    assert X.shape == (2, 2, 2)
    np.testing.assert_array_equal(X[0], [[1, 100], [2, 200]])
    np.testing.assert_array_equal(y, [300, 400])
    _, y_first = make_windows(table, 2)
    np.testing.assert_array_equal(y_first, [3, 4])  # the first column by default


def test_make_windows_accepts_series_frame_and_list_alike():
    values = np.arange(12, dtype=float)
    expected = make_windows(values, 4, 2)
    for same in (list(values), pd.Series(values)):
        got = make_windows(same, 4, 2)
        np.testing.assert_array_equal(got[0], expected[0])
        np.testing.assert_array_equal(got[1], expected[1])
    frame = pd.DataFrame({"a": values, "b": -values})
    X, y = make_windows(frame, 4, target=1)
    assert X.shape == (8, 4, 2)
    np.testing.assert_array_equal(y, -values[4:])


def test_make_windows_returns_independent_writable_arrays():
    values = np.arange(6, dtype=float)
    X, y = make_windows(values, 3)
    X[0, 0] = 99.0  # a read-only view of the input would refuse this, or change the input
    y[0] = 99.0
    np.testing.assert_array_equal(values, np.arange(6))


# --- to_subsequences / add_feature_axis ----------------------------------------------------------


@FAST
@given(st.integers(1, 5), st.integers(1, 4), st.integers(1, 4), st.integers(1, 3))
def test_to_subsequences_shape_and_order(samples, n_seq, steps, features):
    window = n_seq * steps
    X = np.arange(samples * window * features, dtype=float).reshape(samples, window, features)
    sub = to_subsequences(X, n_seq)
    assert sub.shape == (samples, n_seq, steps, features)
    for s in range(n_seq):  # subsequence s holds steps s*steps .. (s+1)*steps - 1, in order
        np.testing.assert_array_equal(sub[:, s], X[:, s * steps : (s + 1) * steps])


def test_to_subsequences_from_2d_windows_adds_the_feature_axis():
    X = np.arange(16, dtype=float).reshape(2, 8)
    sub = to_subsequences(X, 2)
    assert sub.shape == (2, 2, 4, 1)
    np.testing.assert_array_equal(sub[1, 1, :, 0], [12, 13, 14, 15])


def test_to_subsequences_not_divisible_says_which_n_seq_fit():
    with pytest.raises(ValueError, match=r"cannot be cut into 4") as info:
        to_subsequences(np.zeros((3, 6)), 4)
    assert "[1, 2, 3, 6]" in str(info.value)
    with pytest.raises(ValueError, match="at least 1"):
        to_subsequences(np.zeros((3, 6)), 0)


def test_add_feature_axis_shapes():
    assert add_feature_axis(np.zeros((5, 7))).shape == (5, 7, 1)
    assert add_feature_axis(np.zeros((5, 7, 3))).shape == (5, 7, 3)
    with pytest.raises(ValueError, match=r"\(samples, timesteps"):
        add_feature_axis(np.zeros(7))
    with pytest.raises(ValueError, match=r"\(samples, timesteps"):
        add_feature_axis(np.zeros((2, 3, 4, 5)))


# --- train_test_split ----------------------------------------------------------------------------


@FAST
@given(st.integers(2, 60), st.data())
def test_train_test_split_is_chronological(length, data):
    n_test = data.draw(st.integers(1, length - 1), label="n_test")
    series = pd.Series(
        np.arange(length, dtype=float), index=pd.date_range("2000-01-01", periods=length, freq="D")
    )
    train, test = train_test_split(series, n_test)
    assert len(test) == n_test and len(train) == length - n_test
    assert train.index.max() < test.index.min()  # the test period comes after training
    pd.testing.assert_series_equal(pd.concat([train, test]), series)
    train_a, test_a = train_test_split(series.to_numpy(), n_test)
    np.testing.assert_array_equal(train_a, series.to_numpy()[: length - n_test])
    np.testing.assert_array_equal(test_a, series.to_numpy()[length - n_test :])


@pytest.mark.parametrize("n_test", [0, -1, 10, 11, 2.5])
def test_train_test_split_bad_n_test(n_test):
    with pytest.raises(ValueError, match="n_test must be between 1 and 9"):
        train_test_split(np.arange(10), n_test)


# --- Scaler --------------------------------------------------------------------------------------


@FAST
@given(
    arrays(np.float64, st.integers(2, 50), elements=st.floats(-1e3, 1e3)),
    arrays(np.float64, st.integers(1, 20), elements=st.floats(-1e3, 1e3)),
)
def test_scaler_uses_training_statistics_only(train, test):
    scaler = Scaler().fit(train)
    std = train.std() if train.std() > 0 else 1.0
    assert scaler.mean_ == pytest.approx(train.mean())
    assert scaler.std_ == pytest.approx(std)
    np.testing.assert_allclose(
        scaler.transform(test), (test - train.mean()) / std, rtol=1e-9, atol=1e-9
    )
    assert scaler.mean_ == pytest.approx(train.mean())  # transforming test data did not refit
    np.testing.assert_allclose(
        scaler.inverse_transform(scaler.transform(test)), test, rtol=1e-9, atol=1e-6
    )


def test_scaler_on_shifted_test_data_does_not_centre_it():
    train, test = np.arange(10.0), np.arange(100.0, 110.0)
    scaler = Scaler().fit(train)
    scaled_train, scaled_test = scaler.transform(train), scaler.transform(test)
    assert scaled_train.mean() == pytest.approx(0.0)
    assert scaled_train.std() == pytest.approx(1.0)
    # test data measured against the training statistics: far above zero, not re-centred
    assert scaled_test.mean() == pytest.approx((104.5 - 4.5) / np.arange(10.0).std())


def test_scaler_constant_training_data_keeps_unit_scale():
    scaler = Scaler().fit([5.0, 5.0, 5.0])
    np.testing.assert_array_equal(scaler.transform([5.0, 7.0]), [0.0, 2.0])


def test_scaler_fit_transform_equals_fit_then_transform():
    train = np.array([1.0, 4.0, 9.0])
    np.testing.assert_array_equal(
        Scaler().fit_transform(train), Scaler().fit(train).transform(train)
    )


def test_unfitted_scaler_says_to_fit_first():
    for method in (Scaler().transform, Scaler().inverse_transform):
        with pytest.raises(ValueError, match=r"not fitted yet: call scaler\.fit\(train\)"):
            method([1.0, 2.0])
    assert "not fitted" in repr(Scaler())


# --- bad input: ValueError saying what to change --------------------------------------------------


@pytest.mark.parametrize("window", [5, 6, 100])
def test_window_not_shorter_than_series(window):
    with pytest.raises(ValueError, match=r"the series has 5\. Use window <= 4 or a longer series"):
        make_windows(np.arange(5.0), window)


def test_window_plus_outputs_longer_than_series():
    with pytest.raises(ValueError, match=r"needs at least 7 values.*Use window <= 2"):
        make_windows(np.arange(5.0), 4, horizon=3)
    with pytest.raises(ValueError, match=r"has 3\. Use a series of at least 4 values"):
        make_windows(np.arange(3.0), 1, horizon=3)  # no window can fit: say so, not "window <= 0"


@pytest.mark.parametrize("arg", ["window", "horizon"])
@pytest.mark.parametrize("bad", [0, -3, 1.5, None, "3", "three"])
def test_window_sizes_below_one_fractional_or_not_numbers(arg, bad):
    kwargs = {"window": 2, "horizon": 1, arg: bad}
    with pytest.raises(ValueError, match=rf"{arg} must be a whole number of at least 1"):
        make_windows(np.arange(10.0), **kwargs)


def test_missing_values_say_how_to_fill_them():
    series = pd.Series([1.0, np.nan, 3.0, np.nan, 5.0])
    with pytest.raises(ValueError) as info:
        make_windows(series, 2)
    message = str(info.value)
    assert "2 missing value(s)" in message
    assert "interpolate()" in message and "ffill()" in message
    with pytest.raises(ValueError, match="interpolate"):
        Scaler().fit(series)


@pytest.mark.parametrize(
    "values",
    [
        ["a", "b", "c"],
        pd.Series(["1.0", "x", "3"], dtype=object),
        pd.DataFrame({"x": [1.0, 2.0, 3.0], "wind": ["N", "S", "E"]}),
    ],
)
def test_non_numeric_values(values):
    with pytest.raises(ValueError, match=r"must be numbers.*pandas\.to_numeric"):
        make_windows(values, 1)


def test_wrong_dimensions():
    with pytest.raises(
        ValueError,
        match=r"Expected a 1-D series or a 2-D \(time, features\) table"
        r".*shape \(4, 3, 2\)",
    ):
        make_windows(np.zeros((4, 3, 2)), 1)
    with pytest.raises(ValueError, match="not a single number"):
        make_windows(3.0, 1)


def test_target_column_out_of_range():
    with pytest.raises(
        ValueError, match="target=2 is not a column index of a table with 2 columns; use 0 to 1"
    ):
        make_windows(np.zeros((6, 2)), 2, target=2)
    with pytest.raises(ValueError, match="not a column index"):
        make_windows(np.zeros((6, 2)), 2, target=0.5)
    with pytest.raises(ValueError, match="a 1-D series has only one"):
        make_windows(np.zeros(6), 2, target=1)


def test_other_sizes_that_are_not_whole_numbers():
    with pytest.raises(ValueError, match="n_seq must be a whole number of at least 1, got None"):
        to_subsequences(np.zeros((3, 6)), None)
    with pytest.raises(ValueError, match="n_test must be between 1 and 9 .* got None"):
        train_test_split(np.arange(10), None)


def test_as_float_array_names_what_it_checks():
    with pytest.raises(ValueError, match="The training values contain 1 missing"):
        as_float_array([1.0, np.nan], what="training values")
