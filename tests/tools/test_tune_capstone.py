"""Lesson 8's tuning: curves equal to what the lesson trains, the lowest chosen, and registries
that hold what the last `make tune-capstone` chose."""

import json
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import pytest

from course_helpers import capstone as cap
from course_helpers.capstone.baselines import RIDGE_GRID
from course_helpers.capstone.boosting import BOOSTING_GRID
from course_tools import tune_capstone as tune

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def saved():
    """The tuning the capstone benchmark file holds."""
    return json.loads((ROOT / "notebooks" / "capstone_benchmark.json").read_text())["tuning"]


def test_a_curve_point_is_the_score_of_a_network_trained_that_long(monkeypatch):
    """The RMSE after epoch 2 of the curve is the validation RMSE of the same network trained
    for 2 epochs from the start, as the lesson trains it."""
    spec = replace(cap.MODELS["mlp"], grid={"window": [24], "units": [8], "epochs": [2]})
    monkeypatch.setitem(cap.MODELS, "mlp", spec)
    result = tune.tune_network("mlp", seeds=(0,))
    (row,) = result["candidates"]
    assert len(row["curve"]) == 2 and row["rmse"] == pytest.approx(min(row["curve"]), abs=1e-3)
    task = cap.shared_task(24, "all")
    trial = cap.train_network(
        lambda w, n: spec.build(w, n_features=n, units=8), task, seeds=(0,), epochs=2
    )
    assert row["curve"][-1] == pytest.approx(trial.scores()[0].rmse, abs=1e-3)  # 3 decimals kept
    assert result["chosen"] == {"window": 24, "units": 8, "epochs": row["epochs"]}


def test_the_lowest_rmse_is_chosen_and_reported():
    rows = [{"a": 1, "rmse": 75.0}, {"a": 2, "rmse": 73.5}, {"a": 3, "rmse": 74.0}]
    assert tune.choose(rows, ("a",)) == {"chosen": {"a": 2}, "rmse": 73.5}
    text = tune.report({"ridge": {"candidates": rows, **tune.choose(rows, ("a",))}})
    assert text.splitlines()[4] == "| 2 | 73.50 |"  # best first
    assert [tune._cell(v) for v in (1000.0, 0.003, 72.554, 0.13167, 24)] == [
        "1000",
        "0.003",
        "72.55",
        "0.132",
        "24",
    ]
    assert "chosen: a 2 (2013 RMSE 73.50 µg/m³)" in text


def test_the_registries_hold_what_the_tuning_chose(saved):
    assert saved["ridge"]["grid"] == RIDGE_GRID
    assert saved["ridge"]["chosen"]["window"] == cap.RIDGE_WINDOW
    assert saved["trees"]["grid"] == BOOSTING_GRID
    assert saved["trees"]["chosen"] == asdict(cap.BOOSTING)
    for name in tune.NETWORKS:
        spec, chosen = cap.MODELS[name], saved[name]["chosen"]
        assert saved[name]["grid"] == spec.grid, name
        assert chosen["window"] == spec.defaults.window, name
        assert chosen["epochs"] == spec.defaults.epochs, name
        sizes = {k: v for k, v in chosen.items() if k not in ("window", "epochs")}
        assert sizes == {k: spec.defaults.kwargs[k] for k in sizes}, name
    assert np.isfinite(saved["seconds"])
