"""Lesson 9's benchmark as text: the README's table and the lines under it, from the saved JSON.

Kept apart from :mod:`course_tools.benchmark_m4` so that the README check reads the JSON without
training anything.
"""

from __future__ import annotations

__all__ = ["markdown_table", "speed_lines"]

HEADER = (
    "| M4 Hourly forecast | source | validation sMAPE | validation MASE | validation OWA "
    "| test sMAPE | test MASE | test OWA |"
)


def _cells(row: dict | None, keys=("sMAPE", "MASE", "OWA")) -> list[str]:
    if row is None:
        return ["—"] * len(keys)
    return [f"{row[k]:.3f}" if row.get(k) is not None else "—" for k in keys]


def _published_rows(results: dict) -> list[str]:
    """The organisers' rows: recomputed ones with both numbers, the others as published."""
    lines = []
    benchmarks = results["benchmarks"]
    for p in results["published"]:
        name, published = p["name"], {"sMAPE": p["smape"], "MASE": p["mase"], "OWA": p["owa"]}
        if name in benchmarks["test"]:
            source = f"recomputed (published {p['smape']:.3f} / {p['mase']:.3f})"
            cells = _cells(benchmarks["validation"][name]) + _cells(benchmarks["test"][name])
        else:
            source = "published" if "N-BEATS" not in name else "published (sMAPE only)"
            cells = _cells(None) + _cells(published)
        lines.append(f"| {name} | {source} | " + " | ".join(cells) + " |")
    return lines


def _lesson_rows(results: dict) -> list[str]:
    """The lesson's models, then its ablations (validation only)."""
    models = results["models"]
    ordered = [k for k in models if not models[k]["ablation"]]
    ordered += [k for k in models if models[k]["ablation"]]
    lines = []
    for label in ordered:
        row = models[label]
        members = f", {row['members']} networks" if row["members"] > 1 else ""
        source = ("this lesson, validation only" if row["ablation"] else "this lesson") + members
        cells = _cells(row["validation"]) + _cells(row.get("test"))
        lines.append(f"| {label} | {source} | " + " | ".join(cells) + " |")
    return lines


def markdown_table(results: dict) -> str:
    """The README's M4 table: published and recomputed rows, then the lesson's models."""
    lines = [HEADER, "| --- | --- |" + " ---: |" * 6]
    return "\n".join(lines + _published_rows(results) + _lesson_rows(results))


def speed_lines(results: dict) -> list[str]:
    """Throughput beside the machine's matrix-multiply peak, the training loops, the memory."""
    peak = results["matmul_gflops"]
    lines = [f"- Matrix-multiply peak in the same run: {peak:.0f} GFLOP/s (float32, 1024 x 1024)."]
    for label, row in results["models"].items():
        if row["ablation"]:
            continue
        lines.append(
            f"- {label}: {row['samples_per_second']:,.0f} training windows/s, "
            f"{row['gflops']:.0f} GFLOP/s ({row['gflops'] / peak:.0%} of the peak), "
            f"{row['seconds']:.0f} s of training (CPU {row['cpu_seconds']:.0f} s)."
        )
    fit = results["fit_speed"]
    timing = {k: v for k, v in fit.items() if isinstance(v, dict)}
    said = ", ".join(f"{k} {v['seconds']:.1f} s (CPU {v['cpu']:.1f} s)" for k, v in timing.items())
    lines.append(
        f"- One pass over all {fit['samples']:,} windows (course MLP, batch {fit['batch_size']}): "
        f"{said}."
    )
    memory = results["memory"]
    copy, held = memory["copy of every window"], memory["held (series, levels and bounds)"]
    lines.append(
        f"- Windows as views: a copy of all {memory['windows']:,} training windows of 168 + 48 "
        f"hours would take {copy / 1e6:.0f} MB; the views hold the padded series and each "
        f"origin's level in {held / 1e6:.1f} MB."
    )
    lines.append(
        f"- The whole benchmark: {results['seconds']:.0f} s (CPU {results['cpu_seconds']:.0f} s)."
    )
    return lines
