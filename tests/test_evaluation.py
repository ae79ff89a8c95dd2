"""Error measures, naive baselines and the walk-forward protocol.

The walk-forward checks use tiny Keras models whose weights are set by hand: a Dense layer that
returns the last value of its window must reproduce persistence, one that returns the first value
must reproduce the seasonal naive forecast one window back. Any look at the day being predicted,
or an off-by-one in the windows, would break those equalities.
"""

import keras
import numpy as np
import pandas as pd
import pytest
from keras import layers

from course_helpers.data import load_series
from course_helpers.evaluation import (
    N_TEST,
    ForecastTask,
    baselines,
    mae,
    moving_average,
    multi_step_moving_average,
    multi_step_persistence,
    persistence,
    reshape_for,
    reshape_targets,
    rmse,
    seasonal_naive,
    train_mean,
    walk_forward,
    walk_forward_multi,
)
from course_helpers.models import (
    build_cnn,
    build_cnn_lstm,
    build_encoder_decoder,
    build_lstm,
    build_mlp,
)
from course_helpers.training import set_seed
from course_helpers.windowing import Scaler, make_windows

# float32 inside the model: a value of ~40 births survives scaling, the model and unscaling to
# within about 1e-5, far below any one-day misalignment of the births series (several births).
ATOL = 1e-4

SMALL = pd.Series(
    [1.0, 2.0, 4.0, 7.0, 11.0, 16.0],
    index=pd.date_range("2020-01-01", periods=6, freq="D"),
    name="x",
)


@pytest.fixture(scope="module")
def births():
    return load_series("daily-total-female-births")


def pick_one_input(window, position, horizon=1, feature_axis=False):
    """A linear model that outputs input ``position`` of its window, repeated ``horizon`` times."""
    inputs = keras.Input((window, 1) if feature_axis else (window,))
    flat = layers.Flatten()(inputs) if feature_axis else inputs
    dense = layers.Dense(horizon)
    outputs = dense(flat)  # (batch, horizon)
    kernel = np.zeros((window, horizon), dtype="float32")
    kernel[position, :] = 1.0
    dense.set_weights([kernel, np.zeros(horizon, dtype="float32")])
    if horizon > 1:
        # (batch, horizon, 1), like the encoder-decoder
        outputs = layers.Reshape((horizon, 1))(outputs)
    return keras.Model(inputs, outputs)


# --- error measures and baselines against hand-computed values ------------------------------------


def test_rmse_and_mae_by_hand():
    actual, predicted = [1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 1.0, 8.0]  # errors 1, 0, -2, 4
    assert rmse(actual, predicted) == pytest.approx(np.sqrt((1 + 0 + 4 + 16) / 4))
    assert mae(actual, predicted) == pytest.approx((1 + 0 + 2 + 4) / 4)
    assert rmse([3.0], [3.0]) == 0.0
    assert isinstance(rmse(actual, predicted), float)


def test_baselines_by_hand():
    # SMALL = 1, 2, 4, 7 | 11, 16 with the last two values as the test set
    test = SMALL.iloc[-2:]
    np.testing.assert_array_equal(persistence(SMALL, 2), [7.0, 11.0])
    np.testing.assert_array_equal(train_mean(SMALL, 2), [3.5, 3.5])
    np.testing.assert_array_equal(moving_average(SMALL, 2, 2), [5.5, 9.0])
    np.testing.assert_array_equal(moving_average(SMALL, 3, 2), [13 / 3, 22 / 3])
    np.testing.assert_array_equal(seasonal_naive(SMALL, 3, 2), [2.0, 4.0])
    np.testing.assert_array_equal(seasonal_naive(SMALL, 1, 2), persistence(SMALL, 2))
    for forecast in (
        persistence(SMALL, 2),
        train_mean(SMALL, 2),
        moving_average(SMALL, 2, 2),
        seasonal_naive(SMALL, 3, 2),
    ):
        assert list(forecast.index) == list(test.index)  # aligned with the test days
    assert rmse(test, persistence(SMALL, 2)) == pytest.approx(np.sqrt((16 + 25) / 2))
    assert mae(test, persistence(SMALL, 2)) == pytest.approx(4.5)


