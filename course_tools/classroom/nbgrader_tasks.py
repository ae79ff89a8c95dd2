"""Find the lessons' tasks and turn each into an nbgrader answer cell and a hidden-test cell.

A task cell is a code cell that uses the blank ``____`` (in an assignment, a call, a function
body, ...) and ends with a check call, ``<exercise>.check(...)``, where ``<exercise>`` is
``exercises.lessonN.<task>`` or a name the cell binds to it (``improve =
exercises.lesson3.improve``). Nothing else about a lesson is assumed, so new tasks of the same
pattern convert without changes here.

Each task cell becomes two cells:

* an **answer** cell (nbgrader ``solution``): the task cell without its check, followed by a
  solution region holding the task's worked answer (:func:`worked_solution`); the released copy
  keeps the blanks and replaces the region with a one-line prompt;
* a **test** cell (nbgrader ``grade``, locked): the course's own check, shown to the learner,
  and a hidden test, ``assert feedback.passed``, that awards the points.

The worked answer is, in this order: the lesson's own worked cell (a later cell tagged
``solution`` that calls the same check), the exercise's ``solution_code``, or for a free-text
task the example answers of its ``solution_details``.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass

import nbformat

import course_helpers

__all__ = ["BLANK", "Task", "find_tasks", "task_cells", "worked_solution"]

BLANK = "____"
SOLUTION_TAG = "solution"
SCHEMA_VERSION = 3  # nbgrader's cell metadata schema


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
    worked_cell: str | None = None  # the lesson's worked answer (a cell tagged solution)

    @property
    def grade_id(self) -> str:
        """An nbgrader cell id derived from the exercise: ``lesson2-windows``."""
        return self.exercise_path.removeprefix("exercises.").replace(".", "-")


def _parse(source: str) -> ast.Module | None:
    """The cell's syntax tree, with IPython magics and shell escapes read as ``pass``."""
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


def _worked_cell(nb, start: int, path: str, aliases: dict[str, str]) -> str | None:
    """The first cell tagged ``solution`` after ``start`` that checks the same exercise."""
    for cell in nb.cells[start + 1 :]:
        if cell.cell_type != "code":
            continue
        tree = _parse(cell.source)
        if SOLUTION_TAG not in cell.metadata.get("tags", []):
            if BLANK in cell.source and _final_check(tree, aliases):
                return None  # the next task begins
            continue
        found = _final_check(tree, {**aliases, **_aliases(tree)} if tree else aliases)
        if found and found[1] == path:
            return cell.source
    return None


def find_tasks(nb: nbformat.NotebookNode) -> list[Task]:
    """Every task cell of ``nb`` (see the module docstring), in order."""
    tasks = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or BLANK not in cell.source:
            continue
        if SOLUTION_TAG in cell.metadata.get("tags", []):
            continue
        tree = _parse(cell.source)
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
        worked = _worked_cell(nb, index, path, aliases)
        tasks.append(
            Task(
                index,
                path,
                _exercise(path),
                blanks,
                _without(cell.source, last),
                call,
                check_source,
                worked,
            )  # fmt: skip
        )
    return tasks


def _arguments(call: ast.Call) -> dict[object, ast.AST]:
    """A call's arguments by position (0, 1, ...) and keyword name."""
    found: dict[object, ast.AST] = dict(enumerate(call.args))
    found.update({kw.arg: kw.value for kw in call.keywords if kw.arg})
    return found


def _pairs(task: Task, theirs: ast.Call) -> list[tuple[str, str]]:
    """(name the lesson's check reads, the worked answer's value for it), by position/keyword."""
    ours, given = _arguments(task.check), _arguments(theirs)
    pairs = [
        (ours[key].id, ast.unparse(given[key]))
        for key in ours
        if isinstance(ours[key], ast.Name) and key in given
    ]
    checked = {node.id for node in ours.values() if isinstance(node, ast.Name)}
    unmatched = sorted(set(task.blanks) & checked - {name for name, _ in pairs})
    if unmatched:
        raise ValueError(f"{task.exercise_path}: its worked answer gives no value for {unmatched}")
    return pairs


def _from_cell(task: Task) -> str:
    """The lesson's worked cell without its check, then the values the lesson's check reads."""
    tree = _parse(task.worked_cell)
    body = _without(task.worked_cell, tree.body[-1])
    pairs = _pairs(task, tree.body[-1].value)
    return "\n".join([body, *(f"{name} = {value}" for name, value in pairs if name != value)])


def _free_names(tree: ast.Module) -> set[str]:
    """Names a piece of code reads but never assigns or imports itself."""
    loaded, stored = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else stored).add(node.id)
        elif isinstance(node, ast.alias):
            stored.add((node.asname or node.name).split(".")[0])
    return loaded - stored - set(dir(builtins))


def _from_code(task: Task, code: str) -> str:
    """The worked answer from the exercise's solution code, as a function returning the answer.

    The solution's own check call says which of its values are the answer; each is returned and
    assigned to the name the lesson's check reads at the same position or keyword. The function
    keeps the solution's other names out of the lesson's namespace.
    """
    tree = ast.parse(code)
    last = tree.body[-1]
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)):
        raise ValueError(f"{task.exercise_path}: its solution code does not end with a check call")
    body = code.splitlines()[: last.lineno - 1]
    pairs = _pairs(task, last.value)
    needed = _free_names(ast.parse("\n".join([*body, *(value for _, value in pairs)])))
    imports = sorted(needed & set(course_helpers.__all__))
    lines = ["def worked_solution():", f'    """The worked answer of {task.exercise_path}."""']
    if imports:
        lines.append(f"    from course_helpers import {', '.join(imports)}")
    lines += [f"    {line}" if line.strip() else "" for line in body]
    lines.append(f"    return {', '.join(value for _, value in pairs)}")
    lines += ["", "", f"{', '.join(name for name, _ in pairs)} = worked_solution()"]
    return "\n".join(lines)


def _from_text(task: Task) -> str:
    """The worked answer of a free-text task: each blank gets the example answer naming it."""
    details = [re.sub(r"\*\*[^*]*\*\*\s*", "", d).strip() for d in task.exercise.solution_details]
    named = [re.sub(r"[*`]", "", d) for d in task.exercise.solution_details]
    lines = []
    for blank in task.blanks:
        found = [text for text, raw in zip(details, named) if re.search(rf"\b{blank}", raw, re.I)]
        if not found:
            raise ValueError(
                f"{task.exercise_path} has no worked cell, no solution code and no example "
                f"answer naming {blank!r}: tag a worked cell `solution` in the lesson"
            )
        lines.append(f"{blank} = {found[0]!r}")
    return "\n".join(lines)


def worked_solution(task: Task) -> str:
    """Code that fills the task's blanks with its worked answer (module docstring: which one)."""
    if task.worked_cell:
        return _from_cell(task)
    code = getattr(task.exercise, "solution_code", None)
    return _from_code(task, code) if code else _from_text(task)


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
