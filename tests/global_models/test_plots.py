"""Lesson 9's plots draw what they are given."""

import numpy as np

from course_helpers.global_models import plots

from .panel_helpers import position_panel


def test_plots_have_one_panel_per_series_and_one_line_per_forecast():
    panel = position_panel()
    fig = plots.plot_series(panel, ["S0", "S2"], hours=30)
    assert len(fig.axes) == 2 and len(fig.axes[0].lines[0].get_xdata()) == 30
    actual = np.ones((3, 5))
    fig = plots.plot_forecasts(
        panel, actual, {"a": actual, "b": actual * 2}, ["S1"], hours_before=10
    )
    assert len(fig.axes) == 1 and len(fig.axes[0].lines) == 2 + 2 + 1  # history, actual, 2, origin
    fig = plots.plot_errors_by_horizon({"a": np.arange(5), "b": np.ones(5)}, title="t")
    assert [line.get_label() for line in fig.axes[0].lines] == ["a", "b"]