def test_baselines_table_matches_the_functions():
    series = pd.Series(np.arange(20, dtype=float) ** 2)  # 0, 1, 4, ... 361; test: the last 5
    table = baselines(series, n_test=5)
    test = series.iloc[-5:]
    # persistence misses day t by t^2 - (t-1)^2 = 2t - 1, for t = 15..19
    errors = 2 * np.arange(15, 20) - 1
    assert table.loc["persistence", "rmse"] == pytest.approx(np.sqrt(np.mean(errors**2)))
    assert table.loc["persistence", "mae"] == pytest.approx(errors.mean())
    train_mean_value = 1015 / 15  # 0 + 1 + 4 + ... + 196 = 1015 over 15 training days
    assert table.loc["train mean", "mae"] == pytest.approx(np.mean(test - train_mean_value))
    assert table.loc["moving average (7 days)", "rmse"] == pytest.approx(
        rmse(test, moving_average(series, 7, 5))
    )
    assert table.loc["seasonal naive (7 days)", "rmse"] == pytest.approx(
        rmse(test, seasonal_naive(series, 7, 5))
    )
    assert list(table.columns) == ["rmse", "mae"]


def test_multi_step_persistence_by_hand():
    frame = multi_step_persistence(SMALL, 3, n_test=2)
    assert list(frame.columns) == [1, 2, 3]
    np.testing.assert_array_equal(frame[1], [7.0, 11.0])  # one day before each test day
    np.testing.assert_array_equal(frame[2], [4.0, 7.0])  # two days before
    np.testing.assert_array_equal(frame[3], [2.0, 4.0])


def test_persistence_rmse_on_the_births_protocol(births):
    assert len(births) == 365 and N_TEST == 100
    test = births.iloc[-N_TEST:]
    assert round(rmse(test, persistence(births)), 3) == 7.892
    # computed independently: each test day against the day before it
    values = births.to_numpy()
    by_hand = np.sqrt(np.mean((values[265:] - values[264:-1]) ** 2))
    assert rmse(test, persistence(births)) == pytest.approx(by_hand, rel=1e-12)


# --- walk-forward: alignment and no look-ahead ----------------------------------------------


def test_walk_forward_of_a_last_value_model_is_persistence(births):
    task = ForecastTask(window=7, series=births)
    result = task.evaluate(pick_one_input(7, position=-1))
    expected = persistence(births)
    np.testing.assert_allclose(result.predictions, expected, atol=ATOL)
    assert list(result.predictions.index) == list(expected.index)
    assert round(result.rmse, 3) == round(result.persistence_rmse, 3) == 7.892
    assert result.mae == pytest.approx(mae(task.test, expected), abs=ATOL)


@pytest.mark.parametrize("window", [1, 5, 12])
def test_walk_forward_window_starts_window_days_back(births, window):
    """Returning the first value of the window is the seasonal naive forecast with m = window."""
    scaler = Scaler().fit(births.iloc[:-N_TEST])
    forecast = walk_forward(pick_one_input(window, 0, feature_axis=True), births, window, scaler)
    np.testing.assert_allclose(forecast, seasonal_naive(births, window), atol=ATOL)


@pytest.mark.parametrize("horizon", [2, 4])
def test_walk_forward_multi_repeating_the_last_value_is_multi_step_persistence(births, horizon):
    scaler = Scaler().fit(births.iloc[:-N_TEST])
    model = pick_one_input(6, -1, horizon=horizon)
    paths = walk_forward_multi(model, births, 6, horizon, scaler)
    naive = multi_step_persistence(births, horizon)
    assert list(paths.columns) == list(range(1, horizon + 1))
    assert list(paths.index) == list(births.index[-N_TEST:])
    for h in range(1, horizon + 1):
        np.testing.assert_allclose(paths[h], naive[h], atol=ATOL, err_msg=f"horizon {h}")


def test_forecast_task_multi_step_reports_each_horizon_beside_persistence(births):
    task = ForecastTask(window=6, horizon=3, series=births)
    result = task.evaluate(pick_one_input(6, -1, horizon=3))
    assert list(result.per_horizon.index) == [1, 2, 3]
    np.testing.assert_allclose(
        result.per_horizon["rmse"], result.per_horizon["persistence_rmse"], atol=ATOL
    )
    assert result.rmse == pytest.approx(7.892, abs=5e-4)  # horizon 1 is the one-step protocol
    assert result.per_horizon.loc[1, "persistence_rmse"] == pytest.approx(result.persistence_rmse)


def test_multi_step_moving_average_uses_only_the_days_before_each_origin(births):
    table = multi_step_moving_average(births, horizon=3)
    np.testing.assert_allclose(table[1], moving_average(births, 7))  # horizon 1: the one-step one
    day = len(births) - N_TEST + 10  # a test day, forecast h days ahead from origin day - h + 1
    for h in (1, 2, 3):
        before_origin = births.iloc[day - h - 6 : day - h + 1]  # the 7 days up to day - h
        assert table[h].iloc[10] == pytest.approx(before_origin.mean())
    result = ForecastTask(window=6, horizon=3, series=births).evaluate(
        pick_one_input(6, -1, horizon=3)
    )
    for h in (1, 2, 3):
        expected = rmse(births.iloc[-N_TEST:], table[h])
        assert result.per_horizon.loc[h, "moving_average_rmse"] == pytest.approx(expected)
    assert result.per_horizon["train_mean_rmse"].nunique() == 1  # no origin moves the mean
    assert result.per_horizon.loc[1, "moving_average_rmse"] == pytest.approx(7.049, abs=5e-4)


