"""Score the five lesson models on the fixed protocol, beside the naive baselines.

``python -m course_tools.benchmark [--seeds 5] [--ensemble 5] [--validation-ensembles 1 5 10 20]
[--json PATH] [--explorer]``

Each model is trained with its lesson defaults (``course_helpers.MODELS[name].defaults``) once per
seed and scored by one-step walk-forward RMSE and MAE on the test days (the last 100 days); the
table gives mean ± standard deviation over seeds. ``--ensemble k`` also scores ensembles that
average the forecasts of k networks (seeds x k networks in all). ``--validation-ensembles`` scores
ensembles of those sizes on validation days inside the training period instead
(:func:`course_tools.tune.ensemble_validation`), kept apart under ``validation``. A last line
times ``course_helpers.fit`` against ``model.fit`` on the lesson 3 toy MLP (2,000 epochs, same
seed); ``--explorer`` measures the forecast explorer: wall and CPU seconds per validation-scored
retrain and redraw (three folds, one seed), and memory over 30 retrains.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import keras
import numpy as np
from tqdm.auto import tqdm

from course_helpers.data import load_series
from course_helpers.evaluation import N_TEST, baselines, mae, rmse, walk_forward_multi
from course_helpers.models import MODEL_NAMES, MODELS
from course_helpers.runs import ModelCache, train_and_evaluate
from course_helpers.training import fit, set_seed

from .benchmark_report import format_summary, format_table
from .toys import toy_mlp
from .tune import ensemble_validation

TEST_DAYS = "test days: the last 100, each forecast one day ahead, scored once per network"
VALIDATION_DAYS = (
    "validation days: rolling-origin inside the 265 training days, 3 blocks of 40 days, each "
    "forecast one day ahead by networks trained only on the days before it"
)


def fit_speed(epochs: int = 2000, seed: int = 1) -> dict:
    """Time plain ``model.fit`` and ``course_helpers.fit`` on the toy MLP with the same seed."""
    results = {}
    for label, train in (
        ("plain", lambda m, X, y: m.fit(X, y, epochs=epochs, verbose=0)),
        ("fast", lambda m, X, y: fit(m, X, y, epochs=epochs)),
    ):
        keras.backend.clear_session()
        set_seed(seed)
        model, X, y, x_next, _ = toy_mlp()
        started = time.perf_counter()
        train(model, X, y)
        results[f"{label}_seconds"] = time.perf_counter() - started
        results[f"{label}_prediction"] = float(model.predict(x_next, verbose=0)[0, 0])
    results["ratio"] = results["plain_seconds"] / results["fast_seconds"]
    results["epochs"] = epochs
    return results


def _summary(rmses, maes) -> dict:
    return {
        "rmse_mean": statistics.fmean(rmses),
        "rmse_sd": statistics.stdev(rmses) if len(rmses) > 1 else 0.0,
        "rmse_runs": list(rmses),
        "mae_mean": statistics.fmean(maes),
    }


def _test_forecasts(run) -> np.ndarray:
    """A run's forecasts of the test days, ``(days, horizons)``: column h is h days ahead."""
    task = run.task
    if task.horizon == 1:
        return run.result.predictions.to_numpy()[:, None]
    paths = walk_forward_multi(run.model, task.series, task.window, task.horizon, task.scaler)
    return paths.to_numpy()


def _rounded(values: np.ndarray) -> list:
    """Forecasts in births, to 4 decimals, as JSON lists (one day ahead: a flat list)."""
    values = np.round(np.asarray(values, dtype=float), 4)
    return (values[:, 0] if values.ndim == 2 and values.shape[1] == 1 else values).tolist()


def score_models(names, seeds: int, ensemble: int = 1) -> tuple[dict, dict]:
    """Train and score each model; return JSON-ready summaries of single networks and ensembles.

    Every network is trained with its own seed. With ``ensemble=k`` (k > 1), the networks come in
    ``seeds`` groups of k (seeds ``s*k .. s*k+k-1``); an ensemble's forecast is the mean of its
    group's forecasts. Single-network figures then cover all ``seeds * k`` networks.

    Each architecture's training loop is compiled once and reused (a :class:`ModelCache`): the
    numbers are those of fresh networks, and memory stays flat over hundreds of runs. Beside the
    scores, each model keeps the mean of its networks' test forecasts (``test_forecast_mean``:
    one per test day, or per test day and horizon) and each ensemble its forecasts
    (``test_forecasts``), so that lesson 7 can compare forecasts day by day.
    """
    singles, ensembles = {}, {}
    cache = ModelCache()
    with tqdm(total=len(names) * seeds * ensemble, desc="benchmark", unit="run") as bar:
        for name in names:
            groups = []
            for group in range(seeds):
                runs = []
                for member in range(ensemble):
                    bar.set_postfix(model=name, seed=group * ensemble + member)
                    seed = group * ensemble + member
                    run = train_and_evaluate(name, seed=seed, cache=cache)
                    runs.append((run, _test_forecasts(run)))  # the cache reuses run.model
                    bar.update()
                groups.append(runs)
            forecasts = [[f for _, f in group] for group in groups]  # (days, horizons) each
            runs = [run for group in groups for run, _ in group]
            singles[name] = _model_entry(name, runs, forecasts)
            if ensemble > 1:
                ensembles[name] = _ensemble_entry(runs[0].task.test, forecasts)
    return singles, ensembles


