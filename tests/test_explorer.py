"""The forecast explorer without a browser: sliders set in code, run(), the buttons and Stop.

Every run trains at the lesson's default settings (course_helpers.models.DEFAULTS) on the three
validation folds (well under a second each once compiled), so the number of runs here is kept
small; the browser test in tests/browser/ drives the same widget through JupyterLab.
"""

import base64
import time

import ipywidgets as widgets
import numpy as np
import pytest

import course_helpers
from course_helpers import train_and_evaluate, validate
from course_helpers.explorer import TEST_NOTE, ForecastExplorer
from course_helpers.models import DEFAULTS, MODEL_NAMES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
VALIDATION_KEYS = ("val_rmse", "val_sd", "val_persistence", "val_moving_average", "seconds")


def shown_png(output: widgets.Output) -> bytes:
    """The PNG an output area holds; fails unless it holds exactly one image."""
    outputs = output.outputs
    assert len(outputs) == 1, f"expected one output (the plot), got {outputs!r:.300}"
    (shown,) = outputs
    assert shown["output_type"] == "display_data", shown
    assert "image/png" in shown["data"], f"no image/png in {sorted(shown['data'])}"
    png = base64.b64decode(shown["data"]["image/png"])
    assert png.startswith(PNG_SIGNATURE), "the image/png output is not a PNG"
    return png


def table_rows(explorer: ForecastExplorer) -> list[str]:
    """The rows of the explorer's runs table (HTML of each body row)."""
    _, _, body = explorer.table.value.partition("<tbody>")
    return body.split("<tr")[1:]


def other_window(explorer: ForecastExplorer) -> int:
    """A valid window different from the current one (one or two slider steps away)."""
    slider = explorer.window
    up = slider.value + 2 * slider.step
    return up if up <= slider.max else slider.value - slider.step


def click_and_wait(button: widgets.Button, explorer: ForecastExplorer) -> None:
    """Press a button as a learner would and wait for the background run it starts."""
    button.click()
    assert explorer.wait(timeout=120), "the run did not finish within two minutes"
    assert not explorer.train_button.disabled and explorer.stop_button.disabled


def day_ahead_rmse(score) -> np.ndarray:
    """Each seed's validation RMSE one day ahead, from a Validation."""
    forecasts, actual = score.forecasts, score.actual
    if forecasts.ndim == 3:
        forecasts, actual = forecasts[..., 0], actual[:, 0]
    return np.sqrt(((forecasts - actual) ** 2).mean(axis=1))


def assert_no_traceback(capsys):
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err, captured


def assert_ready_at_the_defaults(explorer: ForecastExplorer, name: str) -> None:
    """A new explorer: nothing drawn or run, sliders at the lesson's defaults, Train enabled."""
    assert isinstance(explorer, widgets.VBox)
    assert explorer.output.outputs == () and explorer.history == []
    assert "image/png" not in explorer._repr_mimebundle_()  # nothing drawn yet
    for slider in (explorer.window, explorer.epochs, explorer.horizon):
        if slider is not None:
            assert slider.continuous_update is False, slider.description
    assert (explorer.epochs.min, explorer.epochs.max) == (10, 2000)
    assert explorer.window.value == DEFAULTS[name].window
    assert explorer.epochs.value == DEFAULTS[name].epochs
    assert explorer.stop_button.disabled and not explorer.train_button.disabled


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_explorer_scores_on_validation_retrains_and_is_seeded(name, capsys):
    explorer = ForecastExplorer(name, run_now=False)
    assert_ready_at_the_defaults(explorer, name)
    first = explorer.run()
    assert "error" not in first, first
    for key in VALIDATION_KEYS:
        assert key in first, f"run() result lacks {key!r}: {first}"
    assert not any(key.startswith("test") for key in first), f"a run scored the test: {first}"
    assert first["window"] == DEFAULTS[name].window and first["epochs"] == DEFAULTS[name].epochs
    assert first["seeds"] == [0]
    # the number shown is ch.validate's, beside the naive forecasts of the same validation days
    score = validate(name, seeds=[0])
    assert first["val_rmse"] == pytest.approx(day_ahead_rmse(score)[0], rel=1e-6)
    if name != "encoder_decoder":
        assert first["val_persistence"] == pytest.approx(score.baselines["persistence"])
        assert first["val_moving_average"] == pytest.approx(
            score.baselines["moving average (7 days)"]
        )
    assert 0 < first["val_rmse"] < 3 * first["val_persistence"], first
    first_png = shown_png(explorer.output)
    status = explorer.status.value
    assert f"validation RMSE <b>{first['val_rmse']:.2f}</b>" in status
    assert f"persistence {first['val_persistence']:.2f}" in status
    assert f"7-day average {first['val_moving_average']:.2f}" in status
    assert "test" not in status.lower()
    assert explorer.test_status.value == "" and explorer.test_output.outputs == ()
    assert len(table_rows(explorer)) == 1

    # A different window through the slider and the Train button (a background run).
    explorer.window.value = other_window(explorer)
    click_and_wait(explorer.train_button, explorer)
    second = explorer.history[-1]
    assert len(explorer.history) == 2 and second["window"] == explorer.window.value
    assert second["val_rmse"] != first["val_rmse"], "the RMSE did not change with the window"
    assert shown_png(explorer.output) != first_png, "the plot did not change with the window"
    assert f"{second['val_rmse']:.2f}" in explorer.status.value
    assert len(table_rows(explorer)) == 2

    # Back to the first settings: the same numbers and the same picture (seeded, state reset).
    explorer.window.value = first["window"]
    again = explorer.run()
    for key in ("val_rmse", "val_persistence", "val_moving_average", "window", "epochs"):
        assert again[key] == first[key], f"{key} differs for the same settings: {again} {first}"
    assert shown_png(explorer.output) == first_png

    # Displayed: the live widget, with the last plot as a static fallback where widgets can't run.
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"]) == first_png
    assert f"validation RMSE {first['val_rmse']:.2f}" in bundle["text/plain"]
    assert_no_traceback(capsys)