def plain_loop_forecast(model, series, window, scaler, shape):
    """One test day at a time, handing the model only the window values before that day."""
    forecasts = []
    for t in range(len(series) - N_TEST, len(series)):
        past = series.iloc[:t]  # nothing from day t or later is in reach
        x = scaler.transform(past.iloc[-window:]).reshape((1, *shape)).astype("float32")
        forecasts.append(scaler.inverse_transform(np.asarray(model(x)))[0, 0])
    return np.array(forecasts)


@pytest.mark.parametrize(
    "builder, window, shape",
    [
        (build_mlp, 7, (7,)),
        (build_cnn, 7, (7, 1)),
        (build_lstm, 5, (5, 1)),
        (build_cnn_lstm, 8, (2, 4, 1)),
    ],
)
def test_walk_forward_equals_a_plain_loop(births, builder, window, shape):
    set_seed(3)
    model = builder(window)  # random weights: a nonlinear function of the whole window
    scaler = Scaler().fit(births.iloc[:-N_TEST])
    batched = walk_forward(model, births, window, scaler)
    looped = plain_loop_forecast(model, births, window, scaler, shape)
    np.testing.assert_allclose(batched, looped, rtol=1e-5, atol=1e-4)
    assert batched.std() > 0.01  # the model's output varies, so the comparison means something


def test_changing_the_future_does_not_change_earlier_forecasts(births):
    set_seed(4)
    model = build_mlp(7)
    scaler = Scaler().fit(births.iloc[:-N_TEST])
    k = 300  # alter every day from k on
    altered = births.copy()
    altered.iloc[k:] += 50.0
    before = walk_forward(model, births, 7, scaler)
    after = walk_forward(model, altered, 7, scaler)
    first_test = len(births) - N_TEST
    unchanged = k - first_test + 1  # forecasts up to and including day k use only days before k
    np.testing.assert_allclose(after.iloc[:unchanged], before.iloc[:unchanged], rtol=1e-6)
    assert not np.allclose(after.iloc[unchanged:], before.iloc[unchanged:])


def test_reshape_for_each_architecture():
    X = np.zeros((5, 8))
    assert reshape_for(build_mlp(8), X).shape == (5, 8)
    assert reshape_for(build_lstm(8), X).shape == (5, 8, 1)
    assert reshape_for(build_cnn_lstm(8, n_seq=2), X).shape == (5, 2, 4, 1)
    assert reshape_for(build_cnn_lstm(8, n_seq=4), X).shape == (5, 4, 2, 1)


def test_reshape_targets_adds_a_step_axis_only_for_one_value_per_step():
    y = np.zeros((5, 3))
    assert reshape_targets(build_encoder_decoder(7, horizon=3), y).shape == (5, 3, 1)
    assert reshape_targets(build_mlp(7), np.zeros(5)).shape == (5,)
    inputs = keras.Input((7,))
    quantiles = keras.Model(inputs, layers.Reshape((3, 2))(layers.Dense(6)(inputs)))
    assert reshape_targets(quantiles, y).shape == (5, 3)  # (3, 2) out: two values per step


# --- ForecastTask: no leakage from the test period ------------------------------------------------


def test_forecast_task_builds_windows_from_training_values_only():
    series = pd.Series(np.arange(30, dtype=float) ** 1.5)
    task = ForecastTask(window=4, horizon=2, n_test=8, series=series)
    train = series.to_numpy()[:22]
    assert task.scaler.mean_ == pytest.approx(train.mean())
    assert task.scaler.std_ == pytest.approx(train.std())  # population std of the training part
    assert task.X_train.shape == (22 - 4 - 2 + 1, 4)
    assert task.y_train.shape == (17, 2)
    X, y = make_windows((train - train.mean()) / train.std(), 4, 2)
    np.testing.assert_allclose(task.X_train, X)
    np.testing.assert_allclose(task.y_train, y)
    # the last training target is the last training value: nothing from the test part
    assert task.scaler.inverse_transform(task.y_train[-1, -1]) == pytest.approx(train[-1])

    wild = series.copy()
    wild.iloc[-8:] = 1e9  # whatever happens in the test period
    other = ForecastTask(window=4, horizon=2, n_test=8, series=wild)
    np.testing.assert_array_equal(other.X_train, task.X_train)
    np.testing.assert_array_equal(other.y_train, task.y_train)
    assert (other.scaler.mean_, other.scaler.std_) == (task.scaler.mean_, task.scaler.std_)


