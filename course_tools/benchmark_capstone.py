"""Reproduce lesson 8's results table from the command line, and time ``fit`` against ``model.fit``.

``python -m course_tools.benchmark_capstone [--json PATH]``

Fits the baselines, the ridge and the gradient-boosted trees, trains the networks with the
registry's settings and seeds (``course_helpers.capstone.MODELS``, chosen on 2013 by
``make tune-capstone``), forms the blends fixed in advance (half the ridge, half the trees or
the MLP), and scores every forecast on the validation year 2013 and the test year 2014, each
against the ridge with a paired 95% interval over the days (moving blocks of 7 days). It
prints the README's capstone table (:func:`course_helpers.capstone.results_table`, the table of
the lesson's last section), one verdict line per forecast, the settings the tuning chose, and
``course_helpers.fit`` timed against Keras's ``model.fit`` on the capstone MLP. ``--json``
saves every number, keeping the tuning that ``make tune-capstone`` wrote into the same file.
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
import pandas as pd

__all__ = ["capstone_forecasts", "capstone_results", "fit_speed", "main", "markdown_table"]

NETWORKS = ("mlp", "lstm", "dilated_cnn", "ridge_mlp")
NAIVE = ("persistence", "same hour yesterday", "training mean for the hour")
PERIODS = ("validation", "test")


def network_label(name: str, seeds) -> str:
    """A network's row: the mean of its seeds' forecasts."""
    return f"{cap.MODELS[name].title} (mean of {len(seeds)} seeds)"


def capstone_forecasts() -> tuple[dict, dict]:
    """Every forecast of the table by name, ``{period: (365, 24)}`` in µg/m³ (clipped at 0),
    and each network's seed spread ``{period: (mean, sd)}`` by label."""
    task = cap.shared_task(cap.RIDGE_WINDOW, "all")
    ridge = cap.fit_ridge(task)[0]
    trees = cap.fit_boosted(task)
    baselines = {p: cap.baseline_forecasts(task, p, ridge) for p in PERIODS}
    forecasts = {name: {p: baselines[p][name] for p in PERIODS} for name in baselines["test"]}
    forecasts["gradient-boosted trees"] = {
        p: task.to_pm(trees.predict(task, task.period(p))) for p in PERIODS
    }
    spreads = {}
    for name in NETWORKS:
        net_task = cap.shared_task(cap.MODELS[name].defaults.window, "all")
        trial = cap.train_network(name, net_task, ridge=ridge)
        for p in PERIODS:
            assert net_task.period(p).origins.equals(task.period(p).origins)  # the same midnights
        label = network_label(name, trial.seeds)
        forecasts[label] = {p: trial.forecasts(p).mean(axis=0) for p in PERIODS}
        spreads[label] = {p: trial.rmse(p) for p in PERIODS}
    mlp = network_label("mlp", cap.MODELS["mlp"].seeds)
    for partner, label in (("gradient-boosted trees", "trees"), (mlp, "MLP")):
        forecasts[f"half ridge, half {label}"] = {
            p: cap.blend(forecasts[cap.RIDGE][p], forecasts[partner][p]) for p in PERIODS
        }
    return forecasts, spreads


def capstone_results() -> dict:
    """The table's rows (:func:`course_helpers.capstone.results_table`), the networks' seed
    spreads and the protocol."""
    task = cap.shared_task(cap.RIDGE_WINDOW, "all")
    forecasts, spreads = capstone_forecasts()
    table = cap.results_table(task, forecasts)
    return {
        "protocol": {
            "ridge window": cap.RIDGE_WINDOW,
            "inputs": "all",
            "ridge alpha": cap.fit_ridge(task)[0].alpha,
            "forecasts": "clipped at 0 µg/m³",
            "interval": "paired moving-block bootstrap over the 365 days, blocks of 7, 95%",
        },
        "rows": table.to_dict(orient="index"),
        "seeds": spreads,
    }


def markdown_table(results: dict) -> str:
    """The README's capstone table (the lesson's last table, :func:`capstone.readable`)."""
    table = cap.readable(pd.DataFrame.from_dict(results["rows"], orient="index"), results["seeds"])
    header = ["forecast (24 h from each midnight, clipped at 0)", *table.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join([name, *row]) + " |" for name, row in table.iterrows()]
    return "\n".join(lines)


def verdict_lines(results: dict) -> list[str]:
    """What beats the ridge, by the day-level interval, on each year (the naive baselines apart)."""
    table = pd.DataFrame.from_dict(results["rows"], orient="index")
    return cap.verdict_lines(table, leave_out=NAIVE)


def tuning_line(tuning: dict) -> str:
    """The settings ``make tune-capstone`` chose on 2013, in one sentence."""
    trees = tuning["trees"]["chosen"]
    parts = [
        f"ridge window {tuning['ridge']['chosen']['window']} h",
        f"trees learning rate {trees['learning_rate']:g}, {trees['max_leaf_nodes']} leaves, "
        f"{trees['max_iter']} trees per hour ahead",
    ]
    for name in NETWORKS:
        chosen = dict(tuning[name]["chosen"])
        window, epochs = chosen.pop("window"), chosen.pop("epochs")
        sizes = ", ".join(f"{k.replace('_', ' ')} {v:g}" for k, v in chosen.items())
        parts.append(f"{cap.MODELS[name].title} window {window} h, {sizes}, {epochs} epochs")
    minutes = tuning["seconds"] / 60
    head = f"Settings chosen on 2013 by `make tune-capstone` ({minutes:.0f} minutes): "
    return head + "; ".join(parts) + "."


def fit_speed(epochs: int = 6, seed: int = 0) -> dict:
    """Seconds (wall and CPU) of ``model.fit`` and ``course_helpers.fit`` on the capstone MLP."""
    task = cap.shared_task(cap.RIDGE_WINDOW, "all")
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


def report(results: dict) -> str:
    """Everything the README's capstone section pastes: table, verdicts, tuning, speed."""
    speed = results["fit_speed"]
    parts = [markdown_table(results), "\n".join(verdict_lines(results))]
    if "tuning" in results:
        parts.append(tuning_line(results["tuning"]))
    parts.append(
        f"`course_helpers.fit` against `model.fit` on the capstone MLP ({speed['samples']} "
        f"samples of {cap.RIDGE_WINDOW} hours, batch {speed['batch_size']}, {speed['epochs']} "
        f"epochs): {speed['fit seconds']:.2f} s against {speed['model.fit seconds']:.2f} s (CPU "
        f"{speed['fit cpu seconds']:.2f} s against {speed['model.fit cpu seconds']:.2f} s), "
        f"{speed['ratio']:.2f} times as fast."
    )
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Command line: train, score, print the README's section, optionally save JSON."""
    parser = argparse.ArgumentParser(prog="python -m course_tools.benchmark_capstone")
    parser.add_argument("--json", type=Path, help="also save every number to this file")
    args = parser.parse_args(argv)
    started, cpu = time.perf_counter(), time.process_time()
    saved = json.loads(args.json.read_text()) if args.json and args.json.exists() else {}
    results = capstone_results()
    results["fit_speed"] = fit_speed()
    results["seconds"] = time.perf_counter() - started
    results["cpu_seconds"] = time.process_time() - cpu
    if "tuning" in saved:
        results["tuning"] = saved["tuning"]
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=float) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
