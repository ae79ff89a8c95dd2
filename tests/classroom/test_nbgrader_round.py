"""nbgrader's whole round over the course: generate, collect two learners, autograde, gradebook.

nbgrader runs from its own venv (``classroom/.venv-nbgrader``): ``generate_assignment`` for every
lesson of the course ``course_tools.classroom.nbgrader_course`` writes, two learners' submissions
collected with ``zip_collect`` (one solved every task with its worked answer, one solved none),
``autograde`` for both at once, then the gradebook's points are held against what the course's
checks said in the graded notebooks. Marked ``classroom``: ``make test-classroom`` runs it. The
conversion itself is tested quickly in ``tests/tools/classroom/test_nbgrader_course.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import nbformat
import psutil
import pytest

from course_tools.classroom.nbgrader_course import fill_with_solutions, write_course
from course_tools.classroom.nbgrader_tasks import find_tasks, worked_solution
from course_tools.copies import clean_copy

from .conftest import ARTIFACTS, NBGRADER, REPO

LESSONS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LEARNERS = {"alice": "solved every task", "bob": "solved none"}
MARKERS = ("BEGIN SOLUTION", "HIDDEN TESTS", "assert feedback.passed", "worked_solution")


def _escaped(text: str) -> str:
    """``text`` as it appears inside a notebook's JSON."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _nbgrader(course, env, *args, timeout=600):
    """Run an nbgrader command; on a time-out stop it and the kernels it started."""
    process = subprocess.Popen(
        [str(NBGRADER), *args], cwd=course, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        family = [*psutil.Process(process.pid).children(recursive=True), process]
        for member in family:
            member.kill()
        process.communicate()
        pytest.fail(f"nbgrader {' '.join(args)} took longer than {timeout} s")
    assert process.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{stderr[-4000:]}"


@pytest.fixture(scope="module")
def graded(tmp_path_factory, data_source):
    """A whole round: generate, two learners' submissions, zip_collect, autograde."""
    if not NBGRADER.exists():
        pytest.fail(f"{NBGRADER} is missing: `make nbgrader-venv` installs it")
    tmp = tmp_path_factory.mktemp("nbgrader")
    course, times = tmp / "course", {}
    assignments = write_course(LESSONS, course, python=sys.executable)
    env = {
        **os.environ,
        "PATH": f"{NBGRADER.parent}{os.pathsep}{os.environ['PATH']}",
        "COURSE_DATA_DIR": str(data_source),
        "HOME": str(tmp / "home"),
        "JUPYTER_CONFIG_DIR": str(tmp / "jupyter-config"),
    }
    started = time.monotonic()
    _nbgrader(course, env, "generate_assignment", "*", "--force")
    times["generate"] = time.monotonic() - started
    for name in assignments:
        archive = course / "downloaded" / name / "archive"
        archive.mkdir(parents=True)
        released = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
        source = nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4)
        nbformat.write(fill_with_solutions(released, source), archive / f"alice_{name}.ipynb")
        shutil.copy(course / "release" / name / f"{name}.ipynb", archive / f"bob_{name}.ipynb")
        _nbgrader(course, env, "zip_collect", name)
    times["collect"] = time.monotonic() - started - times["generate"]
    with ThreadPoolExecutor(max_workers=2) as pool:  # one autograder per learner, at once
        list(pool.map(
            lambda who: _nbgrader(course, env, "autograde", "*", "--student", who, timeout=2400),
            LEARNERS,
        ))  # fmt: skip
    times["autograde"] = time.monotonic() - started - times["generate"] - times["collect"]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "classroom-nbgrader-times.json").write_text(
        json.dumps({k: round(v, 1) for k, v in times.items()}, indent=2)
    )
    return course, assignments


def points(course) -> dict[tuple[str, str], float]:
    """(learner, grade id) -> points, from nbgrader's gradebook."""
    query = """
        select sa.student_id, bc.name, g.auto_score, gc.max_score
        from grade g join grade_cells gc on g.cell_id = gc.id join base_cell bc on bc.id = gc.id
        join submitted_notebook sn on g.notebook_id = sn.id
        join submitted_assignment sa on sn.assignment_id = sa.id"""
    with sqlite3.connect(course / "gradebook.db") as db:
        rows = db.execute(query).fetchall()
    assert all(maximum == 1 for *_, maximum in rows)
    return {(learner, cell): score for learner, cell, score, _ in rows}


def feedback_shown(course, learner) -> dict[str, str]:
    """grade id -> the text of the course's feedback in the learner's autograded notebooks."""
    shown = {}
    for path in sorted((course / "autograded" / learner).glob("*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.metadata.get("nbgrader", {}).get("grade"):
                texts = [o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", [])]
                shown[cell.metadata.nbgrader["grade_id"]] = "\n".join(texts)
    return shown


@pytest.mark.classroom
def test_released_notebooks_reveal_no_worked_answer(graded):
    course, assignments = graded
    for name in assignments:
        released = (course / "release" / name / f"{name}.ipynb").read_text()
        for marker in MARKERS:
            assert marker not in released, (name, marker)
        source = nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4)
        lesson = nbformat.read(REPO / "notebooks" / f"{name}.ipynb", as_version=4)
        public = "\n".join(c.source for c in clean_copy(lesson).cells)  # the lesson's own text
        for task in find_tasks(lesson):
            secret = [line.strip() for line in worked_solution(task).splitlines()]
            secret += [d[:60] for d in task.exercise.solution_details]
            secret = [s for s in secret if len(s) > 12 and s not in public]
            leaked = [s for s in secret if _escaped(s) in released]
            assert not leaked, f"{name} reveals {leaked}"
        assert len(source.cells) == len(nbformat.reads(released, 4).cells)


@pytest.mark.classroom
def test_grades_match_the_courses_checks(graded):
    course, assignments = graded
    scores = points(course)
    tasks = [f"{task}-check" for ids in assignments.values() for task in ids]
    assert len(tasks) >= 7
    for learner in LEARNERS:
        shown = feedback_shown(course, learner)
        assert sorted(shown) == sorted(tasks), learner
        for task in tasks:
            passed = "Correct:" in shown[task]
            assert scores[(learner, task)] == (1.0 if passed else 0.0), (learner, task, shown[task])
    assert all(scores[("alice", t)] == 1.0 for t in tasks), "the worked answers did not pass"
    assert all(scores[("bob", t)] == 0.0 for t in tasks)
    shown = feedback_shown(course, "bob")
    assert "Not attempted yet" in shown[tasks[0]], "the first blank task was not reported as such"
