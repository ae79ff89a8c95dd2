"""The tasks of a lesson notebook, and each one's worked answer from the exercise modules.

A task cell is a code cell that uses the blank ``____`` (in an assignment, a call, a function
body, ...) and ends with a check call, ``<exercise>.check(...)``, where ``<exercise>`` is
``exercises.lessonN.<task>`` or a name the cell binds to it (``improve =
exercises.lesson3.improve``). Nothing else about a lesson is assumed, so new tasks of the same
pattern are found without changes here.

The worked answer of a task is its exercise's ``solution_code`` (in
``course_helpers/exercises/lessonN.py``), the single source of worked answers: the learner's
``solution()``, the reference the lesson continues with, the instructors' copies
(:mod:`course_tools.copies`) and nbgrader's solution regions (:mod:`.classroom.nbgrader_tasks`)
all read it. It is code a learner could have written in the task cell: :func:`worked_solution`
checks that it assigns every name the cell assigns and its check reads.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import nbformat

import course_helpers

__all__ = ["BLANK", "SOLUTION_TAG", "Task", "find_tasks", "worked_solution"]

BLANK = "____"
SOLUTION_TAG = "solution"  # a lesson's own worked cell (older lessons); never a task cell


@dataclass
class Task:
    """One task cell of a lesson: where it is, which exercise it checks and how."""

    index: int  # the cell's position in the notebook
    exercise_path: str  # e.g. "exercises.lesson2.windows"
    exercise: object  # the course's Exercise instance
    blanks: list[str]  # names the cell assigns ____ to
    answer: str  # the cell's source without the check call
    check: ast.Call  # the check call
    check_source: str  # its source text
    bound: list[str]  # names the cell binds at its top level, and those its check reads

    @property
    def grade_id(self) -> str:
        """A cell id derived from the exercise: ``lesson2-windows``."""
        return self.exercise_path.removeprefix("exercises.").replace(".", "-")


def parse(source: str) -> ast.Module | None:
    """A cell's syntax tree, with IPython magics and shell escapes read as ``pass``."""
    lines = [re.sub(r"^(\s*)[%!].*$", r"\1pass", line) for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def _dotted(node: ast.AST) -> str | None:
    """``exercises.lesson2.windows`` for an attribute chain of names, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def _exercise(path: str):
    """The object ``path`` names inside ``course_helpers`` (``exercises.lesson2.windows``)."""
    value = course_helpers
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Names a cell binds to attribute chains: ``{"improve": "exercises.lesson3.improve"}``."""
    return {
        node.targets[0].id: _dotted(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Attribute)
        and _dotted(node.value)
    }


def _final_check(tree: ast.Module | None, aliases: dict[str, str]) -> tuple[ast.Call, str] | None:
    """The cell's last statement if it is ``<exercise>.check(...)``, with the exercise's path."""
    if tree is None or not tree.body:
        return None
    last = tree.body[-1]
    if not (
        isinstance(last, ast.Expr)
        and isinstance(last.value, ast.Call)
        and isinstance(last.value.func, ast.Attribute)
        and last.value.func.attr == "check"
    ):
        return None
    target = last.value.func.value
    path = aliases.get(target.id) if isinstance(target, ast.Name) else _dotted(target)
    if not path or not path.startswith("exercises."):
        return None
    return last.value, path


def _without(source: str, node: ast.AST) -> str:
    """``source`` without the lines of statement ``node``."""
    lines = source.splitlines()
    return "\n".join(lines[: node.lineno - 1] + lines[node.end_lineno :]).rstrip()


def _top_level_names(tree: ast.Module) -> list[str]:
    """Names a module binds in its own statements (assignments, definitions), in order."""
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.append(node.name)
        for target in getattr(node, "targets", [getattr(node, "target", None)]):
            for leaf in ast.walk(target) if target is not None else ():
                if isinstance(leaf, ast.Name) and isinstance(leaf.ctx, ast.Store):
                    names.append(leaf.id)
    return list(dict.fromkeys(names))


def find_tasks(nb: nbformat.NotebookNode) -> list[Task]:
    """Every task cell of ``nb`` (see the module docstring), in order."""
    tasks = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or BLANK not in cell.source:
            continue
        if SOLUTION_TAG in cell.metadata.get("tags", []):
            continue
        tree = parse(cell.source)
        aliases = _aliases(tree) if tree else {}
        found = _final_check(tree, aliases)
        uses_blank = tree is not None and any(
            isinstance(n, ast.Name) and n.id == BLANK for n in ast.walk(tree)
        )
        if not found or not uses_blank:
            continue
        call, path = found
        blanks = [
            target.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Name)
            and node.value.id == BLANK
            for target in node.targets
            if isinstance(target, ast.Name)
        ]
        last = tree.body[-1]
        check_source = "\n".join(cell.source.splitlines()[last.lineno - 1 : last.end_lineno])
        bound = [n for n in _top_level_names(tree) if n not in aliases]
        read = [n.id for n in ast.walk(call) if isinstance(n, ast.Name) and n.id in bound]
        tasks.append(
            Task(
                index,
                path,
                _exercise(path),
                blanks,
                _without(cell.source, last),
                call,
                check_source,
                list(dict.fromkeys([*bound, *read])),
            )  # fmt: skip
        )
    return tasks


def worked_solution(task: Task) -> str:
    """The task's worked answer: its exercise's ``solution_code``, checked to fit the cell.

    Raises ``ValueError`` when the exercise has none, or when it leaves out a name the task
    cell binds (a later cell may read it) or the check reads.
    """
    code = getattr(task.exercise, "solution_code", None)
    if not code:
        raise ValueError(f"{task.exercise_path} has no solution_code: give it a worked answer")
    tree = ast.parse(code)
    missing = [name for name in task.bound if name not in _top_level_names(tree)]
    if missing:
        raise ValueError(
            f"The worked answer of {task.exercise_path} does not assign {missing}, which its "
            "task cell assigns: the worked answer must be code that can replace the task cell"
        )
    return code.strip()
