"""Lesson 9's benchmark: the saved JSON's schema, its table in the README, and its measurements."""

import json
from pathlib import Path

import pytest

from course_helpers import global_models as gm
from course_tools import benchmark_m4 as bench
from course_tools.benchmark_m4_report import markdown_table, speed_lines

ROOT = Path(__file__).resolve().parents[2]
SAVED = ROOT / "notebooks" / "m4_benchmark.json"
MEASURES = {"sMAPE", "MASE", "OWA"}


@pytest.fixture(scope="module")
def report():
    return json.loads(SAVED.read_text())


def test_the_saved_report_has_every_row_and_measure(report):
    assert report["protocol"] == {"horizon": 48, "validation hours": 48, "refit": False}
    for period in ("validation", "test"):
        rows = report["benchmarks"][period]
        assert list(rows) == ["Naive", "seasonal naive", "Naive2"]
        assert all(set(row) == MEASURES for row in rows.values())
    for name, published in (("Naive", 43.003), ("seasonal naive", 13.912), ("Naive2", 18.383)):
        assert round(report["benchmarks"]["test"][name]["sMAPE"], 3) == published
    assert [p["name"] for p in report["published"]] == list(gm.PUBLISHED)
    assert list(report["models"]) == list(gm.SETTINGS)
    for label, row in report["models"].items():
        assert set(row["validation"]) == MEASURES
        assert row["ablation"] == gm.SETTINGS[label].ablation
        assert ("test" in row) != row["ablation"]  # ablations are never scored on the test hours
        assert (
            len(row["members_validation_owa"])
            == row["members"]
            == len(gm.SETTINGS[label].members())
        )
        assert row["samples_per_second"] > 0 and row["gflops"] > 0
        assert row["seconds"] > 0 and row["cpu_seconds"] > 0
    assert report["matmul_gflops"] > 0
    memory = report["memory"]
    assert memory["copy of every window"] == memory["windows"] * (168 + 48) * 4
    speed = report["fit_speed"]
    assert {"sampling loop", "course_helpers.fit", "model.fit"} <= set(speed)
    assert speed["copy"] == speed["samples"] * (168 + 48) * 4


def test_readme_shows_the_saved_table_and_lines_word_for_word(report):
    readme = (ROOT / "README.md").read_text()
    assert markdown_table(report) in readme
    for line in speed_lines(report):
        assert line in readme


def test_the_table_puts_published_rows_first_and_ablations_last(report):
    lines = markdown_table(report).splitlines()
    assert lines[0].startswith("| M4 Hourly forecast | source |")
    assert lines[2].startswith("| Naive | recomputed (published 43.003 / 11.608) |")
    assert any(
        line.startswith("| ES-RNN (Smyl), M4 winner | published | — | — | — | 9.328")
        for line in lines
    )
    assert lines[-1].endswith("| — | — | — |")  # an ablation: validation only
    nbeats = next(line for line in lines if line.startswith("| N-BEATS |"))
    assert "published (sMAPE only)" in nbeats and "| 8.197 | — | — |" in nbeats


def test_matmul_peak_and_fit_speed_measure_something():
    assert bench.matmul_peak(n=128, seconds=0.1) > 0
    speed = bench.fit_speed(series_every=40)
    assert speed["samples"] > 5000
    assert all(
        speed[k]["seconds"] > 0 for k in ("sampling loop", "course_helpers.fit", "model.fit")
    )
