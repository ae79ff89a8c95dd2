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
seed); ``--explorer`` times the forecast explorer's retrains and its memory over 30 of them.
"""

from __future__ import annotations

import argparse
import json
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
                entry["rmse_by_horizon"] = per_horizon.tolist()
                for naive in ("persistence", "moving_average", "train_mean"):
                    column = runs[0].result.per_horizon[f"{naive}_rmse"]
                    entry[f"{naive}_rmse_by_horizon"] = column.tolist()
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


def validation_ensembles(names, sizes) -> dict:
    """Validation RMSE of ensembles of each size, beside the naive forecasts of the same days."""
    models = {}
    for name in tqdm(names, desc="validation ensembles", unit="model"):
        scores, naive = ensemble_validation(name, sizes)
        models[name] = {"rmse_by_size": {str(k): v for k, v in scores.items()}, "baselines": naive}
    return {"days": VALIDATION_DAYS, "ensembles": models}


def explorer_figures(names, repeats: int = 7, memory_runs: int = 30) -> dict:
    """Median seconds per explorer retrain for each model, and memory growth over many retrains."""
    import psutil

    from course_helpers.widgets import ForecastExplorer

    figures = {"median_seconds": {}}
    for name in names:
        explorer = ForecastExplorer(name, run_now=False)
        explorer.run()  # the first run also pays for imports and plotting set-up
        seconds = [explorer.run()["seconds"] for _ in range(repeats)]
        figures["median_seconds"][name] = statistics.median(seconds)
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
    header = f"| model | window | epochs | test RMSE, one network (mean ± sd, {runs} runs) |"
    rule = "|---|---:|---:|---:|"
    if ensembles:
        groups = len(next(iter(ensembles.values()))["rmse_runs"])
        size = next(iter(ensembles.values()))["networks"]
        header += f" test RMSE, ensemble of {size} (mean ± sd, {groups} ensembles) |"
        rule += "---:|"
    lines = [header + " test MAE | train s |", rule + "---:|---:|"]
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
        first = "On the test days, on average every network beats"
    else:
        count = f"{_number_word(len(beat))} of the {_number_word(len(means))}"
        first = f"On the test days, on average {count} networks beat"
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
    sentences = [
        f"Averaging the forecasts of {size} networks (the ensemble column) lowers {better} "
        f"test error; the best ensemble ({e_best}, {e_means[e_best]:.3f}) is {abs(gap):.3f} "
        f"births {'below' if gap > 0 else 'above'} the 7-day moving average on the test days."
    ]
    validation = report.get("validation", {}).get("ensembles", {})
    if validation:
        largest = max(int(k) for k in next(iter(validation.values()))["rmse_by_size"])
        wins = [
            name
            for name, v in validation.items()
            if v["rmse_by_size"][str(largest)] < v["baselines"]["moving average (7 days)"]
        ]
        sentences.append(
            "On the validation days inside the training period, "
            f"{_number_word(len(wins)) if wins else 'none'} of "
            f"the {_number_word(len(validation))} ensembles of {largest} "
            f"beat{'s' if len(wins) == 1 else ''} the 7-day moving average of the same days."
        )
    return sentences


def _horizons_text(models: dict) -> list[str]:
    """One paragraph per multi-step model: its error by horizon beside persistence."""
    paragraphs = []
    for name, m in models.items():
        if "rmse_by_horizon" in m:
            naive = zip(
                m["persistence_rmse_by_horizon"],
                m.get("moving_average_rmse_by_horizon", []),
                m.get("train_mean_rmse_by_horizon", []),
            )
            steps = ", ".join(
                f"{h} day{'s' if h > 1 else ''} ahead {r:.3f} (persistence {p:.3f}, moving "
                f"average {a:.3f}, training mean {t:.3f})"
                for h, (r, (p, a, t)) in enumerate(zip(m["rmse_by_horizon"], naive), start=1)
            )
            paragraphs.append(
                f"The {name.replace('_', '-')} forecasts {len(m['rmse_by_horizon'])} days at "
                f"once; its test error by horizon (mean over its runs) beside the naive forecasts "
                f"from the same origins: {steps}."
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
        medians = ", ".join(f"{v:.2f} s ({k})" for k, v in explorer["median_seconds"].items())
        growth = explorer["memory_growth_mb"]
        memory = (
            f"grew the process by {growth:.1f} MB"
            if growth > 0
            else f"did not grow the process (its memory changed by {growth:+.1f} MB)"
        )
        paragraphs.append(
            f"The forecast explorer retrains and redraws in a median of {medians}, and "
            f"{explorer['memory_runs']} retrains in a row {memory}."
        )
    return paragraphs


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
