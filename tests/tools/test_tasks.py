"""Finding a lesson's tasks, and each one's worked answer from the exercise modules."""

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_helpers import exercises as ex
from course_tools.tasks import find_tasks, worked_solution

LESSONS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))

WINDOWS_TASK = (
    "window = ____  # your window\n"
    "X = ____\n"
    "y = ____\n"
    "exercises.lesson2.windows.check(X, y, window=window)"
)


def notebook(*sources):
    return new_notebook(cells=[new_markdown_cell("# A lesson"), *map(new_code_cell, sources)])


def test_a_task_is_a_cell_with_a_blank_that_ends_with_a_check():
    nb = notebook(
        "x = 1",
        WINDOWS_TASK,
        "# exercises.lesson2.windows.hint()",
        "exercises.lesson2.windows.check(X, y)",  # a check without a blank: not a task
        "X = ____  # a blank without a check: not a task",
    )
    (task,) = find_tasks(nb)
    assert task.index == 2 and task.exercise is ex.lesson2.windows
    assert task.blanks == ["window", "X", "y"] and task.bound == ["window", "X", "y"]
    assert task.check_source == "exercises.lesson2.windows.check(X, y, window=window)"
    assert task.grade_id == "lesson2-windows"


def test_an_alias_of_the_exercise_counts():
    (task,) = find_tasks(
        notebook("w = exercises.lesson2.windows\nX = ____\ny = ____\nw.check(X, y)")
    )
    assert task.exercise_path == "exercises.lesson2.windows" and task.bound == ["X", "y"]


def test_the_worked_answer_is_the_exercises_solution_code():
    (task,) = find_tasks(notebook(WINDOWS_TASK))
    assert worked_solution(task) == ex.lesson2.windows.solution_code.strip()


def test_a_worked_answer_that_leaves_out_a_name_of_the_cell_is_refused():
    cell = "window = ____\nX = ____\ny = ____\nextra = ____\nexercises.lesson2.windows.check(X, y)"
    (task,) = find_tasks(notebook(cell))
    with pytest.raises(ValueError, match=r"does not assign \['extra'\]"):
        worked_solution(task)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_task_has_a_worked_answer_that_can_replace_its_cell(path):
    for task in find_tasks(nbformat.read(path, as_version=4)):
        compile(worked_solution(task), task.grade_id, "exec")
