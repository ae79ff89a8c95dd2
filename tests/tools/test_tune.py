"""The validation used to choose settings: it must never see the test period."""

import numpy as np
import pytest

from course_helpers.data import load_series
from course_helpers.evaluation import N_TEST
from course_helpers.validation import rolling_origin_folds
from course_tools.tune import (
    ensemble_validation,
    format_ensemble_table,
    validation_curve,
)


def test_folds_hold_out_blocks_counted_back_from_the_end_of_training():
    assert list(rolling_origin_folds(258, 3, 40, 1)) == [
        (218, 218, 258),
        (178, 178, 218),
        (138, 138, 178),
    ]
    # a 3-step target leaves a gap of 2 windows so no fitting target falls in the block
    assert list(rolling_origin_folds(256, 1, 40, 3)) == [(214, 216, 256)]
    with pytest.raises(ValueError, match="nothing to train on"):
        rolling_origin_folds(100, 3, 40, 1)


def _with_test_period_changed(series):
    changed = series.copy()
    changed.iloc[-N_TEST:] = changed.iloc[-N_TEST:] * 3 + 50
    return changed


def test_validation_curve_is_blind_to_the_test_period():
    series = load_series()
    kwargs = dict(window=7, batch_size=32, seeds=[0], folds=1, fold_days=40, max_epochs=12)
    original = validation_curve("mlp", series=series, **kwargs)
    changed = validation_curve("mlp", series=_with_test_period_changed(series), **kwargs)
    assert original.shape == (12,)
    np.testing.assert_array_equal(original, changed)


def test_ensemble_validation_scores_groups_of_the_same_networks():
    series = load_series()
    scores, naive = ensemble_validation("mlp", [1, 2], folds=1, fold_days=40, series=series)
    assert set(scores) == {1, 2}
    # in births, in the range of the naive forecasts on these days (about 6 to 9)
    assert 5 < scores[2] <= scores[1] < 10
    # the naive scores are those of the last 40 training days, computed from the series itself
    days = series.iloc[:-N_TEST].to_numpy()
    actual = days[-40:]
    assert np.isclose(naive["persistence"], np.sqrt(np.mean((days[-41:-1] - actual) ** 2)))
    ma7 = np.array([days[t - 7 : t].mean() for t in range(len(days) - 40, len(days))])
    assert np.isclose(naive["moving average (7 days)"], np.sqrt(np.mean((ma7 - actual) ** 2)))
    table = format_ensemble_table({"mlp": (scores, naive)}).splitlines()
    assert table[0] == "| model | 1 network | 2 networks | persistence | moving average (7 days) |"
    assert table[2] == (
        f"| mlp | {scores[1]:.3f} | {scores[2]:.3f} | {naive['persistence']:.3f} | "
        f"{naive['moving average (7 days)']:.3f} |"
    )
    changed, _ = ensemble_validation(
        "mlp", [1, 2], folds=1, fold_days=40, series=_with_test_period_changed(series)
    )
    assert changed == scores
