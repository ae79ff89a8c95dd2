"""The forecast explorer without a browser: sliders set in code, run() and the Train button.

Every run trains at the lesson's default settings (course_helpers.models.DEFAULTS; a second or
two each), so the number of runs here is kept small; the browser test in tests/browser/ drives the
same widget through JupyterLab.
"""

import base64

import ipywidgets as widgets
import pytest

import course_helpers
from course_helpers.models import DEFAULTS, MODEL_NAMES
from course_helpers.widgets import ForecastExplorer

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def shown_png(explorer: ForecastExplorer) -> bytes:
    """The PNG the explorer's output area holds; fails unless it holds exactly one image."""
    outputs = explorer.output.outputs
    assert len(outputs) == 1, f"expected one output (the plot), got {outputs!r:.300}"
    (output,) = outputs
    assert output["output_type"] == "display_data", output
    assert "image/png" in output["data"], f"no image/png in {sorted(output['data'])}"
    png = base64.b64decode(output["data"]["image/png"])
    assert png.startswith(PNG_SIGNATURE), "the image/png output is not a PNG"
    return png


def table_rows(explorer: ForecastExplorer) -> int:
    """Number of runs listed in the explorer's runs table (rows of its body)."""
    _, _, body = explorer.table.value.partition("<tbody>")
    return body.count("<tr")


def other_window(explorer: ForecastExplorer) -> int:
    """A valid window different from the current one (one or two slider steps away)."""
    slider = explorer.window
    up = slider.value + 2 * slider.step
    return up if up <= slider.max else slider.value - slider.step


def assert_no_traceback(capsys):
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err, captured


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_explorer_retrains_redraws_and_is_seeded(name, capsys):
    explorer = ForecastExplorer(name, run_now=False)
    assert isinstance(explorer, widgets.VBox)
    assert explorer.output.outputs == () and explorer.history == []
    assert "image/png" not in explorer._repr_mimebundle_()  # nothing drawn yet
    for slider in (explorer.window, explorer.epochs, explorer.horizon):
        if slider is not None:
            assert slider.continuous_update is False, slider.description
    assert (explorer.epochs.min, explorer.epochs.max) == (10, 2000)
    assert explorer.window.value == DEFAULTS[name].window
    assert explorer.epochs.value == DEFAULTS[name].epochs

    first = explorer.run()
    assert "error" not in first, first
    for key in ("rmse", "mae", "persistence_rmse", "seconds", "window", "epochs"):
        assert key in first, f"run() result lacks {key!r}: {first}"
    assert first["window"] == DEFAULTS[name].window and first["epochs"] == DEFAULTS[name].epochs
    assert first["persistence_rmse"] == pytest.approx(7.892, abs=5e-4)
    assert 0 < first["rmse"] < 3 * first["persistence_rmse"], first
    assert first["seconds"] > 0
    first_png = shown_png(explorer)
    assert f"{first['rmse']:.2f}" in explorer.status.value
    assert f"{first['persistence_rmse']:.2f}" in explorer.status.value
    assert table_rows(explorer) == 1
    assert not explorer.train_button.disabled

    # A different window through the slider and the button: new numbers, a new plot, a longer table.
    window = other_window(explorer)
    explorer.window.value = window
    explorer.train_button.click()
    second = explorer.history[-1]
    assert len(explorer.history) == 2 and second["window"] == window
    assert second["rmse"] != first["rmse"], "the RMSE did not change with the window"
    assert shown_png(explorer) != first_png, "the plot did not change with the window"
    assert f"{second['rmse']:.2f}" in explorer.status.value
    assert table_rows(explorer) == 2

    # Back to the first settings: the same numbers and the same picture (seeded, state cleared).
    explorer.window.value = first["window"]
    again = explorer.run()
    for key in ("rmse", "mae", "persistence_rmse", "window", "epochs"):
        assert again[key] == first[key], f"{key} differs for the same settings: {again} {first}"
    assert shown_png(explorer) == first_png
    assert table_rows(explorer) == 3

    # Displayed: the live widget, with the last plot as a static fallback where widgets can't run.
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"]) == first_png
    assert f"{first['rmse']:.2f}" in bundle["text/plain"]
    assert_no_traceback(capsys)


