"""The benchmark's JSON report and README table, on a small run (two seeds, the MLP only)."""

import json

import numpy as np

from course_helpers import benchmark


def test_report_has_the_documented_schema_and_honest_ensembles(tmp_path, capsys):
    path = tmp_path / "bench.json"
    report = benchmark.main(
        [
            "--seeds",
            "2",
            "--ensemble",
            "2",
            "--models",
            "mlp",
            "--no-fit-speed",
            "--json",
            str(path),
        ]
    )
    assert json.loads(path.read_text()) == json.loads(json.dumps(report))
    assert report["protocol"]["n_test"] == 100 and report["protocol"]["n_train"] == 265
    assert round(report["baselines"]["persistence"]["rmse"], 3) == 7.892
    mlp = report["models"]["mlp"]
    assert len(mlp["rmse_runs"]) == 4  # two groups of two networks
    assert np.isclose(mlp["rmse_mean"], np.mean(mlp["rmse_runs"]))
    ensembles = report["ensembles"]["mlp"]
    assert ensembles["networks"] == 2 and len(ensembles["rmse_runs"]) == 2
    # averaging two forecasts can never be worse than the mean of their errors
    for group, score in zip((mlp["rmse_runs"][:2], mlp["rmse_runs"][2:]), ensembles["rmse_runs"]):
        assert score <= np.mean(group) + 1e-9
    table = capsys.readouterr().out
    assert "| mlp | 7 | 37 |" in table and "| persistence (baseline) |" in table


def test_fit_speed_compares_the_same_training_both_ways():
    speed = benchmark.fit_speed(epochs=50)
    assert set(speed) >= {
        "plain_seconds",
        "fast_seconds",
        "ratio",
        "plain_prediction",
        "fast_prediction",
    }
    assert np.isclose(speed["plain_prediction"], speed["fast_prediction"], rtol=1e-5)
