"""Lesson 8's explorer: validation unless the test year is asked for, epochs per network, and the
plot a saved copy keeps."""

import pytest

from course_helpers import capstone as cap


def test_explorer_scores_validation_unless_the_test_year_is_asked_for():
    explorer = cap.CapstoneExplorer("mlp", inputs="pm2.5")
    explorer.epochs.value = 1
    record = explorer.run()
    assert record["period"] == "validation"
    assert record["rmse"] > 0 and record["ridge rmse"] > 0
    (plot,) = explorer.output.outputs
    assert "image/png" not in cap.CapstoneExplorer("mlp")._repr_mimebundle_()  # not run yet
    bundle = explorer._repr_mimebundle_()  # a saved copy: the last plot and the scores
    assert bundle["image/png"] == plot["data"]["image/png"]
    assert bundle["text/plain"].startswith(
        f"Capstone explorer (MLP, inputs 'pm2.5', window {explorer.window.value} h): validation: "
        f"RMSE "
        f"{record['rmse']:.1f} µg/m³"
    )
    assert record["verdict"] in ("better", "worse", "tie") and record["low"] <= record["high"]
    explorer.test_year.value = True
    scored = explorer.run()
    assert scored["period"] == "test"
    assert len(explorer.history) == 2
    explorer.network.value = "lstm"
    assert explorer.epochs.value == cap.MODELS["lstm"].defaults.epochs
    assert explorer.window.value == cap.MODELS["lstm"].defaults.window
    assert explorer.epochs.max == max(cap.MODELS["lstm"].grid["epochs"])  # retrains in seconds
    with pytest.raises(ValueError, match="Unknown network"):
        cap.CapstoneExplorer("encoder_decoder")


def test_the_test_year_is_scored_once_per_setting():
    """A second press for settings already scored on 2014 shows the earlier score, says why, and
    does not retrain; other settings, or validation, train as usual."""
    explorer = cap.CapstoneExplorer("mlp", inputs="pm2.5")
    explorer.epochs.value = 1
    explorer.test_year.value = True
    first = explorer.run()
    again = explorer.run()
    assert again == first and len(explorer.history) == 1
    assert "scored on 2014 already" in explorer.status.value
    assert f"RMSE {first['rmse']:.1f}" in explorer.status.value
    explorer.epochs.value = 2  # new settings: a new run
    assert explorer.run()["epochs"] == 2 and len(explorer.history) == 2