def test_the_test_days_are_scored_only_behind_their_button():
    explorer = ForecastExplorer("mlp")
    texts = [child.value for child in explorer.children[-1].children if hasattr(child, "value")]
    assert TEST_NOTE in " ".join(texts) and "optimistic" in TEST_NOTE
    assert explorer.test_button.description == "Score on the test days"
    header = explorer.table.value
    assert "validation (choose by these)" in header and "test (one final check)" in header
    run = explorer.history[-1]
    assert "test_rmse" not in run
    assert table_rows(explorer)[0].count("<td></td>") == 2  # the empty sd and test cells

    click_and_wait(explorer.test_button, explorer)
    assert run["test_rmse"] == pytest.approx(train_and_evaluate("mlp", seed=0).result.rmse)
    assert run["test_persistence"] == pytest.approx(7.892, abs=5e-4)
    assert f"test RMSE <b>{run['test_rmse']:.2f}</b>" in explorer.test_status.value
    assert "Run 1" in explorer.test_status.value
    assert f"<td>{run['test_rmse']:.2f}</td>" in table_rows(explorer)[0]
    shown_png(explorer.test_output)
    assert f"{run['test_rmse']:.2f}" not in explorer.status.value  # the validation line stays


def test_a_setting_is_scored_on_the_test_days_once(monkeypatch):
    explorer = ForecastExplorer("mlp")
    first = explorer.score_test()

    def no_training(*args, **kwargs):
        raise AssertionError("a setting already scored was trained again")

    monkeypatch.setattr(course_helpers.explorer, "train_and_evaluate", no_training)
    again = explorer.score_test()  # the same run's settings
    assert again["already_scored"] == 1 and again["test_rmse"] == first["test_rmse"]
    assert "These settings were already scored on the test days (run 1)" in (
        explorer.test_status.value
    )
    assert "tells you nothing new" in explorer.test_status.value
    explorer.run()  # a new run of the same settings: its row gets the earlier score
    repeated = explorer.score_test()
    assert repeated["run"] == 2 and repeated["already_scored"] == 1
    assert "Run 2's settings were already scored on the test days (run 1)" in (
        explorer.test_status.value
    )
    assert explorer.history[1]["test_rmse"] == first["test_rmse"]
    explorer.epochs.value += 10  # other settings: scored anew (and training is refused here)
    explorer.run()
    with pytest.raises(AssertionError, match="trained again"):
        explorer.score_test()


def test_scoring_the_test_before_any_run_says_to_train_first():
    explorer = ForecastExplorer("mlp", run_now=False)
    assert "error" in explorer.score_test()
    assert "Train first" in explorer.test_status.value


