"""Score the five lesson models on the fixed protocol, beside the naive baselines.

``python -m course_tools.benchmark [--seeds 5] [--ensemble 5] [--json PATH] [--explorer]``

Each model is trained with its lesson defaults (``course_helpers.MODELS[name].defaults``) once per
seed and scored by one-step walk-forward RMSE and MAE on the last 100 days of the births series.
The table gives mean ± standard deviation over seeds; ``--ensemble k`` also scores ensembles
that average the forecasts of k networks (seeds x k networks in all). A last line times
``course_helpers.fit`` against plain ``model.fit`` on the lesson 3 toy MLP (2,000 epochs, same
seed). ``--explorer``
also measures the forecast explorer: wall and CPU seconds per validation-scored retrain and
redraw (three folds, one seed), and memory over 30 retrains.
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
from course_helpers.evaluation import N_TEST, baselines, mae, rmse
from course_helpers.models import MODEL_NAMES, MODELS
from course_helpers.runs import ModelCache, train_and_evaluate
from course_helpers.training import fit, set_seed

from .toys import toy_mlp


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


def score_models(names, seeds: int, ensemble: int = 1) -> tuple[dict, dict]:
    """Train and score each model; return JSON-ready summaries of single networks and ensembles.

    Every network is trained with its own seed. With ``ensemble=k`` (k > 1), the networks come in
    ``seeds`` groups of k (seeds ``s*k .. s*k+k-1``); an ensemble's forecast is the mean of its
    group's forecasts. Single-network figures then cover all ``seeds * k`` networks.

    Each architecture's training loop is compiled once and reused (a :class:`ModelCache`): the
    numbers are those of fresh networks, and memory stays flat over hundreds of runs.
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
                    runs.append(train_and_evaluate(name, seed=seed, cache=cache))
                    bar.update()
                groups.append(runs)
            runs = [run for group in groups for run in group]
            entry = {
                **_summary([r.result.rmse for r in runs], [r.result.mae for r in runs]),
                "train_seconds_mean": statistics.fmean(run.seconds for run in runs),
                "window": runs[0].window,
                "epochs": runs[0].epochs,
                "batch_size": MODELS[name].defaults.batch_size,
                "settings": dict(MODELS[name].defaults.kwargs),
            }
            if runs[0].result.per_horizon is not None:
                per_horizon = np.mean(
                    [run.result.per_horizon["rmse"].to_numpy() for run in runs], axis=0
                )
                naive = runs[0].result.per_horizon["persistence_rmse"].to_numpy()
                entry["rmse_by_horizon"] = per_horizon.tolist()
                entry["persistence_rmse_by_horizon"] = naive.tolist()
            singles[name] = entry
            if ensemble > 1:
                test = runs[0].task.test
                forecasts = [
                    np.mean([r.result.predictions.to_numpy() for r in group], axis=0)
                    for group in groups
                ]
                ensembles[name] = {
                    **_summary(
                        [rmse(test, f) for f in forecasts], [mae(test, f) for f in forecasts]
                    ),
                    "networks": ensemble,
                }
    return singles, ensembles


def explorer_figures(names, repeats: int = 7, memory_runs: int = 30) -> dict:
    """Median seconds per explorer retrain for each model, and memory growth over many retrains.

    A retrain is what the Train button does at the lesson defaults with one seed: train on the
    three validation folds, forecast their held-out days and redraw. The first retrain of each
    model (which builds and traces it) is not counted. Wall and CPU seconds are both recorded,
    with the load average, because the wall time depends on what else the machine runs.
    """
    import psutil

    from course_helpers.widgets import ForecastExplorer

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


def format_table(report: dict) -> str:
    """The Markdown table of the README: models (mean ± sd over seeds) and the baselines."""
    models = report["models"]
    runs = len(next(iter(models.values()))["rmse_runs"]) if models else 0
    ensembles = report.get("ensembles", {})
    header = f"| model | window | epochs | RMSE, one network (mean ± sd, {runs} runs) |"
    rule = "|---|---:|---:|---:|"
    if ensembles:
        groups = len(next(iter(ensembles.values()))["rmse_runs"])
        size = next(iter(ensembles.values()))["networks"]
        header += f" RMSE, ensemble of {size} (mean ± sd, {groups} ensembles) |"
        rule += "---:|"
    lines = [header + " MAE | train s |", rule + "---:|---:|"]
    for name, m in models.items():
        row = (
            f"| {name} | {m['window']} | {m['epochs']} | {m['rmse_mean']:.3f} ± "
            f"{m['rmse_sd']:.3f} |"
        )
        if ensembles:
            e = ensembles[name]
            row += f" {e['rmse_mean']:.3f} ± {e['rmse_sd']:.3f} |"
        lines.append(row + f" {m['mae_mean']:.3f} | {m['train_seconds_mean']:.2f} |")
    blank = " |" if ensembles else ""
    for name, b in report["baselines"].items():
        lines.append(f"| {name} (baseline) | | | {b['rmse']:.3f} |{blank} {b['mae']:.3f} | |")
    return "\n".join(lines)


def _number_word(n: int) -> str:
    words = "no one two three four five six seven eight nine ten".split()
    return words[n] if n < len(words) else str(n)


def format_summary(report: dict) -> str:
    """The README's reading of the table, in Markdown, with every number taken from ``report``."""
    paragraphs = [" ".join(_networks_text(report) + _ensembles_text(report))]
    paragraphs += _horizons_text(report["models"])
    paragraphs += _speed_text(report)
    return "\n\n".join(paragraphs)