def test_unknown_model_lists_the_names():
    assert course_helpers.ForecastExplorer is ForecastExplorer
    with pytest.raises(ValueError, match="nope") as error:
        ForecastExplorer("nope", run_now=False)
    for name in MODEL_NAMES:
        assert name in str(error.value)


def test_cnn_lstm_window_moves_in_steps_of_n_seq():
    for n_seq in (2, 3):
        explorer = ForecastExplorer("cnn_lstm", run_now=False, n_seq=n_seq)
        slider = explorer.window
        assert slider.step == n_seq
        for value in (slider.min, slider.max, slider.value):
            assert value % n_seq == 0, (n_seq, slider.min, slider.max, slider.value)
        assert slider.min >= 2 * n_seq  # each subsequence needs two steps for the pooling
    result = explorer.run()  # n_seq=3: the starting window must make a model
    assert "error" not in result, result
    assert result["window"] % 3 == 0


def test_encoder_decoder_has_a_horizon_and_scores_each_step():
    explorer = ForecastExplorer("encoder_decoder", run_now=False)
    assert explorer.horizon is not None
    assert explorer.horizon.value == DEFAULTS["encoder_decoder"].kwargs["n_out"]
    explorer.horizon.value = 5
    result = explorer.run()
    assert result["horizon"] == 5
    assert len(result["rmse_by_horizon"]) == 5
    assert all(value > 0 for value in result["rmse_by_horizon"])
    assert "horizon" in explorer.table.value
    for name in ("mlp", "cnn", "lstm", "cnn_lstm"):
        assert ForecastExplorer(name, run_now=False).horizon is None


def test_window_slider_cannot_go_below_what_the_model_needs():
    explorer = ForecastExplorer("cnn", run_now=False, kernel_size=10)
    assert explorer.window.min == 11  # a kernel of 10 plus one step for the pooling
    assert explorer.window.value >= 11
    explorer.window.value = 3
    assert explorer.window.value == 11, "the slider accepted a window too short for the kernel"
    explorer.epochs.value = 0
    assert explorer.epochs.value == explorer.epochs.min == 10


@pytest.mark.parametrize(
    "name, kwargs, window, expected",
    [
        ("cnn", {"kernel_size": 0}, None, "kernel_size"),
        ("mlp", {"units": 0}, None, "units"),
        ("mlp", {"unitz": 32}, None, "unitz"),
        ("cnn_lstm", {"n_seq": 0}, None, "n_seq"),
        ("cnn_lstm", {}, 9, "multiple of 2"),  # set in code past the slider's step
    ],
    ids=[
        "cnn-kernel-0",
        "mlp-units-0",
        "mlp-misspelt-kwarg",
        "cnn_lstm-n_seq-0",
        "cnn_lstm-odd-window",
    ],
)
def test_settings_that_make_no_model_give_a_short_message(name, kwargs, window, expected, capsys):
    explorer = ForecastExplorer(name, run_now=False, **kwargs)
    if window is not None:
        explorer.window.value = window
    result = explorer.run()
    assert set(result) >= {"error", "window", "epochs"}, result
    assert expected in result["error"], result["error"]
    status = explorer.status.value
    assert expected in status and "Traceback" not in status and len(status) < 400, status
    explorer.train_button.click()  # the button shows the same message and raises nothing
    assert explorer.status.value == status
    assert not explorer.train_button.disabled
    assert explorer.history == [] and explorer.output.outputs == () and table_rows(explorer) == 0
    assert_no_traceback(capsys)


def test_a_failing_first_run_still_builds_the_widget():
    explorer = ForecastExplorer("mlp", units=0)  # run_now=True: the first run fails politely
    assert "units" in explorer.status.value
    assert explorer.history == [] and explorer.output.outputs == ()