def test_three_seeds_show_the_mean_and_the_spread():
    explorer = ForecastExplorer("cnn", run_now=False, seeds=3)
    assert explorer.seeds.value == 3
    result = explorer.run()
    assert result["seeds"] == [0, 1, 2]
    by_seed = result["val_rmse_by_seed"]
    assert len(set(by_seed)) == 3, "three seeds gave identical networks"
    expected = day_ahead_rmse(validate("cnn", seeds=[0, 1, 2]))
    np.testing.assert_allclose(by_seed, expected, atol=1e-4)
    assert result["val_rmse"] == pytest.approx(np.mean(expected), rel=1e-6)
    assert result["val_sd"] == pytest.approx(np.std(expected, ddof=1), rel=1e-5)
    assert result["val_sd"] > 0
    status = explorer.status.value
    assert f"± {result['val_sd']:.2f} over seeds 0–2" in status
    for value in by_seed:
        assert f"{value:.2f}" in status

    explorer.seed.value, explorer.seeds.value = 5, 1
    other = explorer.run()
    assert other["seeds"] == [5] and other["val_sd"] == 0
    assert "(seed 5)" in explorer.status.value
    assert "<td>0–2</td>" in table_rows(explorer)[0] and "<td>5</td>" in table_rows(explorer)[1]
    with pytest.raises(ValueError, match="seeds must be 1 or 3"):
        ForecastExplorer("cnn", run_now=False, seeds=2)


def test_stop_ends_a_long_run_and_leaves_the_explorer_usable():
    explorer = ForecastExplorer("lstm", run_now=False)
    explorer.window.value, explorer.epochs.value = explorer.window.max, explorer.epochs.max
    started = time.perf_counter()
    explorer.train_button.click()
    assert explorer.train_button.disabled and explorer.test_button.disabled
    assert not explorer.stop_button.disabled
    deadline = time.monotonic() + 120
    while explorer.progress.value == 0 and time.monotonic() < deadline:
        time.sleep(0.05)  # training has begun once the bar moves
    assert explorer.progress.value > 0, "training never reported progress"
    explorer.stop_button.click()
    assert explorer.wait(timeout=60), "Stop did not end the run within a minute"
    seconds = time.perf_counter() - started
    total = 3 * explorer.epochs.max
    assert (
        "Stopped after" in explorer.status.value and f"of {total:,} epochs" in explorer.status.value
    )
    assert explorer.progress.value < total
    assert seconds < 90, f"stopping took {seconds:.0f} s"
    assert explorer.history == [] and explorer.output.outputs == ()
    assert not explorer.train_button.disabled and explorer.stop_button.disabled

    explorer.epochs.value = explorer.epochs.min  # usable: a short run finishes and is drawn
    click_and_wait(explorer.train_button, explorer)
    assert len(explorer.history) == 1 and explorer.history[0]["epochs"] == explorer.epochs.min
    assert "validation RMSE" in explorer.status.value
    shown_png(explorer.output)


def test_an_unexpected_failure_in_the_background_is_shown_in_the_widget(monkeypatch):
    explorer = ForecastExplorer("mlp", run_now=False)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(course_helpers.explorer, "validate", broken)
    click_and_wait(explorer.train_button, explorer)
    assert "Training failed: RuntimeError: disk on fire" in explorer.status.value


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
    assert explorer.horizon.value == DEFAULTS["encoder_decoder"].kwargs["horizon"]
    explorer.horizon.value = 5
    result = explorer.run()
    assert result["horizon"] == 5
    assert len(result["val_rmse_by_horizon"]) == 5
    assert result["val_rmse"] == pytest.approx(result["val_rmse_by_horizon"][0], abs=1e-4)
    assert all(value > 0 for value in result["val_rmse_by_horizon"])
    assert "horizon" in explorer.table.value
    scored = explorer.score_test()
    assert len(scored["test_rmse_by_horizon"]) == 5
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
    click_and_wait(explorer.train_button, explorer)  # the button shows the same message
    assert explorer.status.value == status
    assert explorer.history == [] and explorer.output.outputs == () and table_rows(explorer) == []
    assert_no_traceback(capsys)


def test_a_failing_first_run_still_builds_the_widget():
    explorer = ForecastExplorer("mlp", units=0)  # run_now=True: the first run fails politely
    assert "units" in explorer.status.value
    assert explorer.history == [] and explorer.output.outputs == ()
