"""The capstone benchmark: its table, its verdicts, and the fit-against-model.fit timing."""

import numpy as np

from course_tools import benchmark_capstone as bench

RIDGE = "linear autoregression (ridge)"


def _results(mlp_val, mlp_test, sd):
    rows = lambda ridge, mlp: {  # noqa: E731
        "persistence": {"rmse": 90.0, "mae": 60.0, "h1": 25.0, "h24": 110.0},
        RIDGE: {"rmse": ridge, "mae": 45.0, "h1": 24.0, "h24": 90.0},
        "MLP": {
            "rmse": mlp,
            "mae": 46.0,
            "h1": 30.0,
            "h24": 91.0,
            "single_rmse": mlp + 1,
            "single_sd": sd,
            "runs": [mlp],
            "seeds": [0, 1, 2],
        },
    }
    return {"validation": rows(73.7, mlp_val), "test": rows(64.3, mlp_test)}


def test_verdict_needs_a_margin_larger_than_the_seed_sd():
    assert bench._verdicts(_results(73.0, 64.0, 0.2))["MLP"] == {"validation": True, "test": True}
    assert bench._verdicts(_results(73.6, 64.0, 0.2))["MLP"] == {"validation": False, "test": True}
    assert bench._verdicts(_results(75.0, 66.0, 0.2))["MLP"] == {"validation": False, "test": False}


def test_table_is_sorted_by_test_rmse_and_names_the_ensembles():
    table = bench.markdown_table(_results(73.0, 64.0, 0.2)).splitlines()
    assert table[0].startswith("| forecast")
    assert table[2].startswith("| MLP (ensemble of 3; one seed 65.0 ± 0.2)")
    assert table[3].startswith(f"| {RIDGE} | 73.7 | 64.3 |")
    assert table[-1].startswith("| persistence |")


def test_fit_speed_times_both_loops_on_the_capstone_data():
    speed = bench.fit_speed(epochs=1)
    assert speed["samples"] > 20000 and speed["ratio"] > 0
    assert np.isfinite(speed["fit final loss"]) and np.isfinite(speed["model.fit final loss"])


def test_readme_shows_the_saved_capstone_table_word_for_word():
    """The README's capstone table and verdicts are what the code prints for the saved JSON."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    report = json.loads((root / "notebooks" / "capstone_benchmark.json").read_text())
    readme = (root / "README.md").read_text()
    assert bench.markdown_table(report) in readme
    for line in bench._verdict_lines(report):
        assert line in readme
