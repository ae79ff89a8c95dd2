"""Lesson 8's explorer: validation unless the test year is asked for, epochs per network."""

import pytest

from course_helpers import capstone as cap


def test_explorer_scores_validation_unless_the_test_year_is_asked_for():
    explorer = cap.CapstoneExplorer("mlp", inputs="pm2.5")
    explorer.epochs.value = 1
    record = explorer.run()
    assert record["period"] == "validation"
    assert record["rmse"] > 0 and record["ridge rmse"] > 0
    assert explorer.output.outputs  # the plot
    explorer.test_year.value = True
    assert explorer.run()["period"] == "test"
    assert len(explorer.history) == 2
    explorer.network.value = "lstm"
    assert explorer.epochs.value == cap.MODELS["lstm"].defaults.epochs
    assert explorer.epochs.max == 3  # a retrain stays within seconds
    with pytest.raises(ValueError, match="Unknown network"):
        cap.CapstoneExplorer("encoder_decoder")
