"""The benchmark's report in Markdown: the README's table and its reading, every number from JSON.

:mod:`course_tools.benchmark` measures; this module only writes what it measured.
"""

from __future__ import annotations


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