def test_forecast_task_on_births_defaults(births):
    task = ForecastTask(window=7)
    pd.testing.assert_series_equal(task.series, births)
    assert len(task.train) == 265 and len(task.test) == 100
    assert task.train.index[-1] < task.test.index[0]
    assert task.scaler.mean_ == pytest.approx(births.iloc[:265].mean())
    assert task.scaler.std_ == pytest.approx(np.std(births.iloc[:265].to_numpy()))
    assert task.X_train.shape == (258, 7) and task.y_train.shape == (258,)


def test_validation_split_holds_out_the_last_training_windows():
    task = ForecastTask(window=3, n_test=5, series=pd.Series(np.arange(25.0)))
    X_fit, y_fit, X_val, y_val = task.validation_split(4)
    np.testing.assert_array_equal(y_val, task.y_train[-4:])
    assert len(X_fit) == len(task.X_train) - 4 and len(X_val) == 4
    np.testing.assert_array_equal(X_val, task.X_train[-4:])
    np.testing.assert_array_equal(y_fit, task.y_train[:-4])
    with pytest.raises(ValueError, match="n_val must be between 1 and"):
        task.validation_split(len(task.X_train))


# --- bad input ----------------------------------------------------------------------------------


def test_error_measures_reject_mismatched_empty_and_missing():
    with pytest.raises(ValueError, match=r"shape \(3,\) but predicted has shape \(2,\)"):
        rmse([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="No values"):
        mae([], [])
    with pytest.raises(ValueError, match="NaN"):
        rmse([1.0, np.nan], [1.0, 2.0])


def test_baselines_reject_bad_settings():
    with pytest.raises(ValueError, match="n_test must be between 1 and 5"):
        persistence(SMALL, n_test=6)
    with pytest.raises(ValueError, match="k must be between 1 and the training length 4"):
        moving_average(SMALL, 0, n_test=2)
    with pytest.raises(ValueError, match="m must be between 1 and the training length 4"):
        seasonal_naive(SMALL, 5, n_test=2)
    with pytest.raises(ValueError, match="interpolate"):
        persistence(pd.Series([1.0, np.nan, 3.0, 4.0]), n_test=1)
    with pytest.raises(ValueError, match="must be numbers"):
        train_mean(pd.Series(["a", "b", "c"]), n_test=1)


def test_forecast_task_and_walk_forward_reject_bad_windows(births):
    with pytest.raises(ValueError, match=r"Use window <= 264"):
        ForecastTask(window=265, series=births)
    with pytest.raises(ValueError, match="window must be a whole number of at least 1"):
        ForecastTask(window=0, series=births)
    with pytest.raises(ValueError, match="n_test must be between"):
        ForecastTask(window=3, n_test=365, series=births)
    scaler = Scaler().fit(births.iloc[:-N_TEST])
    with pytest.raises(ValueError, match="use a window of at most 265 days"):
        walk_forward(pick_one_input(266, -1), births, 266, scaler)
    with pytest.raises(ValueError, match="not fitted yet"):
        walk_forward(pick_one_input(7, -1), births, 7, Scaler())
    with pytest.raises(ValueError, match="window must be a whole number of at least 1"):
        walk_forward(pick_one_input(7, -1), births, 0, scaler)


def test_model_and_windows_that_do_not_fit_together(births):
    scaler = Scaler().fit(births.iloc[:-N_TEST])
    with pytest.raises(
        ValueError, match="takes windows of 7 steps but got windows of 5; use the window the model"
    ):
        walk_forward(pick_one_input(7, -1), births, 5, scaler)
    with pytest.raises(ValueError, match="takes windows of 8 steps but got windows of 6"):
        walk_forward(build_cnn_lstm(8, n_seq=2), births, 6, scaler)
    with pytest.raises(ValueError, match="forecasts 2 step.*but horizon=3"):
        walk_forward_multi(pick_one_input(6, -1, horizon=2), births, 6, 3, scaler)
    with pytest.raises(ValueError, match="horizon must be a whole number of at least 1"):
        walk_forward_multi(pick_one_input(6, -1, horizon=2), births, 6, 0, scaler)
    with pytest.raises(ValueError, match="horizon must be at most the training length 4"):
        multi_step_persistence(SMALL, 5, n_test=2)
