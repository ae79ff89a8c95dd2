"""Instructor copies of the lessons, every task's worked answer filled in (``make instructor``).

    python -m course_tools.copies [--out dist/instructor] notebooks/*.ipynb

The committed notebooks are the learners' copies: they show each task's blanks and checks, and
a worked answer only when asked for (``.solution()``). An instructor's copy replaces each task
cell (:mod:`course_tools.tasks`) with its worked answer, taken from the exercise modules, and
the same check, so running it shows every check passing and every later cell using the worked
answers. Outputs are cleared (:func:`clean_copy`), and a first cell says what the copy is. The
original notebooks are only read, never changed.

:func:`clean_copy` is also where nbgrader's course starts from
(:mod:`course_tools.classroom.nbgrader_course`).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor

from .tasks import SOLUTION_TAG, find_tasks, worked_solution

__all__ = ["DEFAULT_OUT", "clean_copy", "instructor_copy", "main", "write_instructor_copies"]

DEFAULT_OUT = Path("dist") / "instructor"
NOTE = (
    "**Instructor copy**: every task below holds its worked answer and its check. Written by "
    "`make instructor` from the worked answers in `course_helpers/exercises/lessonN.py`; hand "
    "out the lessons in `notebooks/` instead, which show a worked answer only on request."
)


def clean_copy(nb: nbformat.NotebookNode, tag: str = SOLUTION_TAG) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` without cells tagged ``tag`` and without any outputs.

    Code cells keep their source but lose outputs and execution counts; the notebook loses the
    widget state Jupyter saves beside outputs. ``nb`` itself is left as it was.
    """
    nb = nbformat.from_dict(nb)  # a deep copy: the preprocessors edit in place
    resources: dict = {}
    nb, _ = TagRemovePreprocessor(remove_cell_tags={tag}).preprocess(nb, resources)
    # "execution" holds the start and end times nbclient records when a cell runs
    clear = ClearOutputPreprocessor(remove_metadata_fields={"collapsed", "scrolled", "execution"})
    nb, _ = clear.preprocess(nb, resources)
    nb.metadata.pop("widgets", None)
    return nb


def instructor_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A clean copy of ``nb`` whose task cells hold their worked answers, then their checks."""
    nb = nbformat.from_dict(nb)
    for task in find_tasks(nb):
        cell = nb.cells[task.index]
        cell.source = f"{worked_solution(task)}\n\n{task.check_source}"
        cell.metadata["tags"] = [*cell.metadata.get("tags", []), "worked-answer"]
    nb = clean_copy(nb)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(NOTE))
    return nb


def _checked_paths(paths: Iterable[str | Path], out: Path) -> list[Path]:
    """The notebook paths, or a ValueError that says what is wrong with them."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise ValueError("No notebooks given. Example: python -m course_tools.copies notebooks/*")
    for path in paths:
        if path.suffix != ".ipynb" or not path.is_file():
            raise ValueError(
                f"{path} is not a notebook file (.ipynb). Check the path or the "
                "shell pattern, e.g. notebooks/*.ipynb."
            )
    names = [p.name for p in paths]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(
            f"Two notebooks are both called {duplicates[0]}; their copies would "
            "overwrite each other. Make them one at a time with different --out."
        )
    if any(path.resolve().parent == out.resolve() for path in paths):
        raise ValueError(
            f"--out {out} is the folder of the notebooks themselves; the copies "
            "would replace the originals. Choose another folder, e.g. dist/instructor."
        )
    return paths


def write_instructor_copies(paths: Iterable[str | Path], out: str | Path = DEFAULT_OUT) -> list:
    """Write an instructor copy of each notebook in ``paths`` into ``out``; return the new paths.

    Raises ``ValueError`` when there is nothing to do, a path is not an existing ``.ipynb`` file,
    two notebooks share a file name, or ``out`` would overwrite one of the originals.
    """
    out = Path(out)
    paths = _checked_paths(paths, out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        target = out / path.name
        nbformat.write(instructor_copy(nbformat.read(path, as_version=4)), target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m course_tools.copies [--out DIR] NOTEBOOK...``."""
    parser = argparse.ArgumentParser(
        prog="python -m course_tools.copies",
        description="Write instructor copies of the lessons: every task's worked answer filled in.",
    )
    parser.add_argument("notebooks", nargs="+", help="notebooks to copy, e.g. notebooks/*.ipynb")
    parser.add_argument(
        "--out", default=str(DEFAULT_OUT), help="folder for the copies (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    try:
        written = write_instructor_copies(args.notebooks, args.out)
    except ValueError as exc:
        parser.error(str(exc))
    for path in written:
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