def _model_entry(name: str, runs: list, forecasts: list) -> dict:
    """One model's summary: scores over its networks, settings, mean forecast of the test days."""
    entry = {
        **_summary([r.result.rmse for r in runs], [r.result.mae for r in runs]),
        "train_seconds_mean": statistics.fmean(run.seconds for run in runs),
        "window": runs[0].window,
        "epochs": runs[0].epochs,
        "batch_size": MODELS[name].defaults.batch_size,
        "settings": dict(MODELS[name].defaults.kwargs),
    }
    if runs[0].result.per_horizon is not None:
        per_horizon = np.mean([run.result.per_horizon["rmse"].to_numpy() for run in runs], axis=0)
        entry["rmse_by_horizon"] = per_horizon.tolist()
        for naive in ("persistence", "moving_average", "train_mean"):
            column = runs[0].result.per_horizon[f"{naive}_rmse"]
            entry[f"{naive}_rmse_by_horizon"] = column.tolist()
    every = np.concatenate(forecasts)  # (networks, test days, horizons)
    entry["test_forecast_mean"] = _rounded(every.mean(axis=0))
    return entry


def _ensemble_entry(test, forecasts: list) -> dict:
    """Scores and forecasts of ensembles: each group's mean forecast, one day ahead."""
    means = [np.mean(group, axis=0)[:, 0] for group in forecasts]  # (test days,) each
    return {
        **_summary([rmse(test, f) for f in means], [mae(test, f) for f in means]),
        "networks": len(forecasts[0]),
        "test_forecasts": [_rounded(f) for f in means],
    }


def validation_ensembles(names, sizes) -> dict:
    """Validation RMSE of ensembles of each size, beside the naive forecasts of the same days."""
    models = {}
    for name in tqdm(names, desc="validation ensembles", unit="model"):
        scores, naive = ensemble_validation(name, sizes)
        models[name] = {"rmse_by_size": {str(k): v for k, v in scores.items()}, "baselines": naive}
    return {"days": VALIDATION_DAYS, "ensembles": models}


def explorer_figures(names, repeats: int = 7, memory_runs: int = 30) -> dict:
    """Median seconds per explorer retrain for each model, and memory growth over many retrains.

    A retrain is what the Train button does at the lesson defaults with one seed: train on the
    three validation folds, forecast their held-out days and redraw. The first retrain of each
    model (which builds and traces it) is not counted. Wall and CPU seconds are both recorded,
    with the load average, because the wall time depends on what else the machine runs.
    """
    import psutil

    from course_helpers.explorer import ForecastExplorer

    figures = {"scored_on": "validation (3 folds, 1 seed)", "median_seconds": {}}
    figures["median_cpu_seconds"] = {}
    loads = []
    for name in names:
        explorer = ForecastExplorer(name, run_now=False)
        explorer.run()  # the first run also pays for building, tracing and plotting set-up
        wall, cpu = [], []
        for _ in range(repeats):
            started = time.process_time()
            wall.append(explorer.run()["seconds"])
            cpu.append(time.process_time() - started)
            loads.append(os.getloadavg()[0])
        figures["median_seconds"][name] = statistics.median(wall)
        figures["median_cpu_seconds"][name] = statistics.median(cpu)
    figures["load_average"] = statistics.median(loads)
    figures["cpus"] = os.cpu_count()
    explorer = ForecastExplorer("mlp", run_now=False)
    explorer.run()
    process = psutil.Process()
    before = process.memory_info().rss
    for _ in range(memory_runs):
        explorer.run()
    figures["memory_growth_mb"] = (process.memory_info().rss - before) / 2**20
    figures["memory_runs"] = memory_runs
    return figures


def _parser() -> argparse.ArgumentParser:
    """The command line of :func:`main`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--models", nargs="*", default=list(MODEL_NAMES), choices=MODEL_NAMES)
    parser.add_argument(
        "--ensemble",
        type=int,
        default=1,
        help="also score ensembles of this many networks (seeds x ensemble runs)",
    )
    parser.add_argument(
        "--validation-ensembles",
        type=int,
        nargs="*",
        default=[],
        help="also score ensembles of these sizes on the validation days, e.g. 1 5 10 20",
    )
    parser.add_argument(
        "--explorer", action="store_true", help="also time the forecast explorer and its memory"
    )
    parser.add_argument(
        "--no-fit-speed", action="store_true", help="skip the plain model.fit timing (a minute)"
    )
    return parser


def main(argv=None) -> dict:
    """Run the benchmark from the command line; print the table and optionally write JSON."""
    args = _parser().parse_args(argv)

    series = load_series()
    report = {
        "protocol": {
            "dataset": "daily-total-female-births",
            "scored_on": TEST_DAYS,
            "n_test": N_TEST,
            "n_train": len(series) - N_TEST,
            "forecast": "one-step walk-forward",
            "scaling": "standardised with training mean and sd",
            "units": "births",
            "networks_per_model": args.seeds * args.ensemble,
            "ensemble_size": args.ensemble,
        },
        "baselines": {
            name: {"rmse": row["rmse"], "mae": row["mae"]}
            for name, row in baselines(series).iterrows()
        },
    }
    explorer = None
    if args.explorer:  # first, while the process is as fresh as a learner's kernel
        explorer = explorer_figures(args.models)
    report["models"], ensembles = score_models(args.models, args.seeds, args.ensemble)
    if ensembles:
        report["ensembles"] = ensembles
    if args.validation_ensembles:
        report["validation"] = validation_ensembles(args.models, args.validation_ensembles)
    if not args.no_fit_speed:
        report["fit_speed"] = fit_speed()
    if explorer:
        report["explorer"] = explorer
    print(format_table(report))
    print()
    print(format_summary(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return report


if __name__ == "__main__":
    main()
