"""Turn each task of a lesson into an nbgrader answer cell and a hidden-test cell.

The tasks and their worked answers are found by :mod:`course_tools.tasks`. Each task cell
becomes two cells:

* an **answer** cell (nbgrader ``solution``): the task cell without its check, followed by a
  solution region holding the task's worked answer (its exercise's ``solution_code``); the
  released copy keeps the blanks and replaces the region with a one-line prompt;
* a **test** cell (nbgrader ``grade``, locked): the course's own check, shown to the learner,
  and a hidden test, ``assert feedback.passed``, that awards the points.
"""

from __future__ import annotations

import nbformat

from ..tasks import Task, find_tasks, worked_solution

__all__ = ["SCHEMA_VERSION", "Task", "find_tasks", "task_cells", "worked_solution"]

SCHEMA_VERSION = 3  # nbgrader's cell metadata schema


def _metadata(grade_id: str, *, answer: bool, points: int) -> dict:
    """nbgrader's cell metadata for an answer cell or an autograded test cell."""
    meta = {
        "grade": not answer,
        "grade_id": grade_id,
        "locked": not answer,
        "schema_version": SCHEMA_VERSION,
        "solution": answer,
        "task": False,
    }
    if not answer:
        meta["points"] = points
    return meta


def task_cells(task: Task, points: int = 1) -> list[nbformat.NotebookNode]:
    """The answer cell and the test cell that replace ``task``'s cell (module docstring)."""
    answer = "\n".join(
        line for line in task.answer.rstrip().splitlines() if not line.startswith("# NBVAL_")
    )
    region = f"### BEGIN SOLUTION\n{worked_solution(task)}\n### END SOLUTION"
    test = (
        f"# The course's check of this task; the hidden test below awards {points} point(s).\n"
        f"feedback = {task.check_source}\n"
        "display(feedback)\n"
        "### BEGIN HIDDEN TESTS\n"
        "assert feedback.passed, feedback.message\n"
        "### END HIDDEN TESTS"
    )
    cells = [
        nbformat.v4.new_code_cell(f"{answer}\n{region}".lstrip()),
        nbformat.v4.new_code_cell(test),
    ]
    for cell, suffix, is_answer in zip(cells, ("answer", "check"), (True, False)):
        cell.metadata["nbgrader"] = _metadata(
            f"{task.grade_id}-{suffix}", answer=is_answer, points=points
        )
    return cells
