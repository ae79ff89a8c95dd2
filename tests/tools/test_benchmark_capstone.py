"""The capstone benchmark: its table, its verdicts, the tuning line, and fit against model.fit."""

import json
from pathlib import Path

import numpy as np

from course_tools import benchmark_capstone as bench

RIDGE = "linear autoregression (ridge)"
ROOT = Path(__file__).resolve().parents[2]


def row(val, test, verdicts=("tie", "tie")):
    """A row of the table with these RMSEs and verdicts on the ridge."""
    return {
        "validation RMSE": val,
        "validation gain": 73.5 - val,
        "validation low": 73.5 - val - 1.0,
        "validation high": 73.5 - val + 1.0,
        "validation verdict": verdicts[0],
        "test RMSE": test,
        "test gain": 64.2 - test,
        "test low": 64.2 - test - 1.0,
        "test high": 64.2 - test + 1.0,
        "test verdict": verdicts[1],
        "test MAE": 44.0,
        "test 1 h": 25.0,
        "test 24 h": 90.0,
    }


def results():
    mlp = "MLP (mean of 3 seeds)"
    rows = {
        "persistence": row(98.5, 80.8, ("worse", "worse")),
        RIDGE: {**row(73.5, 64.2), "validation verdict": "reference", "test verdict": "reference"},
        mlp: row(72.0, 63.9, ("better", "tie")),
        "half ridge, half MLP": row(71.9, 62.8, ("better", "better")),
    }
    seeds = {mlp: {"validation": (72.6, 0.3), "test": (64.5, 0.5)}}
    return {"rows": rows, "seeds": seeds}


def test_table_is_sorted_by_test_rmse_with_gains_and_seed_spreads():
    table = bench.markdown_table(results()).splitlines()
    assert table[0].startswith("| forecast (24 h from each midnight, clipped at 0) | 2013 RMSE")
    assert table[2].startswith("| half ridge, half MLP | 71.9 | +1.60 [+0.60, +2.60] better |")
    assert table[3].startswith("| MLP (mean of 3 seeds) | 72.0 |")
    assert table[3].endswith("| 72.6 ± 0.3, 64.5 ± 0.5 |")  # single seeds: 2013, 2014
    assert table[4].startswith(f"| {RIDGE} | 73.5 | reference | 64.2 | reference |")
    assert table[-1].startswith("| persistence |")


def test_verdicts_group_the_forecasts_by_the_years_they_beat_the_ridge_on():
    lines = bench.verdict_lines(results())
    assert lines == [
        "- better than the ridge on 2013 and on 2014: half ridge, half MLP.",
        "- better on 2013 only: MLP (mean of 3 seeds).",
        "- better on 2014 only: none.",
        "- better on neither (a tie, or worse): none.",
        "- worse than the ridge on at least one: none.",  # the naive baselines left out
    ]


def test_fit_speed_times_both_loops_on_the_capstone_data():
    speed = bench.fit_speed(epochs=1)
    assert speed["samples"] > 20000 and speed["ratio"] > 0
    assert np.isfinite(speed["fit final loss"]) and np.isfinite(speed["model.fit final loss"])


def test_readme_shows_the_saved_capstone_report_word_for_word():
    """The README's capstone section is what the code prints for the saved JSON: the table, the
    verdicts, the tuning's choices and the speed line."""
    saved = json.loads((ROOT / "notebooks" / "capstone_benchmark.json").read_text())
    assert bench.report(saved) in (ROOT / "README.md").read_text()