def _networks_text(report: dict) -> list[str]:
    """Sentences on single networks against persistence, the training mean and the 7-day MA."""
    models, naive = report["models"], report["baselines"]
    persistence = naive["persistence"]["rmse"]
    train_mean = naive["train mean"]["rmse"]
    average7 = naive["moving average (7 days)"]["rmse"]
    means = {name: m["rmse_mean"] for name, m in models.items()}
    best = min(means, key=means.get)
    beat = [name for name, value in means.items() if value < min(persistence, train_mean)]
    worst_name = max(models, key=lambda name: max(models[name]["rmse_runs"]))
    worst = max(models[worst_name]["rmse_runs"])
    ranges = {name: max(m["rmse_runs"]) - min(m["rmse_runs"]) for name, m in models.items()}
    runs = len(models[worst_name]["rmse_runs"])
    if len(beat) == len(means):
        first = "On average every network beats"
    else:
        first = (
            f"On average {_number_word(len(beat))} of the {_number_word(len(means))} networks beat"
        )
    margin, sd = average7 - means[best], models[best]["rmse_sd"]
    seven = f"a 7-day moving average ({average7:.3f})"
    if margin > sd:
        verdict = f"beats {seven} by {margin:.3f} births."
    elif margin > 0:
        verdict = (
            f"beats {seven} by only {margin:.3f} births, less than its own seed sd ({sd:.3f})."
        )
    else:
        verdict = f"does not beat {seven}."
    return [
        f"{first} persistence ({persistence:.3f}) and the training mean ({train_mean:.3f}), "
        f"but single runs vary: the worst of the {runs} {worst_name} runs scored {worst:.3f}"
        + (" (worse than persistence)." if worst > persistence else "."),
        f"The best single network on average ({best}, {means[best]:.3f}) {verdict} The "
        f"{_number_word(len(means))} architectures' means lie within "
        f"{max(means.values()) - means[best]:.3f} births of each other, while the runs of one "
        f"architecture spread over up to {max(ranges.values()):.3f} births.",
    ]


def _ensembles_text(report: dict) -> list[str]:
    """A sentence on what averaging networks buys, if the report has ensembles."""
    ensembles = report.get("ensembles", {})
    if not ensembles:
        return []
    means = {name: m["rmse_mean"] for name, m in report["models"].items()}
    average7 = report["baselines"]["moving average (7 days)"]["rmse"]
    size = next(iter(ensembles.values()))["networks"]
    e_means = {name: e["rmse_mean"] for name, e in ensembles.items()}
    e_best = min(e_means, key=e_means.get)
    lowered = [name for name in e_means if e_means[name] < means[name]]
    better = "every model's" if len(lowered) == len(e_means) else "some models'"
    gap = average7 - e_means[e_best]
    return [
        f"Averaging the forecasts of {size} networks (the ensemble column) lowers {better} "
        f"error; the best ensemble ({e_best}, {e_means[e_best]:.3f}) is {abs(gap):.3f} "
        f"births {'below' if gap > 0 else 'above'} the 7-day moving average."
    ]


def _horizons_text(models: dict) -> list[str]:
    """One paragraph per multi-step model: its error by horizon beside persistence."""
    paragraphs = []
    for name, m in models.items():
        if "rmse_by_horizon" in m:
            steps = ", ".join(
                f"{h} day{'s' if h > 1 else ''} ahead {r:.3f} (persistence {p:.3f})"
                for h, (r, p) in enumerate(
                    zip(m["rmse_by_horizon"], m["persistence_rmse_by_horizon"]), start=1
                )
            )
            paragraphs.append(
                f"The {name.replace('_', '-')} forecasts {len(m['rmse_by_horizon'])} days at "
                f"once; its error by horizon (mean over its runs): {steps}."
            )
    return paragraphs


def _speed_text(report: dict) -> list[str]:
    """Paragraphs on the fast training loop and the explorer, if the report measured them."""
    paragraphs = []
    speed = report.get("fit_speed")
    if speed:
        paragraphs.append(
            f"The same run times the course's fast training loop against plain `model.fit` on the "
            f"lesson 3 toy MLP ({speed['epochs']:,} epochs, same seed): `model.fit` took "
            f"{speed['plain_seconds']:.1f} s, `course_helpers.fit` {speed['fast_seconds']:.2f} s "
            f"({speed['ratio']:.0f} times faster), and they predicted "
            f"{speed['plain_prediction']:.3f} and {speed['fast_prediction']:.3f} for the next "
            "value."
        )
    explorer = report.get("explorer")
    if explorer:
        medians = ", ".join(
            f"{seconds:.2f} s ({name}; CPU {explorer['median_cpu_seconds'][name]:.2f} s)"
            for name, seconds in explorer["median_seconds"].items()
        )
        growth = explorer["memory_growth_mb"]
        memory = (
            f"grew the process by {growth:.1f} MB"
            if growth > 0
            else f"did not grow the process (its memory changed by {growth:+.1f} MB)"
        )
        paragraphs.append(
            "The forecast explorer scores every retrain on the three validation folds inside the "
            f"training days. With one seed it retrains and redraws in a median of {medians}, "
            f"at a load average of {explorer['load_average']:.1f} on {explorer['cpus']} cores; "
            f"{explorer['memory_runs']} retrains in a row {memory}."
        )
    return paragraphs


def main(argv=None) -> dict:
    """Run the benchmark from the command line; print the table and optionally write JSON."""
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
        "--explorer",
        action="store_true",
        help="also time the forecast explorer and measure its memory",
    )
    parser.add_argument(
        "--no-fit-speed",
        action="store_true",
        help="skip the plain model.fit timing (about a minute)",
    )
    args = parser.parse_args(argv)

    series = load_series()
    report = {
        "protocol": {
            "dataset": "daily-total-female-births",
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
