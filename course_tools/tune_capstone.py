"""Choose lesson 8's settings on the validation year 2013: ``make tune-capstone``.

``python -m course_tools.tune_capstone [--models ridge trees mlp ...] [--seeds 2] [--json PATH]``

Every model gets the same effort and the same protocol: each candidate is trained on 2010-2012
and scored on the 365 midnights of 2013, forecasts clipped at 0; 2014 is never looked at.

* the ridge: every window and penalty of ``RIDGE_GRID`` (the lesson then picks the penalty
  itself, on 2013, with ``fit_ridge``);
* the gradient-boosted trees: every setting of ``BOOSTING_GRID``, scored after every tree;
* each network of ``capstone.MODELS`` with a grid: every candidate trained once per seed (0 and
  1) and scored after every epoch, up to the grid's ``epochs`` (the grid's largest settings keep
  a network's training within the lesson's time on two cores).

The candidate (and tree or epoch count) with the lowest validation RMSE (for the networks, the
mean over seeds) is chosen. The tool prints every candidate and the choices; ``--json`` writes
them under ``"tuning"`` in the capstone benchmark file, keeping what else it holds. The
registries hold the choices (``RIDGE_WINDOW``, ``BOOSTING``, ``MODELS``), and
``tests/tools/test_tune_capstone.py`` checks that they agree with that file. About 20 minutes
on two cores.
"""

# ruff: noqa: I001  (course_helpers is imported before Keras on purpose)
from __future__ import annotations

import argparse
import itertools
import json
import statistics
import time
from dataclasses import asdict, replace
from pathlib import Path

from course_helpers import capstone as cap  # first: it quiets TensorFlow's start-up log
from course_helpers.capstone.baselines import RIDGE_GRID
from course_helpers.capstone.boosting import BOOSTING_GRID

import numpy as np

__all__ = ["choose", "main", "report", "tune_network", "tune_ridge", "tune_trees"]

NETWORKS = tuple(name for name, spec in cap.MODELS.items() if spec.grid)
WHAT = ("ridge", "trees", *NETWORKS)


def _validation_rmse(task, scaled) -> float:
    """RMSE (µg/m³) on 2013 of a model's scaled forecasts, clipped at 0 as in the lesson."""
    return cap.score(task.to_pm(scaled), task.validation.y).rmse


def tune_ridge() -> dict:
    """Every window and penalty of the ridge grid, scored on 2013."""
    candidates = []
    for window in RIDGE_GRID["window"]:
        task = cap.shared_task(window, "all")
        _, by_alpha = cap.fit_ridge(task, alphas=tuple(RIDGE_GRID["alpha"]))
        candidates += [{"window": window, "alpha": a, "rmse": r} for a, r in by_alpha.items()]
    return {"grid": RIDGE_GRID, "candidates": candidates, **choose(candidates, ("window",))}


def tune_trees(window: int = cap.RIDGE_WINDOW) -> dict:
    """Every setting of the trees' grid, scored on 2013 after every tree."""
    task = cap.shared_task(window, "all")
    candidates = []
    names = list(BOOSTING_GRID)
    for values in itertools.product(*BOOSTING_GRID.values()):
        settings = replace(cap.BOOSTING, **dict(zip(names, values)))
        started = time.process_time()
        trees = cap.BoostedTrees(settings).fit(task)
        seconds = time.process_time() - started
        staged = trees.staged_predict(task, task.validation)  # (trees, origins, 24)
        curve = [_validation_rmse(task, scaled) for scaled in staged]
        best = int(np.argmin(curve))
        row = {**asdict(settings), "max_iter": best + 1, "rmse": curve[best]}
        candidates.append({**row, "cpu seconds": seconds, "curve": [round(v, 3) for v in curve]})
    keys = tuple(asdict(cap.BOOSTING))
    return {"grid": BOOSTING_GRID, "candidates": candidates, **choose(candidates, keys)}


def _network_curve(name: str, settings: dict, seeds, epochs: int) -> dict:
    """Validation RMSE after each epoch for each seed, with the CPU seconds of an epoch."""
    spec = cap.MODELS[name]
    task = cap.shared_task(settings["window"], "all")
    sizes = {k: v for k, v in settings.items() if k != "window"}
    ridge = cap.fit_ridge(task)[0] if name == "ridge_mlp" else None
    curves: list[list[float]] = []

    def build(window, n_features):
        held = {"linear": cap.ridge_layer(ridge, task)} if ridge is not None else {}
        return spec.build(window, n_features=n_features, **sizes, **held)

    def score_epoch(model, done):
        if done == 1:
            curves.append([])  # a new seed
        curves[-1].append(_validation_rmse(task, cap.predict(model, task.validation.X)))

    started = time.process_time()
    cap.train_network(
        build, task, seeds=seeds, epochs=epochs, batch_size=spec.defaults.batch_size,
        epoch_end=score_epoch,
    )  # fmt: skip
    per_epoch = (time.process_time() - started) / (epochs * len(seeds))
    return {"curves": curves, "cpu seconds per epoch": per_epoch}


