"""Reproduce lesson 8's tables from the command line, and time ``fit`` against ``model.fit``.

``python -m course_tools.benchmark_capstone [--json PATH]``

Trains the networks of lesson 8 with the notebook's settings and seeds (the registry
``course_helpers.capstone.MODELS``, the ridge shortcut with 3 epochs), scores them beside the
baselines on the validation year 2013 and on the test year 2014, and prints one Markdown table
(the README's capstone table) with the verdict lines. A last line times ``course_helpers.fit``
against Keras's ``model.fit`` on the capstone MLP: the same samples, batch size, epochs and seed.
"""

# ruff: noqa: I001  (course_helpers is imported before Keras on purpose)
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from course_helpers import capstone as cap  # first: it quiets TensorFlow's start-up log
from course_helpers.training import fit, set_seed

import keras
import numpy as np

__all__ = ["capstone_results", "fit_speed", "main", "markdown_table"]


def _ridge_plus_mlp(task, ridge):
    def build(window, n_features):
        return cap.build_residual_mlp(window, n_features, linear=cap.ridge_layer(ridge, task))

    return build


def _trials(task, ridge) -> dict:
    """The networks of the notebook's sections 5 and 8, with its settings and seeds."""
    return {
        "MLP": cap.train_network("mlp", task),
        "LSTM": cap.train_network("lstm", task),
        "dilated causal CNN": cap.train_network("dilated_cnn", task),
        "ridge + MLP": cap.train_network(
            _ridge_plus_mlp(task, ridge), task, epochs=3, name="ridge + MLP"
        ),
    }


def _row(score) -> dict:
    h = score.by_horizon["rmse"]
    return {"rmse": score.rmse, "mae": score.mae, "h1": float(h.iloc[0]), "h24": float(h.iloc[-1])}


def capstone_results() -> dict:
    """Every row of the capstone table, on validation and test, with the seeds' spread."""
    task = cap.shared_task(48, "all")
    ridge, by_alpha = cap.fit_ridge(task)
    results = {"protocol": {"window": 48, "inputs": "all", "ridge alpha": ridge.alpha}}
    trials = _trials(task, ridge)
    for period in ("validation", "test"):
        windows = task.period(period)
        rows = {}
        for name, forecast in cap.baseline_forecasts(task, period, ridge).items():
            rows[name] = _row(cap.score(forecast, windows.y))
        for name, trial in trials.items():
            mean, sd = trial.rmse(period)
            runs = [s.rmse for s in trial.scores(period)]
            rows[name] = {
                **_row(trial.ensemble(period)),
                "single_rmse": mean,
                "single_sd": sd,
                "runs": runs,
                "seeds": trial.seeds,
            }
        results[period] = rows
    results["verdicts"] = _verdicts(results)
    return results


def _verdicts(results: dict) -> dict:
    """For each network: does its ensemble beat the ridge by more than the seed sd, per year?"""
    ridge_key = "linear autoregression (ridge)"
    verdicts = {}
    for name, row in results["validation"].items():
        if "single_sd" not in row:
            continue
        verdicts[name] = {
            period: results[period][name]["rmse"]
            < results[period][ridge_key]["rmse"] - results[period][name]["single_sd"]
            for period in ("validation", "test")
        }
    return verdicts


def fit_speed(epochs: int = 6, seed: int = 0) -> dict:
    """Seconds (wall and CPU) of ``model.fit`` and ``course_helpers.fit`` on the capstone MLP."""
    task = cap.shared_task(48, "all")
    X, y = np.asarray(task.train.X, dtype="float32"), task.y_train
    results = {"samples": len(X), "batch_size": 256, "epochs": epochs}
    for label, train in (
        ("model.fit", lambda m: m.fit(X, y, epochs=epochs, batch_size=256, verbose=0)),
        ("fit", lambda m: fit(m, X, y, epochs=epochs, batch_size=256, seed=seed)),
    ):
        keras.backend.clear_session()
        set_seed(seed)
        model = cap.MODELS["mlp"].build(task.window, n_features=task.n_features)
        wall, cpu = time.perf_counter(), time.process_time()
        history = train(model)
        results[f"{label} seconds"] = time.perf_counter() - wall
        results[f"{label} cpu seconds"] = time.process_time() - cpu
        results[f"{label} final loss"] = float(history.history["loss"][-1])
    results["ratio"] = results["model.fit seconds"] / results["fit seconds"]
    return results


def markdown_table(results: dict) -> str:
    """The README's capstone table: RMSE and MAE (µg/m³) on 2013 and 2014, best first."""
    lines = [
        "| forecast (24 h from each midnight) | validation 2013 RMSE | test 2014 RMSE "
        "| test MAE | test 1 h | test 24 h |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    test = results["test"]
    for name in sorted(test, key=lambda n: test[n]["rmse"]):
        val, row = results["validation"][name], test[name]
        label = name
        if "single_rmse" in row:
            label = f"{name} (ensemble of {len(row['seeds'])}; one seed {row['single_rmse']:.1f}"
            label += f" ± {row['single_sd']:.1f})"
        lines.append(
            f"| {label} | {val['rmse']:.1f} | {row['rmse']:.1f} | {row['mae']:.1f} "
            f"| {row['h1']:.1f} | {row['h24']:.1f} |"
        )
    return "\n".join(lines)


def _verdict_lines(results: dict) -> list[str]:
    """One line per network: does its ensemble beat the ridge by more than its seed sd?"""
    said = {True: "yes", False: "no"}
    return [
        f"- {name}, mean of its seeds' forecasts ahead of the ridge by more than one seed sd: "
        f"validation {said[v['validation']]}, test {said[v['test']]}."
        for name, v in results["verdicts"].items()
    ]


def main(argv: list[str] | None = None) -> int:
    """Command line: train, score, print the table and the speed ratio, optionally save JSON."""
    parser = argparse.ArgumentParser(prog="python -m course_tools.benchmark_capstone")
    parser.add_argument("--json", type=Path, help="also save every number to this file")
    args = parser.parse_args(argv)
    started, cpu = time.perf_counter(), time.process_time()
    results = capstone_results()
    results["fit_speed"] = fit_speed()
    results["seconds"] = time.perf_counter() - started
    results["cpu_seconds"] = time.process_time() - cpu
    print(markdown_table(results))
    print()
    print("\n".join(_verdict_lines(results)))
    speed = results["fit_speed"]
    print(
        f"\n`course_helpers.fit` against `model.fit` on the capstone MLP ({speed['samples']} "
        f"samples, batch {speed['batch_size']}, {speed['epochs']} epochs): "
        f"{speed['fit seconds']:.2f} s against {speed['model.fit seconds']:.2f} s "
        f"(CPU {speed['fit cpu seconds']:.2f} s against {speed['model.fit cpu seconds']:.2f} s), "
        f"{speed['ratio']:.2f} times as fast."
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=float) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
