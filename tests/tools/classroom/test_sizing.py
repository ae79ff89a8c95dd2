"""The measured memory of the lessons and of a class, as the README reports them.

``classroom/measurements.json`` is written by ``python -m course_tools.classroom measure``: each
lesson's kernel peak, run alone, and a class of eight on the local hub. The README's tables are
printed from it by ``course_tools.classroom.sizing``, every lesson fits mybinder.org's 2 GB with
room to spare (under 1.5 GB), and the sizing rule in the JSON is the one the code derives from its
numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course_tools.classroom import sizing
from course_tools.classroom.measure import MEASUREMENTS

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def measurements():
    return json.loads(MEASUREMENTS.read_text())


def test_every_lesson_was_measured(measurements):
    lessons = sorted(p.stem for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(measurements["lessons"]) == lessons


def test_every_lesson_fits_binders_memory(measurements):
    for name, lesson in measurements["lessons"].items():
        assert 100 < lesson["peak_mb"] < sizing.BINDER_LIMIT_MB, (name, lesson)
        assert lesson["peak_mb"] >= lesson["sampled_rss_mb"], (name, lesson)
        assert lesson["cpu_seconds"] > 1, (name, lesson)


def test_the_class_of_eight_was_measured(measurements):
    klass = measurements["class"]
    assert klass["learners"] >= 8
    assert klass["lesson"] in measurements["lessons"]
    assert klass["total_peak_mb"] > klass["learners"] * klass["kernel_peak_mb_max"] / 2
    assert 0 < klass["seconds_to_finish"] < 1800
    assert klass["kernel_cpu_seconds_mean"] > 1


def test_the_sizing_rule_is_derived_from_the_numbers(measurements):
    assert measurements["sizing"] == sizing.sizing(measurements)
    rule = measurements["sizing"]
    heaviest = max(lesson["peak_mb"] for lesson in measurements["lessons"].values())
    assert rule["memory_guarantee_mb"] <= rule["memory_limit_mb"]
    assert rule["memory_limit_mb"] >= heaviest + measurements["class"]["server_peak_mb_max"]
    assert rule["learners_per_machine"] >= 1


def test_the_readme_shows_the_measurements_word_for_word(measurements):
    readme = (REPO / "README.md").read_text()
    instructors = readme[readme.index("## For instructors") :]
    assert sizing.format_table(measurements) in instructors
    assert sizing.format_sizing(measurements) in instructors
