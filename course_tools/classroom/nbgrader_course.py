"""Turn the lessons into an nbgrader course with graded tasks and hidden tests.

    python -m course_tools.classroom.nbgrader_course --out dist/nbgrader notebooks/*.ipynb

writes an nbgrader course folder:

* ``source/<lesson>/<lesson>.ipynb``: one assignment per lesson, the instructor's version.
  Outputs are cleared (:func:`course_tools.copies.clean_copy`); lines that call an exercise's
  ``solution()`` are removed; each task cell becomes a graded answer cell holding the worked
  answer (the exercise's ``solution_code``) in a solution region and a locked test cell whose
  hidden test awards the points when the course's own check passes
  (:mod:`course_tools.classroom.nbgrader_tasks`). The notebooks folder's other files
  (``benchmark.json``) go with each lesson.
* ``nbgrader_config.py``: course id, exchange folder (``$NBGRADER_EXCHANGE``, default
  ``/srv/nbgrader/exchange``), the prompt that replaces a worked answer, cell time-outs.
* ``jupyter/kernels/python3/kernel.json``: the kernel the autograder runs the lessons in, the
  course's Python (``--python``, default this one), so nbgrader itself may live in a venv of its
  own (``classroom/requirements-nbgrader.txt``); ``nbgrader_config.py`` puts it first on
  ``JUPYTER_PATH``.

Then, in that folder: ``nbgrader generate_assignment 03_mlp`` (the release copy, without worked
answers or hidden tests), ``release_assignment``, and after the learners' ``submit``,
``collect`` and ``autograde``; README.md ("For instructors") has the whole round.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

import nbformat

from ..copies import clean_copy
from .nbgrader_tasks import find_tasks, task_cells

__all__ = ["fill_with_solutions", "main", "source_notebook", "write_course"]

DEFAULT_OUT = Path("dist") / "nbgrader"
COURSE_ID = "dl-forecasting"
SOLUTION_CALL = re.compile(r"^.*\.solution\(\).*$\n?", re.M)
CONFIG = """\
# nbgrader's configuration for the course, written by
# `python -m course_tools.classroom.nbgrader_course`.
import os
from pathlib import Path

c = get_config()  # noqa: F821
HERE = Path(__file__).resolve().parent
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = str(HERE)
# Waits up to a minute for a busy gradebook: autograde may run one process per learner at once.
c.CourseDirectory.db_url = f"sqlite:///{{HERE / 'gradebook.db'}}?timeout=60"
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
# What a learner sees instead of a worked answer: the task's blanks stay above it.
c.ClearSolutions.code_stub = {{
    "python": "# Your answer: replace each ____ above, then run the check below."
}}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.Execute.timeout = {timeout}  # seconds per cell: a worked answer trains several models
# `nbgrader zip_collect LESSON` collects downloaded/LESSON/archive/<learner>_<notebook>.ipynb
# (learner names without "_"), e.g. files saved from a learning platform or the learners' homes.
c.FileNameCollectorPlugin.named_regexp = r".*/(?P<student_id>[^/_]+)_(?P<file_id>[^/]+[.]ipynb)$"
# The autograder's kernel is the course's Python (jupyter/kernels/python3), not nbgrader's.
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    p for p in (str(HERE / "jupyter"), os.environ.get("JUPYTER_PATH", "")) if p
)
"""


def source_notebook(nb: nbformat.NotebookNode, points: int = 1):
    """The instructor's nbgrader version of a lesson and its tasks: ``(notebook, tasks)``."""
    nb = nbformat.from_dict(nb)  # a copy: the lesson itself is not changed
    tasks = find_tasks(nb)  # with the lesson's worked cells, before they are dropped
    for task in reversed(tasks):
        nb.cells[task.index : task.index + 1] = task_cells(task, points)
    nb = clean_copy(nb)  # clears outputs (and drops any cell tagged solution)
    for cell in nb.cells:
        if cell.cell_type == "code" and "nbgrader" not in cell.metadata:
            cell.source = SOLUTION_CALL.sub("", cell.source).rstrip()
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or c.source.strip()]
    return nb, tasks


def write_course(
    paths: Iterable[str | Path],
    out: str | Path = DEFAULT_OUT,
    *,
    points: int = 1,
    course_id: str = COURSE_ID,
    python: str = sys.executable,
    timeout: int = 900,
) -> dict[str, list[str]]:
    """Write the nbgrader course of the notebooks in ``paths`` into ``out``.

    Returns each assignment's name with the grade ids of its tasks. Raises ``ValueError`` for a
    path that is not a notebook.
    """
    paths = [Path(p) for p in paths]
    for path in paths:
        if path.suffix != ".ipynb" or not path.is_file():
            raise ValueError(f"{path} is not a notebook file (.ipynb)")
    out = Path(out)
    (out / "source").mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(CONFIG.format(course_id=course_id, timeout=timeout))
    _write_kernelspec(out / "jupyter" / "kernels" / "python3", python)
    assignments = {}
    for path in paths:
        original = nbformat.read(path, as_version=4)
        nb, tasks = source_notebook(original, points)
        folder = out / "source" / path.stem
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / path.name)
        code = "\n".join(c.source for c in original.cells if c.cell_type == "code")
        for extra in path.parent.iterdir():  # files the lesson reads, e.g. benchmark.json
            if extra.is_file() and extra.suffix != ".ipynb" and extra.name in code:
                shutil.copy2(extra, folder / extra.name)
        assignments[path.stem] = [task.grade_id for task in tasks]
    return assignments


def _write_kernelspec(folder: Path, python: str) -> None:
    """A ``python3`` kernelspec that starts ``python`` (the course's environment)."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (course)",
        "language": "python",
        "metadata": {"debugger": True},
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n")


def fill_with_solutions(
    released: nbformat.NotebookNode, source: nbformat.NotebookNode
) -> nbformat.NotebookNode:
    """A copy of a released notebook whose answer cells hold the worked answers of ``source``.

    What a learner who solved every task submits: each answer cell gets the instructor's version
    of the same cell (same nbgrader ``grade_id``), without the solution-region markers.
    """
    answers = {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in source.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    filled = nbformat.from_dict(released)
    for cell in filled.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = "\n".join(
                line
                for line in answers[grade_id].splitlines()
                if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
            )
    return filled


def main(argv: list[str] | None = None) -> None:
    """Command line: ``[--out DIR] NOTEBOOK...`` (``--help`` lists every option)."""
    parser = argparse.ArgumentParser(
        prog="python -m course_tools.classroom.nbgrader_course",
        description="Write an nbgrader course of the lessons: graded tasks with hidden tests.",
    )
    parser.add_argument("notebooks", nargs="+", help="lessons, e.g. notebooks/*.ipynb")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="course folder (%(default)s)")
    parser.add_argument("--points", type=int, default=1, help="points per task (%(default)s)")
    parser.add_argument("--course-id", default=COURSE_ID, help="nbgrader course id")
    parser.add_argument(
        "--python", default=sys.executable, help="the course's Python for the autograder's kernel"
    )
    args = parser.parse_args(argv)
    try:
        assignments = write_course(
            args.notebooks,
            args.out,
            points=args.points,
            course_id=args.course_id,
            python=args.python,
        )
    except ValueError as exc:
        parser.error(str(exc))
    for name, tasks in assignments.items():
        print(f"{args.out}/source/{name}: {', '.join(tasks) or 'no graded task'}")


if __name__ == "__main__":
    main()
