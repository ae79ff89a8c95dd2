"""Lesson 2's window plot and explorer: the window drawn, its sliders, what a saved copy shows."""

import base64

import pandas as pd
import pytest

from course_helpers.data import load_series
from course_helpers.lesson_plots import WindowExplorer, plot_window, window_explorer


@pytest.fixture(scope="module")
def births():
    return load_series()


def test_the_explorer_redraws_and_keeps_the_position_inside_the_series(births):
    explorer = window_explorer(births, window=7, start=100)
    assert isinstance(explorer, WindowExplorer)
    assert (explorer.window.value, explorer.start.value) == (7, 100)
    assert "leaves <b>358</b> samples from 365 values" in explorer.caption.value
    first = explorer.output.outputs[0]["data"]["image/png"]
    explorer.start.value = len(births) - 8  # the last sample a window of 7 allows
    explorer.window.value = 30  # now that sample is past the end: the position moves back
    assert explorer.start.value == explorer.start.max == len(births) - 31
    assert "leaves <b>335</b> samples" in explorer.caption.value
    assert explorer.output.outputs[0]["data"]["image/png"] != first
    assert len(explorer.output.outputs) == 1  # one picture, replaced


def test_a_saved_copy_shows_the_window_drawn_last(births):
    explorer = window_explorer(births, window=14, start=3)
    bundle = explorer._repr_mimebundle_()
    shown = explorer.output.outputs[0]["data"]["image/png"]
    assert base64.b64decode(bundle["image/png"]) == base64.b64decode(shown)
    assert bundle["text/plain"] == (
        "Window explorer, sample 3: A window of 14 leaves 351 samples from 365 values."
    )


def test_plot_window_and_the_explorer_reject_windows_past_the_end():
    series = pd.Series(range(10), index=pd.date_range("2020-01-01", periods=10), dtype=float)
    fig = plot_window(series, window=3, start=2, horizon=2)
    assert "3 input values → 2 targets" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="runs past the end of 10 values; use start <= 5"):
        plot_window(series, window=3, start=6, horizon=2)
    with pytest.raises(ValueError, match="window must be a whole number of at least 1"):
        window_explorer(series, window=0)
