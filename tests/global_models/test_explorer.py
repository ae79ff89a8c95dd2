"""Lesson 9's explorer without a browser: settings set in code, run(), the buttons, Stop, the test.

Most runs use the smallest settings (48 hours, 25 units, one pass: a second or two each); the
lesson's own settings give section 5's network, which the notebook prints beside section 5's
number. A run's numbers are compared with the lesson's functions (gm.train, gm.forecast,
gm.score) called directly with the same settings and seed.
"""

import base64
import time

import keras
import pytest

import course_helpers.global_models.explorer as explorer_module
from course_helpers import global_models as gm
from course_helpers.global_models.explorer import OPTIONS, TEST_NOTE, GlobalExplorer

SMALL = {"window": 48, "width": 25, "epochs": 1, "loss": "sMAPE"}
PNG = b"\x89PNG\r\n\x1a\n"


def small_explorer(**settings) -> GlobalExplorer:
    return GlobalExplorer(**{**SMALL, **settings})


def click_and_wait(button, explorer):
    button.click()
    assert explorer.wait(timeout=120), "the run did not finish within two minutes"
    assert not explorer.train_button.disabled and explorer.stop_button.disabled


def lesson_forecasts(settings: dict):
    """The same network trained by the lesson's own functions: validation and test forecasts."""
    full = gm.load_m4_hourly()
    history, _ = gm.validation_split(full)
    windows = gm.Windows(history, settings["window"], level_hours=24)
    keras.utils.set_random_seed(0)
    model = gm.build_mlp(settings["window"], units=settings["width"], depth=1)
    gm.train(model, windows, settings["epochs"], batch_size=256, loss=settings["loss"], seed=0)
    return gm.forecast(model, windows), gm.forecast(model, windows, full)


@pytest.fixture(scope="module")
def log_mae():
    """The settings the first two tests run, and the lesson's forecasts with them (trained once)."""
    settings = {**SMALL, "loss": "log MAE"}
    return settings, lesson_forecasts(settings)


def shown_png(output) -> bytes:
    (shown,) = output.outputs
    png = base64.b64decode(shown["data"]["image/png"])
    assert png.startswith(PNG)
    return png


def test_a_run_scores_the_validation_hours_as_the_lessons_functions_do(log_mae, capsys):
    settings, (val, _) = log_mae
    explorer = small_explorer(**settings)
    assert explorer.output.outputs == () and explorer.history == []
    assert "image/png" not in explorer._repr_mimebundle_()
    record = explorer.run()
    full = gm.load_m4_hourly()
    history, actual = gm.validation_split(full)
    reference = gm.score(history, actual, gm.naive2(history))
    expected = gm.score(history, actual, val, reference)
    assert record["val_owa"] == pytest.approx(expected.owa, rel=1e-6)
    assert record["val_smape"] == pytest.approx(expected.smape, rel=1e-6)
    snaive = gm.score(history, actual, gm.seasonal_naive(history), reference)
    assert record["snaive_owa"] == pytest.approx(snaive.owa)
    gap = gm.owa_difference(expected, snaive, reference)
    assert (record["gap"], record["gap_low"], record["gap_high"]) == pytest.approx(gap, rel=1e-5)
    assert not any(key.startswith("test") for key in record), record
    assert f"validation OWA <b>{record['val_owa']:.3f}</b>" in explorer.status.value
    assert "test" not in explorer.status.value.lower() and explorer.test_status.value == ""
    first = shown_png(explorer.output)
    bundle = explorer._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]) == first
    assert f"validation OWA {record['val_owa']:.3f}" in bundle["text/plain"]

    explorer.width.value = 50  # another setting, through the Train button (a background run)
    click_and_wait(explorer.train_button, explorer)
    assert len(explorer.history) == 2 and explorer.history[-1]["width"] == 50
    assert explorer.history[-1]["val_owa"] != record["val_owa"]
    assert shown_png(explorer.output) != first
    assert explorer.table.value.split("<tbody>")[1].count("<tr") == 2  # two runs
    assert "Traceback" not in capsys.readouterr().err


def test_the_test_hours_are_scored_only_by_their_button_once_per_setting(log_mae, monkeypatch):
    settings, (_, test_forecast) = log_mae
    reads = []
    real = explorer_module.load_test
    monkeypatch.setattr(explorer_module, "load_test", lambda panel: reads.append(1) or real(panel))
    explorer = small_explorer(**settings)
    assert TEST_NOTE in explorer.children[-1].children[0].value and "optimistic" in TEST_NOTE
    explorer.run()
    record = explorer.history[0]
    assert reads == [] and "test_owa" not in record  # training and validation never read it

    click_and_wait(explorer.test_button, explorer)
    full = gm.load_m4_hourly()
    test = gm.load_test(full)
    expected = gm.score(full, test, test_forecast, gm.score(full, test, gm.naive2(full)))
    assert record["test_owa"] == pytest.approx(expected.owa, rel=1e-6)
    assert f"OWA <b>{expected.owa:.3f}</b>" in explorer.test_status.value
    assert f"{expected.owa:.3f}" in explorer.table.value
    assert len(reads) == 1

    again = explorer.score_test()  # the same settings: the earlier score, and why
    assert again["repeat"] and again["test_owa"] == record["test_owa"] and len(reads) == 1
    assert "already" in explorer.test_status.value and "Choose by validation" in (
        explorer.test_status.value
    )

    explorer.epochs.value = 2  # new settings may be scored once too
    explorer.run()
    fresh = explorer.score_test()
    assert "repeat" not in fresh and fresh["run"] == 2 and len(reads) == 2


def test_scoring_the_test_hours_before_any_run_says_to_train_first():
    explorer = small_explorer()
    assert "error" in explorer.score_test()
    assert "Train first" in explorer.test_status.value


def test_settings_the_explorer_does_not_offer_get_a_short_message():
    with pytest.raises(ValueError, match="window=30 is not offered; choose one of 48, 96"):
        GlobalExplorer(window=30)
    with pytest.raises(ValueError, match="loss='MSE' is not offered"):
        GlobalExplorer(loss="MSE")
    with pytest.raises(ValueError, match="Unknown setting 'units'"):
        GlobalExplorer(units=100)
    assert set(OPTIONS["loss"]) == set(gm.LOSSES) and 168 in OPTIONS["window"]


def test_a_failing_run_says_why_in_the_widget(monkeypatch):
    explorer = small_explorer()

    def refuses(*args, **kwargs):
        raise ValueError("The window (48) and horizon (48) do not fit in series H1")

    monkeypatch.setattr(explorer_module, "train", refuses)
    result = explorer.run()
    assert "do not fit" in result["error"] and "do not fit" in explorer.status.value
    assert explorer.history == [] and explorer.output.outputs == ()

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(explorer_module, "train", broken)
    click_and_wait(explorer.train_button, explorer)
    assert "Training failed: RuntimeError: disk on fire" in explorer.status.value


def test_stop_ends_a_long_run_and_leaves_the_explorer_usable():
    explorer = GlobalExplorer(window=168, width=200, epochs=3)
    explorer.train_button.click()
    deadline = time.monotonic() + 60
    while explorer.progress.value == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert explorer.progress.value > 0, "training never reported progress"
    explorer.stop_button.click()
    assert explorer.wait(timeout=60)
    assert "Stopped after" in explorer.status.value and "steps" in explorer.status.value
    assert explorer.progress.value < explorer.progress.max and explorer.history == []
    for name, value in SMALL.items():
        getattr(explorer, name).value = value
    click_and_wait(explorer.train_button, explorer)
    assert len(explorer.history) == 1 and "validation OWA" in explorer.status.value