def tune_network(name: str, seeds=(0, 1)) -> dict:
    """Every candidate of a network's grid over ``seeds``, scored on 2013 after every epoch."""
    grid = dict(cap.MODELS[name].grid)
    epochs = max(grid.pop("epochs"))
    candidates = []
    for values in itertools.product(*grid.values()):
        settings = dict(zip(grid, values))
        run = _network_curve(name, settings, seeds, epochs)
        mean = np.mean(run["curves"], axis=0)  # (epochs,) over seeds
        best = int(np.argmin(mean))
        at_best = [curve[best] for curve in run["curves"]]
        candidates.append(
            {
                **settings,
                "epochs": best + 1,
                "rmse": float(mean[best]),
                "sd": statistics.stdev(at_best) if len(at_best) > 1 else 0.0,
                "curve": [round(float(v), 3) for v in mean],
                "cpu seconds per epoch": run["cpu seconds per epoch"],
            }
        )
    keys = (*grid, "epochs")
    return {
        "grid": cap.MODELS[name].grid,
        "seeds": list(seeds),
        "candidates": candidates,
        **choose(candidates, keys),
    }


def choose(candidates: list[dict], keys) -> dict:
    """The candidate with the lowest ``rmse``: ``{"chosen": its settings, "rmse": its RMSE}``."""
    best = min(candidates, key=lambda row: row["rmse"])
    return {"chosen": {key: best[key] for key in keys}, "rmse": best["rmse"]}


def report(results: dict) -> str:
    """Every candidate (best first) and the choice, per model, as Markdown tables."""
    blocks = []
    for what, result in results.items():
        if what not in WHAT:
            continue
        rows = sorted(result["candidates"], key=lambda row: row["rmse"])
        keys = [k for k in rows[0] if k not in ("rmse", "sd", "curve")]
        header = [*keys, "2013 RMSE"] + (["sd over seeds"] if "sd" in rows[0] else [])
        lines = [f"**{what}**", "", "| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        for row in rows:
            cells = [_cell(row[k]) for k in keys] + [f"{row['rmse']:.2f}"]
            cells += [f"{row['sd']:.2f}"] if "sd" in row else []
            lines.append("| " + " | ".join(cells) + " |")
        chosen = ", ".join(f"{k} {_cell(v)}" for k, v in result["chosen"].items())
        lines += ["", f"chosen: {chosen} (2013 RMSE {result['rmse']:.2f} µg/m³)"]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _rounded(value) -> float:
    """NumPy numbers as JSON floats."""
    return float(value)


def _cell(value) -> str:
    """A setting or a measure as a table shows it: 1000, 0.003, 72.55, 0.132."""
    if not isinstance(value, float) or value.is_integer():
        return f"{value:g}"
    return f"{value:.2f}" if abs(value) >= 1 else f"{value:.3g}"


def main(argv: list[str] | None = None) -> int:
    """Command line: tune, print every candidate and the choices, optionally save them."""
    parser = argparse.ArgumentParser(prog="python -m course_tools.tune_capstone")
    parser.add_argument("--models", nargs="*", default=list(WHAT), choices=WHAT)
    parser.add_argument("--seeds", type=int, default=2, help="seeds per network candidate")
    parser.add_argument("--json", type=Path, help="write the choices under 'tuning' in this file")
    args = parser.parse_args(argv)
    results = {}
    for what in args.models:
        started, cpu = time.perf_counter(), time.process_time()
        if what == "ridge":
            results[what] = tune_ridge()
        elif what == "trees":
            results[what] = tune_trees()
        else:
            results[what] = tune_network(what, seeds=tuple(range(args.seeds)))
        results[what]["seconds"] = time.perf_counter() - started
        results[what]["cpu seconds"] = time.process_time() - cpu
        print(report({what: results[what]}) + "\n", flush=True)
    minutes = sum(r["seconds"] for r in results.values()) / 60
    print(f"Tuned {', '.join(results)} in {minutes:.1f} minutes.")
    if args.json:
        saved = json.loads(args.json.read_text()) if args.json.exists() else {}
        tuning = {k: v for k, v in saved.get("tuning", {}).items() if k in WHAT}
        tuning.update(results)  # a run of some models keeps the others' results
        tuning["seconds"] = sum(r["seconds"] for r in tuning.values())
        saved["tuning"] = tuning
        args.json.write_text(json.dumps(saved, indent=1, default=_rounded) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
