"""The shared plots draw what their captions promise, and render to PNG."""

import keras
import numpy as np
import pandas as pd
import pytest

from course_helpers import plots
from course_helpers.evaluation import multi_step_persistence, persistence

DAYS = pd.date_range("1959-01-01", periods=40, freq="D")
SERIES = pd.Series(np.arange(40, dtype=float) % 7 + 30, index=DAYS, name="Births")


def labels(fig):
    return [line.get_label() for line in fig.axes[0].get_lines()]


def test_forecast_plot_has_test_data_model_and_persistence_with_errors():
    forecast = SERIES.iloc[-10:] + 1
    fig = plots.plot_forecast(
        SERIES,
        forecast,
        persistence=persistence(SERIES, 10),
        rmse=1.0,
        persistence_rmse=2.5,
        label="MLP",
        n_context=5,
    )
    assert labels(fig)[:2] == ["training data (end)", "test data"]
    assert "persistence (RMSE 2.50)" in labels(fig) and "MLP (RMSE 1.00)" in labels(fig)
    context = fig.axes[0].get_lines()[0]
    assert len(context.get_xdata()) == 5  # only the end of the training data
    # the legend sits below the axes, where it cannot hide the first test days
    assert fig.axes[0].get_legend() is None
    assert [text.get_text() for text in fig.legends[0].get_texts()] == [
        "training data (end)",
        "test data",
        "persistence (RMSE 2.50)",
        "MLP (RMSE 1.00)",
    ]
    assert plots.figure_to_png(fig).startswith(b"\x89PNG")


def test_history_plot_shows_both_losses():
    history = keras.callbacks.History()
    history.history = {"loss": [1.0, 0.5, 0.25], "val_loss": [1.1, 0.7, 0.6]}
    assert labels(plots.plot_history(history)) == ["loss", "val loss"]


def test_horizon_errors_plot_one_bar_per_horizon_and_model():
    per_horizon = pd.DataFrame(
        {"rmse": [1.0, 1.2, 1.5], "persistence_rmse": [2.0, 2.5, 3.0]},
        index=pd.Index([1, 2, 3], name="horizon"),
    )
    fig = plots.plot_horizon_errors(per_horizon)
    heights = [bar.get_height() for bar in fig.axes[0].patches]
    assert heights == [1.0, 1.2, 1.5, 2.0, 2.5, 3.0]


def test_forecast_paths_start_at_their_origins_beside_persistence():
    origins = [30, 35]
    paths = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    fig = plots.plot_forecast_paths(SERIES, origins, paths, label="encoder-decoder")
    lines = fig.axes[0].get_lines()
    assert [line.get_label() for line in lines[:3]] == [
        "test data",
        "persistence",
        "encoder-decoder",
    ]
    naive, path = lines[3], lines[4]  # the second origin
    assert list(path.get_ydata()) == [4.0, 5.0, 6.0]
    assert pd.Timestamp(path.get_xdata()[0]) == DAYS[35]
    expected = multi_step_persistence(SERIES, 3, n_test=5)  # the naive value repeats day 34
    assert list(naive.get_ydata()) == [SERIES.iloc[34]] * 3 == [expected.loc[DAYS[35], 1]] * 3


@pytest.mark.parametrize("origins, paths", [([], []), ([30], [[]]), ([30, 35], [[1.0, 2.0]])])
def test_forecast_paths_explain_mismatched_input(origins, paths):
    with pytest.raises(ValueError, match="one origin per path"):
        plots.plot_forecast_paths(SERIES, origins, paths)


def test_history_plot_uses_a_log_scale_only_for_a_wide_range():
    history = keras.callbacks.History()
    history.history = {"loss": [1.0, 0.97, 0.95]}
    assert plots.plot_history(history).axes[0].get_yscale() == "linear"
    history.history = {"loss": [4000.0, 30.0, 0.2]}
    assert plots.plot_history(history).axes[0].get_yscale() == "log"


def test_validation_plot_draws_the_held_out_days_only_with_each_seed():
    from course_helpers import load_series, validate

    births = load_series()
    score = validate("mlp", epochs=2, seeds=[0, 1])
    fig = plots.plot_validation(score, label="MLP")
    drawn = [label for label in labels(fig) if not label.startswith("_")]  # no block lines
    assert drawn[:3] == [
        "validation days (training data)",
        "persistence",
        "moving average (7 days)",
    ]
    assert drawn.count("each seed") == 1 and drawn[-1] == "MLP (mean of 2 seeds)"
    seed_lines = [line for line in fig.axes[0].get_lines() if line.get_alpha() == 0.35]
    assert len(seed_lines) == 2
    data_lines = [line for line in fig.axes[0].get_lines() if not line.get_label().startswith("_")]
    last_drawn = max(pd.to_datetime(line.get_xdata()).max() for line in data_lines)
    assert last_drawn < births.index[-100]  # no test day
    assert plots.figure_to_png(fig).startswith(b"\x89PNG")
    one = plots.plot_validation(validate("encoder_decoder", epochs=2, seeds=[3]), label="ED")
    assert [label for label in labels(one) if not label.startswith("_")][-1] == "ED (seed 3)"
