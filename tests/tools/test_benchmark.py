"""The benchmark's JSON report and README table, on a small run (two seeds, the MLP only)."""

import copy
import json
from pathlib import Path

import numpy as np

from course_helpers import load_series, rmse
from course_tools import benchmark


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
            "--validation-ensembles",
            "1",
            "2",
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
    # the forecasts lesson 7 compares day by day: one per test day, each ensemble's own
    test = load_series()[-100:]
    assert len(mlp["test_forecast_mean"]) == 100 and len(ensembles["test_forecasts"]) == 2
    for forecast, score in zip(ensembles["test_forecasts"], ensembles["rmse_runs"]):
        assert abs(rmse(test, np.array(forecast)) - score) < 1e-3  # saved to 4 decimals
    assert "test days" in report["protocol"]["scored_on"]
    validation = report["validation"]  # kept apart from the test scores, and said to be
    assert "validation days" in validation["days"] and "training days" in validation["days"]
    sizes = validation["ensembles"]["mlp"]["rmse_by_size"]
    assert set(sizes) == {"1", "2"} and sizes["2"] <= sizes["1"]
    assert round(validation["ensembles"]["mlp"]["baselines"]["persistence"], 3) == 9.231
    printed = capsys.readouterr().out
    assert "| mlp | 7 | 37 |" in printed and "| persistence (baseline) |" in printed
    assert "test RMSE, one network" in printed
    assert "On the validation days inside the training period" in printed


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


ROOT = Path(__file__).resolve().parents[2]


def _saved_report() -> dict:
    return json.loads((ROOT / "notebooks" / "benchmark.json").read_text())


def test_readme_shows_the_saved_benchmark_word_for_word():
    """The README's table and its reading are what the code prints for notebooks/benchmark.json."""
    readme = (ROOT / "README.md").read_text()
    report = _saved_report()
    assert benchmark.format_table(report) in readme
    assert benchmark.format_summary(report) in readme


def test_summary_says_what_the_numbers_say():
    report = copy.deepcopy(_saved_report())
    persistence = report["baselines"]["persistence"]["rmse"]
    average7 = report["baselines"]["moving average (7 days)"]["rmse"]
    for model in report["models"].values():
        model["rmse_mean"], model["rmse_sd"] = average7 - 0.5, 0.1
    report["models"]["cnn"]["rmse_mean"] = persistence + 0.2  # one network loses to persistence
    report["models"]["mlp"]["rmse_runs"][0] = persistence + 3.0  # and one run of another
    report["models"]["lstm"]["rmse_mean"] = average7 - 0.6
    text = benchmark.format_summary(report)
    assert text.startswith("On the test days, on average four of the five networks beat")
    assert f"the worst of the {len(report['models']['mlp']['rmse_runs'])} mlp runs" in text
    assert "(worse than persistence)" in text
    assert f"(lstm, {average7 - 0.6:.3f}) beats a 7-day moving average" in text
    assert "by 0.600 births." in text

    report["models"]["lstm"]["rmse_mean"] = average7 - 0.05  # inside its seed sd of 0.1
    for name in report["models"]:
        if name != "lstm":
            report["models"][name]["rmse_mean"] = average7 + 0.1
    assert "by only 0.050 births, less than its own seed sd (0.100)" in (
        benchmark.format_summary(report)
    )
    report["models"]["lstm"]["rmse_mean"] = average7 + 0.01
    assert "does not beat a 7-day moving average" in benchmark.format_summary(report)


def test_summary_sets_test_ensembles_beside_validation_and_horizons_beside_every_naive():
    report = copy.deepcopy(_saved_report())
    validation = report["validation"]["ensembles"]
    for v in validation.values():  # every ensemble of the largest size loses on validation
        v["rmse_by_size"]["20"] = v["baselines"]["moving average (7 days)"] + 0.1
    assert "none of the five ensembles of 20 beat" in benchmark.format_summary(report)
    validation["mlp"]["rmse_by_size"]["20"] = validation["mlp"]["baselines"]["persistence"] - 9
    assert "one of the five ensembles of 20 beats" in benchmark.format_summary(report)
    steps = report["models"]["encoder_decoder"]
    text = benchmark.format_summary(report)
    for h in range(3):
        assert (
            f"moving average {steps['moving_average_rmse_by_horizon'][h]:.3f}, training mean "
            f"{steps['train_mean_rmse_by_horizon'][h]:.3f})"
        ) in text


def test_explorer_figures_time_validation_scored_retrains():
    figures = benchmark.explorer_figures(["mlp"], repeats=2, memory_runs=2)
    assert figures["scored_on"] == "validation (3 folds, 1 seed)"
    assert 0 < figures["median_cpu_seconds"]["mlp"] < 30
    assert 0 < figures["median_seconds"]["mlp"] < 30
    assert figures["load_average"] >= 0 and figures["cpus"] >= 1
    text = benchmark.format_summary({**_saved_report(), "explorer": figures})
    assert "scores every retrain on the three validation folds" in text
    assert f"{figures['median_seconds']['mlp']:.2f} s (mlp; CPU" in text
