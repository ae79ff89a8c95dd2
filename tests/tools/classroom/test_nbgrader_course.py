"""The lessons as an nbgrader course: every task becomes a graded answer and a hidden test.

These quick tests read the conversion (``course_tools.classroom.nbgrader_course``): every task
cell of every lesson becomes an answer cell with the worked answer in a solution region and a
locked test cell whose hidden test asserts the course's own check. nbgrader itself grades the
course in ``tests/classroom/test_nbgrader_round.py`` (``make test-classroom``).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from course_helpers import exercises as ex
from course_tools.classroom.nbgrader_course import source_notebook
from course_tools.classroom.nbgrader_tasks import worked_solution

REPO = Path(__file__).resolve().parents[3]
LESSONS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHECKED = re.compile(r"exercises\.(lesson\d+\.\w+)|(\w+)\s*=\s*exercises\.(lesson\d+\.\w+)")


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
def test_a_worked_answer_is_the_exercises_own(path):
    """The solution region holds the exercise's solution_code, the single source of answers."""
    nb, tasks = source_notebook(nbformat.read(path, as_version=4))
    answers = [c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    for task, answer in zip(tasks, answers, strict=True):
        code = worked_solution(task)
        assert code == task.exercise.solution_code.strip()
        region = answer.split("### BEGIN SOLUTION\n")[1].split("\n### END SOLUTION")[0]
        assert region == code, task.grade_id


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
    assert ex.lesson2.windows.solution_code.strip() in answer.source
    assert "feedback = task.check(\n    X,\n    y,\n    window=window,\n)" in test.source
