"""The lessons as an nbgrader course: graded tasks, hidden tests, and a whole grading round.

Quick tests read the conversion (``course_tools.nbgrader_course``): every task cell of every lesson
becomes an answer cell with the worked answer in a solution region and a locked test cell whose
hidden test asserts the course's own check. The slow test (``make test-classroom``) runs nbgrader
itself, from its own venv (``classroom/.venv-nbgrader``): ``generate_assignment`` for all seven
lessons, two learners' submissions collected with ``zip_collect`` (one solved every task with its
worked answer, one solved none), ``autograde`` for both at once, then the gradebook's points are
held against what the course's checks said in the graded notebooks.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import nbformat
import psutil
import pytest

from course_tools.handouts import student_copy
from course_tools.nbgrader_course import fill_with_solutions, source_notebook, write_course
from course_tools.nbgrader_tasks import find_tasks, worked_solution

from .conftest import ARTIFACTS, NBGRADER, REPO

LESSONS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHECKED = re.compile(r"exercises\.(lesson\d+\.\w+)|(\w+)\s*=\s*exercises\.(lesson\d+\.\w+)")
LEARNERS = {"alice": "solved every task", "bob": "solved none"}
MARKERS = ("BEGIN SOLUTION", "HIDDEN TESTS", "assert feedback.passed", "worked_solution")


def _escaped(text: str) -> str:
    """``text`` as it appears inside a notebook's JSON."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def checked_exercises(nb) -> set[str]:
    """The exercises the lesson's task cells (a blank and a check) check, read with a regex."""
    found = set()
    for cell in nb.cells:
        if cell.cell_type != "code" or "solution" in cell.metadata.get("tags", []):
            continue
        code = cell.source.replace("from course_helpers.exercises import ____", "")
        if "____" in code and ".check(" in code:
            found |= {a or b for a, _, b in CHECKED.findall(code)}
    return found


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_task_becomes_an_answer_and_a_hidden_test(path):
    original = nbformat.read(path, as_version=4)
    nb, tasks = source_notebook(original)
    assert {t.exercise_path.removeprefix("exercises.") for t in tasks} == checked_exercises(
        original
    )
    graded = [c for c in nb.cells if "nbgrader" in c.metadata]
    assert len(graded) == 2 * len(tasks)
    for answer, test in zip(graded[::2], graded[1::2]):
        assert answer.metadata.nbgrader["solution"] and not answer.metadata.nbgrader["grade"]
        assert "____" in answer.source.split("### BEGIN SOLUTION")[0]  # the blanks stay
        assert answer.source.rstrip().endswith("### END SOLUTION")
        meta = test.metadata.nbgrader
        assert meta["grade"] and meta["locked"] and meta["points"] == 1
        assert ".check(" in test.source
        hidden = test.source.split("### BEGIN HIDDEN TESTS")[1]
        assert "assert feedback.passed" in hidden and "### END HIDDEN TESTS" in hidden
    assert not [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert ".solution()" not in "".join(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_a_worked_answer_is_the_lessons_own(path):
    """The lesson's worked cell (tagged solution) if it has one, else the exercise's solution."""
    for task in find_tasks(nbformat.read(path, as_version=4)):
        code = worked_solution(task)
        compile(code, task.grade_id, "exec")
        if task.worked_cell:
            *body, _check = task.worked_cell.strip().splitlines()
        elif task.exercise.solution_code:
            *body, _check = task.exercise.solution_code.strip().splitlines()
        else:  # a free-text task: an example answer for each blank
            body = [f"{blank} = " for blank in task.blanks]
        for line in body:
            assert line.strip() in code, (task.grade_id, line)


def test_a_new_task_of_the_same_pattern_converts():
    cell = (
        "task = exercises.lesson2.windows\n"
        "window = 7\n"
        "X = ____  # rows\n"
        "y = ____\n"
        "task.check(\n    X,\n    y,\n    window=window,\n)"
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    converted, tasks = source_notebook(nb)
    assert [t.grade_id for t in tasks] == ["lesson2-windows"] and tasks[0].blanks == ["X", "y"]
    answer, test = converted.cells
    assert answer.source.startswith("task = exercises.lesson2.windows\nwindow = 7\nX = ____")
    assert "X, y, window = worked_solution()" in answer.source
    assert "feedback = task.check(\n    X,\n    y,\n    window=window,\n)" in test.source


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
        public = "\n".join(c.source for c in student_copy(lesson).cells)  # the hand-out's text
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
